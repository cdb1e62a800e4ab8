// What changed since a backup, object by object, and whether the change was ours or someone else's.
import type { NextStep } from '../outcome.js';
import type { OpContext } from '../context.js';
import { digestOf, plural } from '../util.js';
import { stripSecrets, withoutReadOnly } from './content.js';
import { readLive, type Live } from './live.js';
import { listBackupRecords, loadBackup, type BackupItem, type BackupRecord, type BackupType, type ItemType } from './store.js';

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
  /** Changed by someone other than celigo-manage since the backup (a restore needs force). */
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

/** States of an object that celigo-manage itself produced, chained through later backups. */
function ownStates(all: BackupRecord[], rec: BackupRecord, item: BackupItem): { lm: Set<string>; digests: Set<string> } {
  const lm = new Set<string>();
  const digests = new Set<string>();
  if (item.lastModified) lm.add(item.lastModified);
  for (const a of item.after ?? []) lm.add(a);
  if (item.data !== undefined) digests.add(digestOf(item.data));
  for (const d of item.afterDigests ?? []) digests.add(d);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of all) {
      if (r.id === rec.id || r.createdAt < rec.createdAt) continue;
      for (const it of r.items) {
        if (it.type !== item.type || it.id !== item.id) continue;
        const mine = it.data !== undefined && (it.afterDigests?.length ? digests.has(digestOf(it.data)) : !!it.lastModified && lm.has(it.lastModified));
        if (!mine) continue;
        for (const a of it.after ?? []) {
          if (!lm.has(a)) {
            lm.add(a);
            grew = true;
          }
        }
        for (const d of it.afterDigests ?? []) {
          if (!digests.has(d)) {
            digests.add(d);
            grew = true;
          }
        }
      }
    }
  }
  return { lm, digests };
}

export async function compareItem(ctx: OpContext, all: BackupRecord[], rec: BackupRecord, item: BackupItem): Promise<{ diff: ItemDiff; live?: Live }> {
  const base = { type: item.type, id: item.id, name: item.name, changedByOthers: false, changes: [] as FieldDiff[], changeCount: 0 };
  if (item.type === 'connectionRef') return { diff: { ...base, status: 'unchanged' } };
  const live = await readLive(ctx, item.type, item.id);
  if (item.missing) return { diff: { ...base, status: live ? 'recreated' : 'unchanged' }, live };
  if (!live) return { diff: { ...base, status: 'deleted' } };
  const current = item.type === 'state' ? live : withoutReadOnly(live);
  const { data } = stripSecrets(current);
  const changes = diffValues(item.data, data);
  const own = ownStates(all, rec, item);
  // Content first (two edits in the same millisecond share a lastModified); lastModified when we only know that.
  const byContent = own.digests.size > 1 || !!item.afterDigests?.length;
  const changedByOthers =
    changes.length > 0 && (byContent ? !own.digests.has(digestOf(data)) : item.type !== 'state' && !!live.lastModified && !own.lm.has(live.lastModified));
  return {
    diff: {
      ...base,
      status: changes.length ? 'changed' : 'unchanged',
      changedByOthers,
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
  const all = await listBackupRecords(ctx);
  const rec = all.find((r) => r.id === id) ?? (await loadBackup(ctx, id));
  const items: ItemDiff[] = [];
  for (const it of rec.items) items.push((await compareItem(ctx, all, rec, it)).diff);
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
  const next: NextStep[] = differs ? [{ op: 'restore_backup', args: { id: rec.id }, why: 'put back what the backup holds and delete what the change created' }] : [];
  return { id: rec.id, createdAt: rec.createdAt, reason: rec.reason, items, created, summary, next };
}
