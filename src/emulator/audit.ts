// Audit log: every write through the API appends an entry (celigo-api.md §9.4; the entry shape is a best
// guess, §11 "the shapes of dependencies and audit entries"). Secrets are masked inside entries.
import { MASKED } from '../core/schemas.js';
import { SECRET_KEYS, masked } from './secrets.js';
import { iso } from './clock.js';
import { USERS } from './tokens.js';

export interface FieldChange {
  fieldPath: string;
  oldValue?: unknown;
  newValue?: unknown;
}

export interface AuditEntry {
  _id: string;
  resourceType: string;
  _resourceId: string;
  _byUserId: string;
  source: 'api' | 'ui' | 'system';
  action: 'create' | 'update' | 'delete';
  time: number;
  fieldChanges: FieldChange[];
}

const IGNORED = new Set(['_id', 'createdAt', 'lastModified', 'lastModifiedBy']);

function isPlain(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function maskValue(key: string, v: unknown): unknown {
  if (v === undefined) return undefined;
  if (SECRET_KEYS.has(key) && (key === 'encrypted' || typeof v !== 'object' || v === null)) return MASKED;
  if (v && typeof v === 'object') return masked(v);
  return v;
}

/** Field-level changes between two versions. Plain objects are walked; arrays and scalars compare whole. */
export function diff(oldV: Record<string, unknown> | undefined, newV: Record<string, unknown> | undefined, prefix = ''): FieldChange[] {
  const out: FieldChange[] = [];
  const a = oldV ?? {};
  const b = newV ?? {};
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (!prefix && IGNORED.has(k)) continue;
    const x = a[k];
    const y = b[k];
    if (same(x, y)) continue;
    const path = prefix ? `${prefix}.${k}` : k;
    if (isPlain(x) && isPlain(y) && !SECRET_KEYS.has(k)) {
      out.push(...diff(x, y, path));
      continue;
    }
    const ch: FieldChange = { fieldPath: path };
    if (x !== undefined) ch.oldValue = maskValue(k, x);
    if (y !== undefined) ch.newValue = maskValue(k, y);
    out.push(ch);
  }
  return out;
}

export class AuditLog {
  private entries: AuditEntry[] = [];
  private sorted = true;

  add(e: AuditEntry): void {
    const last = this.entries[this.entries.length - 1];
    if (last && last.time > e.time) this.sorted = false;
    this.entries.push(e);
  }

  /** Newest first. */
  query(f: { resourceType?: string; resourceId?: string; byUserId?: string; source?: string; action?: string; from?: number; to?: number }): AuditEntry[] {
    if (!this.sorted) {
      this.entries.sort((p, q) => p.time - q.time);
      this.sorted = true;
    }
    const out: AuditEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (f.to !== undefined && e.time > f.to) continue;
      if (f.from !== undefined && e.time < f.from) break;
      if (f.resourceType && e.resourceType !== f.resourceType) continue;
      if (f.resourceId && e._resourceId !== f.resourceId) continue;
      if (f.byUserId && e._byUserId !== f.byUserId) continue;
      if (f.source && e.source !== f.source) continue;
      if (f.action && e.action !== f.action) continue;
      out.push(e);
    }
    return out;
  }

  get size(): number {
    return this.entries.length;
  }
}

/**
 * The wire shape Celigo's web app reads (celigo-api.md W4): `event` and `byUser {_id, name, email}`.
 * `legacy` is the older belief (`action`, `_byUserId`), answered when the `audit-entries` row is
 * switched to its other form.
 */
export function renderAudit(e: AuditEntry, legacy = false): Record<string, unknown> {
  const who = legacy ? { _byUserId: e._byUserId } : { byUser: { _id: e._byUserId, ...(USERS[e._byUserId] ?? {}) } };
  return {
    _id: e._id,
    resourceType: e.resourceType,
    _resourceId: e._resourceId,
    source: e.source,
    ...(legacy ? { action: e.action } : { event: e.action }),
    time: iso(e.time),
    ...who,
    fieldChanges: e.fieldChanges,
  };
}
