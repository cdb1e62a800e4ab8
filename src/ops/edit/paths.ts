// Dotted paths into an export, import or connection (issue 17 item 2): "http.relativeURI",
// "mapping.fields.2.extract". Each change is checked against the current document before anything is
// sent: the path must exist, or its parent must be an object (a new field); an array index must exist;
// fields the server sets or that fix what the object is are refused; so are masked values and secrets.
import { UsageError } from '../../core/errors.js';
import { MASKED, SECRET_KEYS } from '../../core/schemas.js';
import { READ_ONLY_FIELDS, maskedPaths } from '../../core/update.js';

export type EditKind = 'export' | 'import' | 'connection';

export interface FieldChange {
  path: string;
  value: unknown;
}

/** Top-level fields no edit may change: set by the server, or what the object is (celigo-api.md §1.3, §4.2, §5.2). */
const FIXED: Record<EditKind, readonly string[]> = {
  export: ['adaptorType', 'asynchronous', '__linkedLookupCacheIds', '_sourceId', '_templateId', 'draft', 'draftExpiresAt', 'sandbox', '_integrationId', 'debugUntil'],
  import: ['adaptorType', '_sourceId', '_templateId', 'draft', 'draftExpiresAt', 'sandbox', '_integrationId', 'debugUntil'],
  connection: ['type', 'info', 'suiteAppInstalled', 'sandbox', '_integrationId', '_httpConnectorId', '_httpConnectorVersionId', '_agentId'],
};

/** Fields that name a connection: changed only to a connection that exists (checked by the caller). */
export const CONNECTION_REFS = ['_connectionId', '_borrowConcurrencyFromConnectionId'];

export function segmentsOf(path: string): string[] {
  const segs = path.trim().split('.');
  if (!path.trim() || segs.some((s) => s === '')) throw new UsageError(`"${path}" is not a dotted path (e.g. http.relativeURI, mapping.fields.2.extract).`);
  if (segs.some((s) => s === '__proto__' || s === 'constructor' || s === 'prototype')) throw new UsageError(`"${path}" is not a field path.`);
  return segs;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The value at `path` (undefined when absent). */
export function valueAt(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const s of segmentsOf(path)) {
    if (Array.isArray(cur)) cur = /^\d+$/.test(s) ? cur[Number(s)] : undefined;
    else if (isObject(cur)) cur = Object.hasOwn(cur, s) ? cur[s] : undefined;
    else return undefined;
  }
  return cur;
}

/** Sets `path` in `doc` (mutated), which `checkPath` has found settable. */
export function setAt(doc: Record<string, unknown>, path: string, value: unknown): void {
  const segs = segmentsOf(path);
  let cur: unknown = doc;
  for (const s of segs.slice(0, -1)) cur = Array.isArray(cur) ? cur[Number(s)] : (cur as Record<string, unknown>)[s];
  const leaf = segs[segs.length - 1]!;
  if (Array.isArray(cur)) cur[Number(leaf)] = structuredClone(value);
  else (cur as Record<string, unknown>)[leaf] = structuredClone(value);
}

/** Removes `path` from `doc` (mutated); an absent parent leaves nothing to remove. */
export function unsetAt(doc: Record<string, unknown>, path: string): void {
  const segs = segmentsOf(path);
  const parent = valueAt(doc, segs.slice(0, -1).join('.'));
  const leaf = segs[segs.length - 1]!;
  if (segs.length === 1) delete doc[leaf];
  else if (isObject(parent)) delete parent[leaf];
}

/** Whether a key names a secret (SECRET_KEYS: password, token, clientSecret, apiKey, …). */
export const isSecretKey = (k: string): boolean => SECRET_KEYS.has(k);

/** The secret keys a value holds (deep), as paths under `prefix`. */
function secretsIn(value: unknown, prefix: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretsIn(v, `${prefix}.${i}`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => (isSecretKey(k) && !isObject(v) ? [`${prefix}.${k}`] : secretsIn(v, `${prefix}.${k}`)));
}

