// Secrets are stored as sent and come back as "******" on every read (celigo-api.md §1.9).
import { MASKED, SECRET_KEYS as SHARED_SECRET_KEYS } from '../core/schemas.js';

/**
 * SECRET_KEYS plus keys real connections use that the shared list lacks (S3's `secretAccessKey`).
 * Suggested for core/schemas.ts; kept here so the emulator never shows a seeded secret.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([...SHARED_SECRET_KEYS, 'secretAccessKey']);

/** JSON.stringify replacer that masks any secret key at any depth. */
export function maskReplacer(key: string, value: unknown): unknown {
  if (value === null || value === undefined || !SECRET_KEYS.has(key)) return value;
  // `token` can hold an object such as http.auth.token {token, location, ...}: mask inside it instead.
  if (typeof value === 'object' && !Array.isArray(value) && key !== 'encrypted') return value;
  return MASKED;
}

const scanned = new WeakMap<object, boolean>();

/**
 * Whether a value holds a secret key anywhere (answers are cached per object: stored records are replaced,
 * not edited, when their content changes). Lets the server skip the slower masking serialiser.
 */
export function hasSecrets(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const cached = scanned.get(value);
  if (cached !== undefined) return cached;
  let found = false;
  if (Array.isArray(value)) {
    for (const v of value) if (hasSecrets(v)) { found = true; break; }
  } else {
    for (const [k, v] of Object.entries(value)) {
      if ((SECRET_KEYS.has(k) && v !== null && v !== undefined) || hasSecrets(v)) { found = true; break; }
    }
  }
  scanned.set(value, found);
  return found;
}

/** A masked deep copy (for audit entries and downloads, which are built once and kept). */
export function masked<T>(value: T): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value, maskReplacer)) as T;
}

/**
 * For a PUT: wherever the incoming body carries "******" under a secret key, put back the stored value at
 * the same path, so a read-modify-write does not overwrite the credential with the mask (§1.9 emulator note).
 */
export function restoreMasked(incoming: unknown, stored: unknown): unknown {
  if (Array.isArray(incoming)) {
    const prev = Array.isArray(stored) ? stored : [];
    return incoming.map((v, i) => restoreMasked(v, prev[i]));
  }
  if (incoming && typeof incoming === 'object') {
    const prev = stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(incoming as Record<string, unknown>)) {
      if (SECRET_KEYS.has(k) && v === MASKED && prev[k] !== undefined) out[k] = prev[k];
      else out[k] = restoreMasked(v, prev[k]);
    }
    return out;
  }
  return incoming;
}

/** True when `next` carries a secret value (not the mask) that differs from the one in `prev`. */
export function secretsChanged(next: unknown, prev: unknown): boolean {
  if (Array.isArray(next)) {
    const p = Array.isArray(prev) ? prev : [];
    return next.some((v, i) => secretsChanged(v, p[i]));
  }
  if (next && typeof next === 'object') {
    const p = prev && typeof prev === 'object' ? (prev as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(next as Record<string, unknown>)) {
      if (SECRET_KEYS.has(k) && (k === 'encrypted' || typeof v !== 'object' || v === null)) {
        if (v !== MASKED && v !== undefined && JSON.stringify(v) !== JSON.stringify(p[k])) return true;
      } else if (secretsChanged(v, p[k])) return true;
    }
  }
  return false;
}
