// Local backups of what a change touches, so every change can be diffed and undone (issue 4 item 8).
// Stored as one JSON file per backup under <home>/backups/, secrets excluded.
import { mkdir, readFile, readdir, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { manageHome } from '../config/home.js';
import { CeligoApiError, ConflictError, UsageError, describeError } from '../core/errors.js';
import { flowSteps } from '../core/flows.js';
import { MASKED, SECRET_KEYS } from '../core/schemas.js';
import { READ_ONLY_FIELDS } from '../core/update.js';
import type { ResourceApi } from '../core/resource.js';
import type { OpContext } from './context.js';
import { makePlan, mustConfirm } from './confirm.js';
import { digestOf, nowOf, plural, report } from './util.js';

export const BACKUP_TYPES = ['integration', 'flow', 'export', 'import', 'connection', 'tag', 'state'] as const;
export type BackupType = (typeof BACKUP_TYPES)[number];
/** `connectionRef` items are references only (id, name, type): an integration backup never holds connection bodies. */
export type ItemType = Exclude<BackupType, 'integration'> | 'integration' | 'connectionRef';

export interface BackupTarget {
  type: BackupType;
  /** A resource id; for `state`, the key (global), or `<resourceType>/<id>/<key>` for a scoped key. */
  id: string;
  /**
   * An integration alone, without its flows, exports, imports and connection references: for a change
   * to the integration object only (its tag), so a restore cannot touch anything else.
   */
  shallow?: boolean;
}

export interface BackupItem {
  type: ItemType;
  id: string;
  name?: string;
  /** lastModified when backed up: the restore refuses when someone else changed the object since. */
  lastModified?: string;
  /** lastModified values our own later changes produced (a restore after them is not a conflict). */
  after?: string[];
  /** Digests of the content our own later changes produced (same purpose; immune to equal timestamps). */
  afterDigests?: string[];
  /** The object without read-only fields and secrets (absent for references and missing objects). */
  data?: unknown;
  /** Paths whose secret values were left out. */
  stripped?: string[];
  /** The object did not exist when backed up. */
  missing?: boolean;
}

export interface BackupRecord {
  id: string;
  createdAt: string;
  reason: string;
  /** API base URL the backup was taken from: restoring into another account or region is refused. */
  baseUrl: string;
  targets: BackupTarget[];
  items: BackupItem[];
  /** Resources created by the change this backup precedes: undoing it deletes them. */
  created: { type: BackupType; id: string; name?: string }[];
}

export interface BackupSummary {
  id: string;
  createdAt: string;
  reason: string;
  targets: BackupTarget[];
  items: number;
  created: number;
}

// ---- storage ----

export function backupDir(ctx: OpContext): string {
  return join(ctx.home ?? manageHome(), 'backups');
}

function pathOf(ctx: OpContext, id: string): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new UsageError(`Invalid backup id "${id.slice(0, 40)}${id.length > 40 ? '…' : ''}". Use list_backups to see the ids.`);
  return join(backupDir(ctx), `${id}.json`);
}

async function save(ctx: OpContext, rec: BackupRecord): Promise<void> {
  await mkdir(backupDir(ctx), { recursive: true, mode: 0o700 });
  const file = pathOf(ctx, rec.id);
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(rec, null, 1) + '\n', { mode: 0o600 });
  await rename(tmp, file);
}

export async function loadBackup(ctx: OpContext, id: string): Promise<BackupRecord> {
  try {
    return JSON.parse(await readFile(pathOf(ctx, id), 'utf8')) as BackupRecord;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`No backup "${id}". Use list_backups to see the ids.`);
    throw err;
  }
}

/** Every backup record, oldest first. */
export async function listBackupRecords(ctx: OpContext): Promise<BackupRecord[]> {
  return loadAll(ctx);
}