/** Whether the path names a secret field (a segment in SECRET_KEYS whose value is not an object, e.g. http.auth.token.token). */
export function isSecretPath(doc: unknown, path: string): boolean {
  const segs = segmentsOf(path);
  return segs.some((s, i) => isSecretKey(s) && !isObject(valueAt(doc, segs.slice(0, i + 1).join('.'))));
}

/**
 * Refuses a change that cannot be made as asked; `secret`: the value comes from an environment variable
 * (update_connection's `secrets`), so a secret path is allowed.
 */
export function checkPath(kind: EditKind, doc: Record<string, unknown>, change: FieldChange, secret = false): void {
  const { path, value } = change;
  const segs = segmentsOf(path);
  const top = segs[0]!;
  if (READ_ONLY_FIELDS.includes(top)) throw new UsageError(`${path}: the server sets it; it cannot be changed.`);
  if (FIXED[kind].includes(top)) throw new UsageError(`${path} cannot be changed on an ${kind} here (it is set by the server, or fixes what the ${kind} is); create a new ${kind} instead.`);
  const masked = maskedPaths(value);
  if (masked.length) throw new UsageError(`${path}: the value holds the masked secret "${MASKED}"${masked[0] === '(root)' ? '' : ` (at ${masked.join(', ')})`}, which would overwrite the real secret. Give the real value${kind === 'connection' ? ' through secrets (an environment variable)' : ''}, or leave the field out.`);
  let cur: unknown = doc;
  const badIndex = (i: number, list: unknown[]) =>
    new UsageError(`${path}: ${segs.slice(0, i).join('.')} is a list of ${list.length}; ${list.length ? `give an index from 0 to ${list.length - 1}` : 'it has no element to change'}.`);
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i]!;
    if (Array.isArray(cur) && !(/^\d+$/.test(s) && Number(s) < cur.length)) throw badIndex(i, cur);
    const next = Array.isArray(cur) ? (/^\d+$/.test(s) ? cur[Number(s)] : undefined) : isObject(cur) && Object.hasOwn(cur, s) ? cur[s] : undefined;
    if (next === undefined || next === null || typeof next !== 'object') {
      throw new UsageError(`${path}: ${segs.slice(0, i + 1).join('.')} ${next === undefined ? 'does not exist' : 'is not an object'} in the current ${kind}; only an existing field, or a new field of an existing object, can be set.`);
    }
    cur = next;
  }
  const leaf = segs[segs.length - 1]!;
  if (Array.isArray(cur) && !(/^\d+$/.test(leaf) && Number(leaf) < cur.length)) throw badIndex(segs.length - 1, cur);
  if (!secret && isSecretPath(doc, path)) {
    throw new UsageError(kind === 'connection'
      ? `${path} is a secret: give it through secrets as {path, env} naming an environment variable that holds it (at a terminal: --secret-env ${path}=ENV_VAR), never as a value.`
      : `${path} is a secret: celigo-manage does not set an ${kind}'s secrets; set it in Celigo's web app.`);
  }
  const hidden = maskedPaths(valueAt(doc, path)).map((p) => (p === '(root)' ? path : `${path}.${p}`));
  if (hidden.length && !(secret && hidden.length === 1 && hidden[0] === path)) {
    throw new UsageError(`${path} holds secrets (${hidden.join(', ')}) that read back masked; replacing it would lose them. Change the fields inside it instead.`);
  }
  if (secret) return;
  const inside = secretsIn(value, path);
  if (inside.length) throw new UsageError(`${path}: the value holds secret fields (${inside.join(', ')}); set each secret on its own${kind === 'connection' ? ' through secrets (an environment variable)' : ''}.`);
}

/** Refuses the same path twice, or a path inside another changed path. */
export function checkDistinct(paths: readonly string[]): void {
  for (const a of paths) {
    for (const b of paths) {
      if (a !== b && b.startsWith(`${a}.`)) throw new UsageError(`${b} is inside ${a}, which is also changed; give one of them.`);
    }
  }
  const dup = paths.find((p, i) => paths.indexOf(p) !== i);
  if (dup) throw new UsageError(`${dup} is changed twice; give it once.`);
}
