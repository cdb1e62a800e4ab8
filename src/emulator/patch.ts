// PATCH: only whitelisted field paths (celigo-api.md §1.4, PATCH_WHITELIST in core/schemas.ts). The body
// format is unconfirmed (§11 "PATCH body format"), so both an RFC-6902 array of replace/add/remove
// operations and a plain partial object (top-level keys; `null` removes, as in a merge patch) are accepted.
// Celigo's web app clears an integration's tag with `[{op:"remove",path:"/tag"}]` (W5).
import { PATCH_WHITELIST } from '../core/schemas.js';
import { ApiError, type ErrorEntry } from './respond.js';

interface Op {
  path: string[];
  value: unknown;
  remove?: boolean;
}

function pointer(p: unknown): string[] | undefined {
  if (typeof p !== 'string' || !p.startsWith('/')) return undefined;
  return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function allowed(kind: string, path: string[]): boolean {
  const list = PATCH_WHITELIST[kind] ?? [];
  return list.some((w) => {
    const parts = w.split('/');
    if (parts[parts.length - 1] === '**') return path.length >= parts.length && parts.slice(0, -1).every((p, i) => p === path[i]);
    return parts.length === path.length && parts.every((p, i) => (p === '*' ? /^\d+$/.test(path[i]) : p === path[i]));
  });
}

export function parsePatch(kind: string, body: unknown): Op[] {
  const ops: Op[] = [];
  if (Array.isArray(body)) {
    body.forEach((o, i) => {
      const op = o as { op?: unknown; path?: unknown; value?: unknown } | null;
      const path = pointer(op?.path);
      if (!op || (op.op !== 'replace' && op.op !== 'add' && op.op !== 'remove') || !path) {
        throw new ApiError(400, 'invalid_patch', `Operation ${i} must be {"op":"replace","path":"/field","value":...} or {"op":"remove","path":"/field"}.`, String(i));
      }
      ops.push(op.op === 'remove' ? { path, value: undefined, remove: true } : { path, value: op.value });
    });
  } else if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) ops.push(v === null ? { path: [k], value: undefined, remove: true } : { path: [k], value: v });
  } else {
    throw new ApiError(400, 'invalid_patch', 'The body must be a JSON Patch array or a JSON object.');
  }
  const bad: ErrorEntry[] = ops
    .filter((o) => !allowed(kind, o.path))
    .map((o) => ({ code: 'invalid_field', message: `\`${o.path.join('.')}\` cannot be changed with PATCH.`, field: o.path.join('.') }));
  if (bad.length) throw new ApiError(422, bad);
  return ops;
}

/** Returns a changed copy of `rec` (the stored object is never mutated). */
export function applyPatch(rec: Record<string, unknown>, ops: Op[]): Record<string, unknown> {
  const out = structuredClone(rec);
  for (const op of ops) {
    let target: unknown = out;
    for (let i = 0; i < op.path.length - 1; i++) {
      const k = op.path[i];
      const next = (target as Record<string, unknown>)[k];
      if (next === null || typeof next !== 'object') {
        throw new ApiError(422, 'invalid_field', `\`${op.path.slice(0, i + 1).join('.')}\` does not exist.`, op.path.join('.'));
      }
      target = next;
    }
    const leaf = op.path[op.path.length - 1];
    if (Array.isArray(target) && !(Number(leaf) < target.length)) {
      throw new ApiError(422, 'invalid_field', `\`${op.path.join('.')}\` does not exist.`, op.path.join('.'));
    }
    // Removing a field that is not there changes nothing (best guess: Celigo stores in MongoDB, where an
    // $unset of a missing field is no error; RFC 6902 would answer an error).
    if (!op.remove) (target as Record<string, unknown>)[leaf] = op.value;
    else if (Array.isArray(target)) target.splice(Number(leaf), 1);
    else delete (target as Record<string, unknown>)[leaf];
  }
  return out;
}