async function loadAll(ctx: OpContext): Promise<BackupRecord[]> {
  let names: string[];
  try {
    names = await readdir(backupDir(ctx));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: BackupRecord[] = [];
  for (const n of names.filter((f) => f.endsWith('.json')).sort()) {
    try {
      out.push(JSON.parse(await readFile(join(backupDir(ctx), n), 'utf8')) as BackupRecord);
    } catch {
      /* a damaged file is skipped, not fatal */
    }
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

function newId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
  return `bk-${stamp}-${randomBytes(3).toString('hex')}`;
}

// ---- secrets ----

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

function withoutReadOnly(obj: Record<string, unknown>): Record<string, unknown> {
  const out = { ...obj };
  for (const f of READ_ONLY_FIELDS) delete out[f];
  return out;
}

// ---- reading live objects ----

type Live = Record<string, unknown> & { _id?: string; name?: string; lastModified?: string };

function apiFor(ctx: OpContext, type: Exclude<BackupType, 'state'>) {
  const { api } = ctx;
  switch (type) {
    case 'integration': return api.integrations;
    case 'flow': return api.flows;
    case 'export': return api.exports;
    case 'import': return api.imports;
    case 'connection': return api.connections;
    case 'tag': return api.tags;
  }
}

function stateScope(id: string): { key: string; scope?: { resourceType: 'integrations' | 'flows' | 'exports' | 'imports' | 'connections'; id: string } } {
  const m = /^(integrations|flows|exports|imports|connections)\/([^/]+)\/(.+)$/.exec(id);
  return m ? { key: m[3], scope: { resourceType: m[1] as 'integrations', id: m[2] } } : { key: id };
}

/** The live object, or undefined when it does not exist (404). */
async function readLive(ctx: OpContext, type: Exclude<ItemType, 'connectionRef'>, id: string): Promise<Live | undefined> {
  try {
    if (type === 'state') {
      const { key, scope } = stateScope(id);
      const v = await ctx.api.state.get(key, scope, { signal: ctx.signal });
      return v === undefined ? undefined : { value: v };
    }
    return (await apiFor(ctx, type).get(id, { signal: ctx.signal })) as Live;
  } catch (err) {
    if (err instanceof CeligoApiError && err.status === 404) return undefined;
    throw err;
  }
}

function itemOf(type: Exclude<ItemType, 'connectionRef'>, id: string, live: Live | undefined): BackupItem {
  if (!live) return { type, id, missing: true };
  const { data, stripped } = stripSecrets(type === 'state' ? live : withoutReadOnly(live));
  const item: BackupItem = { type, id, name: typeof live.name === 'string' ? live.name : type === 'tag' ? String(live.tag ?? '') : undefined, lastModified: live.lastModified, data };
  if (stripped.length) item.stripped = stripped;
  return item;
}

async function integrationItems(ctx: OpContext, id: string): Promise<BackupItem[]> {
  const { api, signal } = ctx;
  const integ = await readLive(ctx, 'integration', id);
  if (!integ) return [{ type: 'integration', id, missing: true }];
  const [flows, exps, imps] = await Promise.all([
    api.integrations.flows(id, { signal }),
    api.integrations.exports(id, { signal }).catch(() => []),
    api.integrations.imports(id, { signal }).catch(() => []),
  ]);
  const items: BackupItem[] = [itemOf('integration', id, integ)];
  for (const f of flows) items.push(itemOf('flow', f._id, f as Live));
  const expById = new Map(exps.map((e) => [e._id, e as Live]));
  const impById = new Map(imps.map((e) => [e._id, e as Live]));
  // Steps the integration lists do not include (shared or standalone exports) are read one by one.
  for (const f of flows) {
    for (const st of flowSteps(f)) {
      const map = st.kind === 'export' ? expById : impById;
      if (!map.has(st.id)) {
        const live = await readLive(ctx, st.kind, st.id);
        if (live) map.set(st.id, live);
      }
    }
  }
  const connIds = new Set<string>();
  for (const e of expById.values()) {
    items.push(itemOf('export', String(e._id), e));
    if (typeof e._connectionId === 'string') connIds.add(e._connectionId);
  }
  for (const e of impById.values()) {
    items.push(itemOf('import', String(e._id), e));
    if (typeof e._connectionId === 'string') connIds.add(e._connectionId);
  }
  for (const c of (integ._registeredConnectionIds as string[] | undefined) ?? []) connIds.add(c);
  if (connIds.size) {
    const conns = await api.connections.list({}, { signal }).catch(() => []);
    const byId = new Map(conns.map((c) => [c._id, c]));
    for (const cid of connIds) {
      const c = byId.get(cid);
      items.push({ type: 'connectionRef', id: cid, name: c?.name, data: c ? { type: c.type, name: c.name } : undefined, missing: c ? undefined : true });
    }
  }
  return items;
}

// ---- public API ----

/**
 * Saves the targets (an integration with its flows, exports, imports and connection references) to the
 * local store before a change. Returns the record; its id is what list_backups and restore_backup use.
 */
export async function backup(ctx: OpContext, targets: BackupTarget[], reason: string): Promise<BackupRecord> {
  const items: BackupItem[] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    if (!BACKUP_TYPES.includes(t.type)) throw new UsageError(`Cannot back up a "${t.type}"; types: ${BACKUP_TYPES.join(', ')}.`);
    const got = t.type === 'integration' && !t.shallow ? await integrationItems(ctx, t.id) : [itemOf(t.type, t.id, await readLive(ctx, t.type, t.id))];
    for (const it of got) {
      const key = `${it.type}:${it.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(it);
    }
  }
  const rec: BackupRecord = {
    id: newId(nowOf(ctx)),
    createdAt: nowOf(ctx).toISOString(),
    reason,
    baseUrl: ctx.api.http.baseUrl,
    targets,
    items,
    created: [],
  };
  await save(ctx, rec);
  return rec;
}

/** Notes a resource created by the change the backup precedes: restoring the backup deletes it. */
export async function recordCreated(ctx: OpContext, backupId: string, target: { type: BackupType; id: string; name?: string }): Promise<void> {
  const rec = await loadBackup(ctx, backupId);
  if (!rec.created.some((c) => c.type === target.type && c.id === target.id)) rec.created.push(target);
  await save(ctx, rec);
}

/** Digest of an object's content as backups compare it (no read-only fields, no secrets). */
export function contentDigest(type: ItemType, obj: unknown): string {
  const base = type === 'state' || !obj || typeof obj !== 'object' ? obj : withoutReadOnly(obj as Record<string, unknown>);
  return digestOf(stripSecrets(base).data);
}

/**
 * Notes what our own change produced on a backed-up object (its lastModified, or better the object as
 * written), so that a later restore knows the live object was changed by us, not by someone else.
 */
export async function recordChanged(
  ctx: OpContext,
  backupId: string,
  target: { type: BackupType; id: string },
  written: string | (Record<string, unknown> & { lastModified?: string }) | undefined,
): Promise<void> {
  if (!written) return;
  const rec = await loadBackup(ctx, backupId);
  const item = rec.items.find((i) => i.type === target.type && i.id === target.id);
  if (!item) return;
  const lm = typeof written === 'string' ? written : written.lastModified;
  if (lm) item.after = [...new Set([...(item.after ?? []), lm])];
  if (typeof written === 'object') item.afterDigests = [...new Set([...(item.afterDigests ?? []), contentDigest(target.type, written)])];
  await save(ctx, rec);
}

export async function listBackups(ctx: OpContext, opts: { target?: string; limit?: number } = {}): Promise<{ total: number; backups: BackupSummary[] }> {
  let all = (await loadAll(ctx)).reverse();
  if (opts.target) all = all.filter((r) => r.items.some((i) => i.id === opts.target || i.name === opts.target) || r.created.some((c) => c.id === opts.target));
  const total = all.length;
  return {
    total,
    backups: all.slice(0, opts.limit ?? 50).map((r) => ({ id: r.id, createdAt: r.createdAt, reason: r.reason, targets: r.targets, items: r.items.length, created: r.created.length })),
  };
}

// ---- diff ----

export interface FieldDiff {
  path: string;
  before?: unknown;
  after?: unknown;
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

/** Short rendering of a value for diffs (big objects are summarised). */
function brief(v: unknown): unknown {
  const s = JSON.stringify(v);
  if (s === undefined || s.length <= 200) return v;
  return s.slice(0, 197) + '…';
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
        for (const a of it.after ?? []) if (!lm.has(a)) { lm.add(a); grew = true; }
        for (const d of it.afterDigests ?? []) if (!digests.has(d)) { digests.add(d); grew = true; }
      }
    }
  }
  return { lm, digests };
}

async function compareItem(ctx: OpContext, all: BackupRecord[], rec: BackupRecord, item: BackupItem): Promise<{ diff: ItemDiff; live?: Live }> {
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
      changes: changes.slice(0, 30).map((c) => ({ path: c.path, before: brief(c.before), after: brief(c.after) })),
      changeCount: changes.length,
    },
    live,
  };
}

async function createdExists(ctx: OpContext, c: { type: BackupType; id: string }): Promise<boolean> {
  return (await readLive(ctx, c.type, c.id)) !== undefined;
}

/** What changed since the backup, item by item, and which created resources still exist. */
export async function diffBackup(ctx: OpContext, id: string): Promise<BackupDiff> {
  const all = await loadAll(ctx);
  const rec = all.find((r) => r.id === id) ?? (await loadBackup(ctx, id));
  const items: ItemDiff[] = [];
  for (const it of rec.items) items.push((await compareItem(ctx, all, rec, it)).diff);
  const created = [];
  for (const c of rec.created) created.push({ ...c, exists: await createdExists(ctx, c) });
  const changed = items.filter((i) => i.status !== 'unchanged');
  const summary =
    changed.length === 0 && !created.some((c) => c.exists)
      ? `Nothing changed since backup ${rec.id}.`
      : `${plural(changed.length, 'object')} differ from backup ${rec.id}` +
        (changed.some((c) => c.changedByOthers) ? ` (${changed.filter((c) => c.changedByOthers).length} changed by someone else)` : '') +
        (created.some((c) => c.exists) ? `; ${plural(created.filter((c) => c.exists).length, 'created resource')} still exist` : '') +
        '.';
  return { id: rec.id, createdAt: rec.createdAt, reason: rec.reason, items, created, summary };
}

// ---- restore ----

export interface RestoreReport {
  id: string;
  restored: { type: ItemType; id: string; name?: string }[];
  deleted: { type: BackupType; id: string; name?: string }[];
  skipped: { type: ItemType; id: string; name?: string; reason: string }[];
  /** Backup of the state just before the restore (so the restore itself can be undone). */
  preRestoreBackupId?: string;
  /** Every restored object read back equal to the backup. */
  verified: boolean;
  problems: string[];
  summary: string;
}

const RESTORE_ORDER: ItemType[] = ['connection', 'export', 'import', 'flow', 'integration', 'tag', 'state'];
// Users before what they use: flows, then their exports and imports, then the integration (deleting it
// may take its flows with it), then connections, which the integration registers.
const DELETE_ORDER: BackupType[] = ['flow', 'export', 'import', 'integration', 'connection', 'tag', 'state'];

/** Whether a restore can put back every field: secrets that were left out cannot be sent back. */
function secretBlocked(item: BackupItem): boolean {
  return !!item.stripped?.length && item.type !== 'connection';
}

/**
 * Puts the backed-up objects back (read-modify-write, one PUT per changed object) and deletes what the
 * change created. Refuses when an object was changed by someone else since the backup, unless `force`.
 * Asks for confirmation; backs up the current state first.
 */
export async function restoreBackup(ctx: OpContext, input: { id: string; force?: boolean }): Promise<RestoreReport> {
  const all = await loadAll(ctx);
  const rec = all.find((r) => r.id === input.id) ?? (await loadBackup(ctx, input.id));
  if (rec.baseUrl !== ctx.api.http.baseUrl && !input.force) {
    throw new UsageError(`Backup ${rec.id} was taken from ${rec.baseUrl}, not ${ctx.api.http.baseUrl}. Restore it with the profile it came from, or pass force.`);
  }
  const compared = [];
  for (const it of rec.items) compared.push({ item: it, ...(await compareItem(ctx, all, rec, it)) });
  const createdLive = [];
  for (const c of rec.created) if (await createdExists(ctx, c)) createdLive.push(c);

  const skipped: RestoreReport['skipped'] = [];
  const todo = compared.filter((c) => {
    if (c.diff.status === 'unchanged') return false;
    if (c.diff.status === 'deleted' || c.diff.status === 'recreated') {
      skipped.push({ type: c.item.type, id: c.item.id, name: c.item.name, reason: c.diff.status === 'deleted' ? 'deleted since the backup; a new object would get a new id, so recreate it by hand from diff_backup' : 'did not exist at backup time and exists now; delete it by hand if it should go' });
      return false;
    }
    if (secretBlocked(c.item)) {
      skipped.push({ type: c.item.type, id: c.item.id, name: c.item.name, reason: `holds secrets (${c.item.stripped!.join(', ')}) that backups never store; restore by hand` });
      return false;
    }
    return true;
  });
  const conflicts = todo.filter((c) => c.diff.changedByOthers);
  if (conflicts.length && !input.force) {
    throw new UsageError(
      `Refusing to restore backup ${rec.id}: ${conflicts.map((c) => `${c.item.type} ${c.item.name ?? c.item.id}`).join(', ')} changed after the backup by someone else ` +
        '(see diff_backup). Restoring would overwrite those changes; pass force to restore anyway.',
    );
  }
  if (todo.length === 0 && createdLive.length === 0) {
    return { id: rec.id, restored: [], deleted: [], skipped, verified: true, problems: [], summary: `Nothing to restore: the live state already matches backup ${rec.id}.` };
  }

  const details = [
    ...todo.map((c) => `restore ${c.item.type} ${c.item.name ?? ''} (${c.item.id}): ${plural(c.diff.changeCount, 'field')} back to ${rec.createdAt}`),
    ...createdLive.map((c) => `delete ${c.type} ${c.name ?? ''} (${c.id}), created after the backup`),
    ...skipped.map((s) => `skip ${s.type} ${s.name ?? s.id}: ${s.reason}`),
  ];
  await mustConfirm(ctx, makePlan(`Restore backup ${rec.id} (${plural(todo.length, 'object')}, ${plural(createdLive.length, 'deletion')})`, details, { id: rec.id, todo: todo.map((c) => [c.item.type, c.item.id, c.live?.lastModified]), del: createdLive.map((c) => c.id) }), 'destructive');

  const pre = await backup(
    ctx,
    // Each item is one object: an integration item is the integration alone (its flows are items of their own).
    [...todo.map((c) => ({ type: c.item.type as BackupType, id: c.item.id, ...(c.item.type === 'integration' ? { shallow: true } : {}) })), ...createdLive.map((c) => ({ type: c.type, id: c.id }))],
    `before restoring ${rec.id}`,
  );

  const restored: RestoreReport['restored'] = [];
  const problems: string[] = [];
  const ordered = [...todo].sort((a, b) => RESTORE_ORDER.indexOf(a.item.type) - RESTORE_ORDER.indexOf(b.item.type));
  let done = 0;
  const total = ordered.length + createdLive.length;
  const notRestored: { type: ItemType; id: string; name?: string; reason: string }[] = [];
  for (const c of ordered) {
    ctx.signal?.throwIfAborted();
    try {
      const after = await restoreItem(ctx, c.item, c.live!);
      await recordChanged(ctx, pre.id, { type: c.item.type as BackupType, id: c.item.id }, after);
      restored.push({ type: c.item.type, id: c.item.id, name: c.item.name });
    } catch (err) {
      // One object that cannot be written must not hide what was restored before it: go on, and say so.
      if (ctx.signal?.aborted || !(err instanceof CeligoApiError || err instanceof ConflictError)) throw err;
      notRestored.push({ type: c.item.type, id: c.item.id, name: c.item.name, reason: describeError(err) });
      problems.push(`${c.item.type} ${c.item.name ?? c.item.id} (${c.item.id}) was NOT restored: ${describeError(err)}`);
    }
    await report(ctx, ++done, total, `restored ${c.item.type} ${c.item.name ?? c.item.id}`);
  }
  const deleted: RestoreReport['deleted'] = [];
  const notDeleted: RestoreReport['deleted'] = [];
  for (const c of [...createdLive].sort((a, b) => DELETE_ORDER.indexOf(a.type) - DELETE_ORDER.indexOf(b.type))) {
    ctx.signal?.throwIfAborted();
    try {
      if (c.type === 'state') {
        const { key, scope } = stateScope(c.id);
        await ctx.api.state.delete(key, scope, { signal: ctx.signal });
      } else await apiFor(ctx, c.type).delete(c.id, { signal: ctx.signal });
      deleted.push(c);
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      if (!(err instanceof CeligoApiError && err.status === 404)) {
        notDeleted.push(c);
        problems.push(`${c.type} ${c.name ?? ''} (${c.id}) was NOT deleted: ${describeError(err)}`);
      }
    }
    await report(ctx, ++done, total, `deleted ${c.type} ${c.name ?? c.id}`);
  }

  // Read back: every restored object must now equal the backup.
  const fresh = await loadAll(ctx);
  for (const c of ordered) {
    if (notRestored.some((n) => n.type === c.item.type && n.id === c.item.id)) continue;
    const check = await compareItem(ctx, fresh, rec, c.item);
    if (check.diff.status !== 'unchanged') problems.push(`${c.item.type} ${c.item.id} still differs after restore: ${check.diff.changes.map((d) => d.path).join(', ')}`);
  }
  const summary =
    `Restored ${notRestored.length ? `${restored.length} of ${ordered.length} objects` : plural(restored.length, 'object')} from backup ${rec.id}` +
    (notRestored.length ? ` (NOT restored: ${notRestored.map((n) => `${n.type} ${n.name ?? n.id}`).join(', ')}; run restore_backup ${rec.id} again to finish: it only writes what still differs)` : '') +
    (deleted.length ? `, deleted ${plural(deleted.length, 'created resource')}` : '') +
    (notDeleted.length ? ` (NOT deleted: ${notDeleted.map((n) => `${n.type} ${n.name ?? n.id}`).join(', ')}; run restore_backup ${rec.id} again to finish)` : '') +
    (skipped.length ? `, skipped ${skipped.length}` : '') +
    (problems.length ? `; ${plural(problems.length, 'problem')}` : '; verified by reading back') +
    `. Undo with restore_backup ${pre.id}.`;
  return { id: rec.id, restored, deleted, skipped, preRestoreBackupId: pre.id, verified: problems.length === 0, problems, summary };
}

/** PUTs one backed-up object back; returns it as written. */
async function restoreItem(ctx: OpContext, item: BackupItem, live: Live): Promise<Live | undefined> {
  const data = item.data as Record<string, unknown>;
  if (item.type === 'state') {
    const { key, scope } = stateScope(item.id);
    await ctx.api.state.put(key, (data as { value: unknown }).value, scope, { signal: ctx.signal });
    return { value: (data as { value: unknown }).value };
  }
  if (item.type === 'connection') {
    // A connection's secrets are masked on read and never backed up: PUT cannot carry them, so only the
    // fields a PATCH may change are put back, and the rest is reported. `offline` is not among them
    // (celigo-api.md W15): it changes only by PUT, which would need the secrets.
    const patchable = ['name', 'debugDate'];
    const fields: Record<string, unknown> = {};
    for (const k of patchable) if (JSON.stringify(data[k]) !== JSON.stringify(live[k]) && data[k] !== undefined) fields[k] = data[k];
    if (Object.keys(fields).length) await ctx.api.connections.patch(item.id, fields, { signal: ctx.signal });
    if (data.offline !== undefined && !!data.offline !== !!live.offline) {
      throw new CeligoApiError({
        status: 422,
        code: 'not_patchable',
        message: `connection ${JSON.stringify(item.name ?? item.id)} was ${data.offline ? 'offline' : 'online'} in the backup; the API changes that only by a full PUT, which needs the connection's credentials, and celigo-manage never stores them`,
        method: 'PATCH',
        path: `/connections/${item.id}`,
        remedy: `Set it in the integrator.io web app: Resources > Connections > ${item.name ?? item.id} > ${data.offline ? 'take it offline' : 'bring it back online'}.`,
      });
    }
    return (await ctx.api.connections.get(item.id, { signal: ctx.signal })) as Live;
  }
  // Every resource API shares ResourceApi's update; the union of their element types is not callable as one.
  const api = apiFor(ctx, item.type as Exclude<BackupType, 'state' | 'connection'>) as unknown as ResourceApi<Live & { _id: string }>;
  const written = await api.update(item.id, (cur) => ({ ...(structuredClone(data) as Live), _id: cur._id }), {
    expectLastModified: live.lastModified,
    signal: ctx.signal,
  });
  if (item.type === 'integration' && written && written.tag !== data.tag) return restoreTag(ctx, item.id, data.tag);
  return written;
}

/**
 * An integration's tag is what Celigo's web app changes with a JSON Patch (celigo-api.md W5). Should the
 * full PUT not have carried it, the backed-up tag is put back with a replace, or removed if there was none.
 */
async function restoreTag(ctx: OpContext, id: string, tag: unknown): Promise<Live> {
  if (typeof tag === 'string') await ctx.api.integrations.patch(id, { tag }, { signal: ctx.signal });
  else await ctx.api.integrations.unset(id, ['tag'], { signal: ctx.signal });
  return (await ctx.api.integrations.get(id, { signal: ctx.signal })) as Live;
}
