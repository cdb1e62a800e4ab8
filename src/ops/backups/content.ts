// What a backup keeps of an object: a copy without secrets and read-only fields, and its digest.
import { MASKED, SECRET_KEYS } from '../../core/schemas.js';
import { READ_ONLY_FIELDS } from '../../core/update.js';
import { digestOf } from '../util.js';
import type { ItemType } from '../../store/record.js';

/** Deep copy without secrets: keys in SECRET_KEYS and every "******" value are left out. */
export function stripSecrets(value: unknown, prefix = '', stripped: string[] = []): { data: unknown; stripped: string[] } {
  const walk = (v: unknown, path: string): unknown => {
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      v.forEach((x, i) => {
        if (x === MASKED) stripped.push(`${path}.${i}`);
        else out.push(walk(x, `${path}.${i}`));
      });
      return out;
    }
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        if (SECRET_KEYS.has(k) || x === MASKED) {
          stripped.push(p);
          continue;
        }
        out[k] = walk(x, p);
      }
      return out;
    }
    return v;
  };
  return { data: walk(value, prefix), stripped };
}

/** A shallow copy without the fields the API sets itself (READ_ONLY_FIELDS). */
export function withoutReadOnly(obj: Record<string, unknown>): Record<string, unknown> {
  const out = { ...obj };
  for (const f of READ_ONLY_FIELDS) delete out[f];
  return out;
}

/** Digest of an object's content as backups compare it (no read-only fields, no secrets). */
export function contentDigest(type: ItemType, obj: unknown): string {
  const base = type === 'state' || !obj || typeof obj !== 'object' ? obj : withoutReadOnly(obj as Record<string, unknown>);
  return digestOf(stripSecrets(base).data);
}
