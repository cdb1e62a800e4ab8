// Read-modify-write for PUT, which replaces the whole object (celigo-api.md §1.4, §1.9).
import { MASKED } from './schemas.js';
import { ConflictError, UsageError } from './errors.js';

/** Server-set fields that must not be replayed in a PUT body. */
export const READ_ONLY_FIELDS = ['_id', 'createdAt', 'lastModified', 'lastModifiedBy', 'lastExecutedAt', 'apiIdentifier', 'queues'];

/** Paths (a.b.0.c) whose value is the masked secret "******". */
export function maskedPaths(value: unknown, prefix = ''): string[] {
  if (value === MASKED) return [prefix || '(root)'];
  if (Array.isArray(value)) return value.flatMap((v, i) => maskedPaths(v, prefix ? `${prefix}.${i}` : String(i)));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => maskedPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}

export function stripReadOnly<T extends Record<string, unknown>>(obj: T): Record<string, unknown> {
  const out: Record<string, unknown> = { ...obj };
  for (const f of READ_ONLY_FIELDS) delete out[f];
  return out;
}

export type Mutator<T> = (current: T) => T | void | Promise<T | void>;

export interface UpdateDeps<T> {
  resource: string;
  id: string;
  get: () => Promise<T>;
  put: (body: Record<string, unknown>) => Promise<T>;
}

export interface UpdateOptions {
  /** The lastModified the caller saw when it planned the change (e.g. at preview time). */
  expectLastModified?: string;
}

/**
 * Applies `mutate` to the current object and PUTs the whole result. Refuses (nothing written) when the
 * body would carry a masked secret back, or when lastModified moved between the read and the write.
 */
export async function readModifyWrite<T extends { lastModified?: string }>(
  deps: UpdateDeps<T>,
  mutate: Mutator<T>,
  opts: UpdateOptions = {},
): Promise<T> {
  const current = await deps.get();
  if (opts.expectLastModified && current.lastModified !== opts.expectLastModified) {
    throw new ConflictError(deps.resource, deps.id, opts.expectLastModified, current.lastModified);
  }
  const draft = structuredClone(current);
  const result = await mutate(draft);
  const next = (result ?? draft) as Record<string, unknown>;
  const body = stripReadOnly(next);
  const masked = maskedPaths(body);
  if (masked.length) {
    throw new UsageError(
      `Refusing to write ${deps.resource} ${deps.id}: ${masked.join(', ')} still hold the masked value "${MASKED}", ` +
        'which would overwrite the real secret. Supply the real secret for those fields, or change only non-secret fields with a patch.',
    );
  }
  // Second read just before the write: someone else's edit in between must not be overwritten.
  const fresh = await deps.get();
  if (fresh.lastModified !== current.lastModified) {
    throw new ConflictError(deps.resource, deps.id, current.lastModified, fresh.lastModified);
  }
  return deps.put(body);
}
