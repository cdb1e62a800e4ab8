// What changed since a backup, object by object, and whether the live object is still what the backup's
// own change left or was changed since by someone else.
import type { NextStep } from '../outcome.js';
import type { OpContext } from '../context.js';
import { digestOf, plural } from '../util.js';
import { stripSecrets, withoutReadOnly } from './content.js';
import { readLive, type Live } from './live.js';
import { loadBackup, type BackupItem, type BackupType, type ItemType } from './store.js';

export interface FieldDiff {
  path: string;
  before?: unknown;
  after?: unknown;
  /** before and after are excerpts of their JSON text around the first difference (the values are long). */
  excerpt?: true;
}

export function diffValues(before: unknown, after: unknown, path = '', out: FieldDiff[] = []): FieldDiff[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return out;
  const obj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (obj(before) && obj(after)) {
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) diffValues(before[k], after[k], path ? `${path}.${k}` : k, out);
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((b, i) => diffValues(b, after[i], `${path}.${i}`, out));
    return out;
  }
  const d: FieldDiff = { path: path || '(root)' };
  if (before !== undefined) d.before = before;
  if (after !== undefined) d.after = after;
  out.push(d);
  return out;
}

/** Longest excerpt of a value shown in a diff, and the context kept before the first difference. */
const EXCERPT = 200;
const CONTEXT = 40;

/**
 * A change as shown: short values as they are; when either side is long, both sides as excerpts of their
 * JSON text that start a little before the first difference and leave out what both end with, so the
 * two read alike and the difference is in view.
 */
export function briefChange(c: FieldDiff): FieldDiff {
  const a = JSON.stringify(c.before);
  const b = JSON.stringify(c.after);
  if ((a ?? '').length <= EXCERPT && (b ?? '').length <= EXCERPT) return c;
  const x = a ?? '';
  const y = b ?? '';
  let p = 0;
  while (p < x.length && p < y.length && x[p] === y[p]) p++;
  let s = 0;
  while (s < x.length - p && s < y.length - p && x[x.length - 1 - s] === y[y.length - 1 - s]) s++;
  const start = Math.max(0, p - CONTEXT);
  const cut = (t: string) => {
    const end = Math.min(t.length, Math.max(t.length - s + CONTEXT, p + 1));
    let out = t.slice(start, end);
    if (out.length > EXCERPT) out = out.slice(0, EXCERPT - 1) + '…';
    else if (end < t.length) out += '…';
    return (start > 0 ? '…' : '') + out;
  };
  return { path: c.path, ...(a !== undefined ? { before: cut(a) } : {}), ...(b !== undefined ? { after: cut(b) } : {}), excerpt: true };
}

export type ItemStatus = 'unchanged' | 'changed' | 'deleted' | 'recreated';

export interface ItemDiff {
  type: ItemType;
  id: string;
  name?: string;
  status: ItemStatus;
  /**
   * Differs from the state this backup's own change left (its recorded after-state): changed by someone
   * else, or by a later change (a restore needs force).
   */
  changedByOthers: boolean;
  changes: FieldDiff[];
  /** How many changes there are in all (`changes` holds at most 30). */
  changeCount: number;
}

export interface BackupDiff {
  id: string;
  createdAt: string;
  reason: string;
  items: ItemDiff[];
  created: { type: BackupType; id: string; name?: string; exists: boolean }[];
  summary: string;
  /** Restoring the backup, when anything differs from it. */
  next: NextStep[];
}

/**
 * Whether the live object is exactly what this backup's own change left: its content is one the change
 * recorded as written, and so is its lastModified where both are known. Only this backup's after-state
 * counts: a later change, even one made by celigo-manage in another process, is someone else's.
 */
function isOwnAfterState(item: BackupItem, live: Live, data: unknown): boolean {
  const lmOk = item.type === 'state' || !item.after?.length || (!!live.lastModified && item.after.includes(live.lastModified));
  if (item.afterDigests?.length) return item.afterDigests.includes(digestOf(data)) && lmOk;
  // Backups from before content digests were recorded: lastModified is all they know.
  return !!item.after?.length && lmOk;
}

export async function compareItem(ctx: OpContext, item: BackupItem): Promise<{ diff: ItemDiff; live?: Live }> {
  const base = { type: item.type, id: item.id, name: item.name, changedByOthers: false, changes: [] as FieldDiff[], changeCount: 0 };
  if (item.type === 'connectionRef') return { diff: { ...base, status: 'unchanged' } };
  const live = await readLive(ctx, item.type, item.id);
  if (item.missing) return { diff: { ...base, status: live ? 'recreated' : 'unchanged' }, live };
  if (!live) return { diff: { ...base, status: 'deleted' } };
  const current = item.type === 'state' ? live : withoutReadOnly(live);
  const { data } = stripSecrets(current);
  const changes = diffValues(item.data, data);
  return {
    diff: {
      ...base,
      status: changes.length ? 'changed' : 'unchanged',
      changedByOthers: changes.length > 0 && !isOwnAfterState(item, live, data),
      changes: changes.slice(0, 30).map(briefChange),
      changeCount: changes.length,
    },
    live,
  };
}

export async function createdExists(ctx: OpContext, c: { type: BackupType; id: string }): Promise<boolean> {
  return (await readLive(ctx, c.type, c.id)) !== undefined;
}

/** What changed since the backup, item by item, and which created resources still exist. */
export async function diffBackup(ctx: OpContext, id: string): Promise<BackupDiff> {
  const rec = await loadBackup(ctx, id);
  const items: ItemDiff[] = [];
  for (const it of rec.items) items.push((await compareItem(ctx, it)).diff);
  const created = [];
  for (const c of rec.created) created.push({ ...c, exists: await createdExists(ctx, c) });
  const changed = items.filter((i) => i.status !== 'unchanged');
  const stillThere = created.filter((c) => c.exists).length;
  const summary =
    changed.length === 0 && !created.some((c) => c.exists)
      ? `Nothing changed since backup ${rec.id}.`
      : `${plural(changed.length, 'object')} ${changed.length === 1 ? 'differs' : 'differ'} from backup ${rec.id}` +
        (changed.some((c) => c.changedByOthers) ? ` (${changed.filter((c) => c.changedByOthers).length} changed by someone else)` : '') +
        (stillThere ? `; ${plural(stillThere, 'created resource')} still ${stillThere === 1 ? 'exists' : 'exist'}` : '') +
        '.';
  const differs = changed.length > 0 || created.some((c) => c.exists);
  // Restoring over someone else's change would revert it: no restore is suggested then (force is a person's call).
  const byOthers = changed.some((c) => c.changedByOthers);
  const next: NextStep[] = differs && !byOthers ? [{ op: 'restore_backup', args: { id: rec.id }, why: 'put back what the backup holds and delete what the change created' }] : [];
  return { id: rec.id, createdAt: rec.createdAt, reason: rec.reason, items, created, summary, next };
}
