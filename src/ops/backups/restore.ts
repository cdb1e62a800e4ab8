// Restoring a backup: put back what differs (refusing what someone else changed, unless forced), delete
// what the change created, back up the state it replaces, and read everything back.
import { CeligoApiError, ConflictError, UsageError, describeError } from '../../core/errors.js';
import type { ResourceApi } from '../../core/resource.js';
import type { NextStep, Outcome } from '../outcome.js';
import type { OpContext } from '../context.js';
import { makePlan, mustConfirm } from '../confirm.js';
import { plural, report } from '../util.js';
import { compareItem, createdExists, type ItemDiff } from './diff.js';
import { apiFor, readLive, stateScope, type Live } from './live.js';
import { loadBackup, saveBackup, type BackupItem, type BackupRecord, type BackupType, type ItemType } from './store.js';
import { backup, forgetUnapplied, markApplied, recordChanged, surelyNotApplied } from './take.js';
import { connectionInApp } from '../web-app.js';
import { isRecreatable, recreateDeleted, recreatedText, type Recreated } from './recreate.js';

export interface RestoreReport {
  id: string;
  restored: { type: ItemType; id: string; name?: string }[];
  deleted: { type: BackupType; id: string; name?: string }[];
  /** Objects the backup's change deleted, brought back (recycle bin) or re-created (new ids). */
  recreated: Recreated[];
  /** What a restore cannot do: recreate a deleted object, write secrets, remove an object it did not create. */
  skipped: { type: ItemType; id: string; name?: string; cause: SkipCause; reason: string }[];
  /** Backup of the state just before the restore (so the restore itself can be undone). */
  preRestoreBackupId?: string;
  /** The live state now matches the backup: every restored object read back equal, and nothing was skipped. */
  verified: boolean;
  problems: string[];
  summary: string;
  /** Set when not everything was put back (or could be): partial (some of it was), failed (none of it). */
  outcome?: Extract<Outcome, 'partial' | 'failed'>;
  /** Finish the restore (run it again), or undo it (restore the backup taken just before). */
  next: NextStep[];
}

export type SkipCause = 'deleted' | 'recreated' | 'secrets';

const RESTORE_ORDER: ItemType[] = ['connection', 'export', 'import', 'flow', 'integration', 'tag', 'state'];
// Users before what they use: flows, then their exports and imports, then the integration (deleting it
// may take its flows with it), then connections, which the integration registers.
const DELETE_ORDER: BackupType[] = ['flow', 'export', 'import', 'integration', 'connection', 'tag', 'state'];

/** Whether a restore can put back every field: secrets that were left out cannot be sent back. */
function secretBlocked(item: BackupItem): boolean {
  return !!item.stripped?.length && item.type !== 'connection';
}

type Created = BackupRecord['created'][number];
/** An object that differs from its backup, with the live copy it was compared with. */
interface Pending {
  item: BackupItem;
  diff: ItemDiff;
  live?: Live;
}
interface RestorePlan {
  todo: Pending[];
  /** Deleted by the backup's own change: re-created (backups/recreate.ts). */
  recreate: BackupItem[];
  createdLive: Created[];
  skipped: RestoreReport['skipped'];
}

/** What a restore asks for: `force` passes newer edits; `otherAccount` passes the account guard. */
export interface RestoreInput {
  id: string;
  /** Overwrite objects changed since the backup's own change (by someone else or a later change). */
  force?: boolean;
  /** Restore a backup taken from another account or region (API base URL). Only a person at a terminal passes it. */
  otherAccount?: boolean;
}

/**
 * Puts the backed-up objects back (read-modify-write, one PUT per changed object) and deletes what the
 * change created. Refuses a backup from another account unless `otherAccount`, and objects changed since
 * the backup's own change unless `force`: two guards, two overrides. Asks for confirmation; backs up the
 * current state first.
 */
export async function restoreBackup(ctx: OpContext, input: RestoreInput): Promise<RestoreReport> {
  const rec = await loadBackup(ctx, input.id);
  if (rec.baseUrl !== ctx.api.http.baseUrl && !input.otherAccount) {
    throw new UsageError(
      `Backup ${rec.id} was taken from ${rec.baseUrl}, not ${ctx.api.http.baseUrl} (another account or region). Restore it with the profile it came from. ` +
        `To write it into this account anyway, a person runs: celigo-manage backups restore ${rec.id} --other-account (force does not cover this).`,
    );
  }
  const plan = await planRestore(ctx, rec);
  const { todo, createdLive, skipped, recreate } = plan;
  const conflicts = todo.filter((c) => c.diff.changedByOthers);
  if (conflicts.length && !input.force) {
    throw new UsageError(
      `Refusing to restore backup ${rec.id}: ${conflicts.map((c) => `${c.item.type} ${c.item.name ?? c.item.id}`).join(', ')} changed after the backup by someone else or by a later change ` +
        "(the backup's diff shows how; undo later changes first, newest first). Restoring would overwrite those changes; pass force to restore anyway.",
    );
  }
  if (todo.length === 0 && createdLive.length === 0 && recreate.length === 0) return nothingToDo(rec, skipped);
  await confirmRestore(ctx, rec, plan);

  const pre = await backup(
    ctx,
    // Each item is one object: an integration item is the integration alone (its flows are items of their own).
    [...todo.map((c) => ({ type: c.item.type as BackupType, id: c.item.id, ...(c.item.type === 'integration' ? { shallow: true } : {}) })), ...createdLive.map((c) => ({ type: c.type, id: c.id }))],
    `before restoring ${rec.id}`,
  );

  const problems: string[] = [];
  const failures: unknown[] = [];
  const ordered = [...todo].sort((a, b) => RESTORE_ORDER.indexOf(a.item.type) - RESTORE_ORDER.indexOf(b.item.type));
  const total = recreate.length + ordered.length + createdLive.length;
  const { recreated, notRecreated } = await recreateDeleted(ctx, recreate, pre.id, 0, total, problems, failures);
  if (recreated.length) await noteRecreated(ctx, rec.id, recreated);
  const { restored, notRestored } = await putBack(ctx, pre.id, ordered, recreate.length, total, problems, failures);
  const { deleted, notDeleted } = await deleteCreated(ctx, createdLive, recreate.length + ordered.length, total, problems, failures);
  if (deleted.length) await markApplied(ctx, pre.id);
  // Nothing written, and surely so: the state before the restore is the state now, so no undo is kept.
  const kept = restored.length + deleted.length + recreated.length > 0 || !failures.every((e) => surelyNotApplied(ctx, e)) || !(await forgetUnapplied(ctx, pre.id, failures[0]));
  await readBack(ctx, ordered, notRestored, problems);
  const unfinished = notRestored.length + notDeleted.length + notRecreated.length > 0;
  const summary =
    `Restored ${notRestored.length ? `${restored.length} of ${ordered.length} objects` : plural(restored.length, 'object')} from backup ${rec.id}` +
    (notRestored.length ? ` (NOT restored: ${notRestored.map((n) => `${n.type} ${n.name ?? n.id}`).join(', ')}; restore backup ${rec.id} again to finish: it only writes what still differs)` : '') +
    (deleted.length ? `, deleted ${plural(deleted.length, 'created resource')}` : '') +
    (notDeleted.length ? ` (NOT deleted: ${notDeleted.map((n) => `${n.type} ${n.name ?? n.id}`).join(', ')}; restore backup ${rec.id} again to finish)` : '') +
    recreatedText(recreated) +
    (problems.length ? `; ${plural(problems.length, 'problem')}` : '; verified by reading back') +
    (skipped.length ? `; but ${skippedText(skipped)}` : '') +
    (kept ? `. Undo it by restoring backup ${pre.id}.` : '. Nothing was changed.');
  const next: NextStep[] = [
    ...(unfinished ? [{ op: 'restore_backup', args: { id: rec.id }, why: 'finish: it only writes what still differs' }] : []),
    ...(kept ? [{ op: 'restore_backup', args: { id: pre.id }, why: 'undo this restore' }] : []),
  ];
  const incomplete = problems.length > 0 || skipped.length > 0 || recreated.some((r) => r.secretsLeftOut?.length);
  const outcome = incomplete ? (restored.length || deleted.length || recreated.length ? 'partial' : 'failed') : undefined;
  return { id: rec.id, restored, deleted, recreated, skipped, ...(kept ? { preRestoreBackupId: pre.id } : {}), verified: !incomplete, problems, summary, ...(outcome ? { outcome } : {}), next };
}

/** What the skipped objects are, told as what the restore could not do. */
function skippedText(skipped: RestoreReport['skipped']): string {
  const count = (cause: SkipCause) => skipped.filter((s) => s.cause === cause).length;
  const parts = [
    count('deleted') ? `cannot recreate ${plural(count('deleted'), 'object')} deleted since the backup (a new object would get a new id; its diff shows their content)` : '',
    count('secrets') ? `cannot restore ${plural(count('secrets'), 'object')} holding secrets that backups never store (restore them by hand)` : '',
    count('recreated') ? `left ${plural(count('recreated'), 'object')} that did not exist at backup time (delete them by hand if they should go)` : '',
  ];
  return parts.filter(Boolean).join('; ');
}

/** Nothing to write or delete: either the live state matches, or what differs is beyond a restore. */
function nothingToDo(rec: BackupRecord, skipped: RestoreReport['skipped']): RestoreReport {
  const base = { id: rec.id, restored: [], deleted: [], recreated: [], skipped, problems: [] };
  if (!skipped.length) return { ...base, verified: true, summary: `Nothing to restore: the live state already matches backup ${rec.id}.`, next: [] };
  return {
    ...base,
    verified: false,
    outcome: 'failed',
    summary: `Backup ${rec.id} was NOT restored: a restore ${skippedText(skipped)}. Nothing was changed.`,
    next: [{ op: 'diff_backup', args: { id: rec.id }, why: 'see the content to put back by hand' }],
  };
}

/** Compares every item with the live object: what to put back, what to delete, what a restore cannot do. */
async function planRestore(ctx: OpContext, rec: BackupRecord): Promise<RestorePlan> {
  const compared: Pending[] = [];
  for (const it of rec.items) compared.push({ item: it, ...(await compareItem(ctx, it)) });
  const createdLive: Created[] = [];
  for (const c of rec.created) if (await createdExists(ctx, c)) createdLive.push(c);

  const skipped: RestoreReport['skipped'] = [];
  const recreate: BackupItem[] = [];
  const deletedByChange = new Set<string>();
  for (const d of rec.deleted ?? []) {
    // Re-created by an earlier restore of this backup and still there: nothing left to do for it.
    if (d.recreatedAs && isRecreatable(d.type) && (await readLive(ctx, d.type, d.recreatedAs))) continue;
    deletedByChange.add(`${d.type}:${d.id}`);
  }
  // An object missing at backup time that the change itself created is deleted as created, not left.
  const madeByChange = new Set(rec.created.map((c) => `${c.type}:${c.id}`));
  const done = new Set((rec.deleted ?? []).map((d) => `${d.type}:${d.id}`).filter((k) => !deletedByChange.has(k)));
  const todo = compared.filter((c) => {
    if (c.diff.status === 'deleted' && done.has(`${c.item.type}:${c.item.id}`)) return false;
    if (c.diff.status === 'unchanged') return false;
    if (c.diff.status === 'recreated' && madeByChange.has(`${c.item.type}:${c.item.id}`)) return false;
    if (c.diff.status === 'deleted' && deletedByChange.has(`${c.item.type}:${c.item.id}`) && isRecreatable(c.item.type)) {
      recreate.push(c.item);
      return false;
    }
    if (c.diff.status === 'deleted' || c.diff.status === 'recreated') {
      skipped.push({ type: c.item.type, id: c.item.id, name: c.item.name, cause: c.diff.status, reason: c.diff.status === 'deleted' ? 'deleted since the backup; a new object would get a new id, so recreate it by hand from the backup (its diff shows the content)' : 'did not exist at backup time and exists now; delete it by hand if it should go' });
      return false;
    }
    if (secretBlocked(c.item)) {
      skipped.push({ type: c.item.type, id: c.item.id, name: c.item.name, cause: 'secrets', reason: `holds secrets (${c.item.stripped!.join(', ')}) that backups never store; restore by hand` });
      return false;
    }
    return true;
  });
  return { todo, recreate, createdLive, skipped };
}

async function confirmRestore(ctx: OpContext, rec: BackupRecord, { todo, createdLive, skipped, recreate }: RestorePlan): Promise<void> {
  const details = [
    ...recreate.map((i) => `re-create ${i.type} ${i.name ?? ''} (${i.id}), deleted by the change${i.stripped?.length ? `, without its secrets (${i.stripped.join(', ')})` : ''}`),
    ...todo.map((c) => `restore ${c.item.type} ${c.item.name ?? ''} (${c.item.id}): ${plural(c.diff.changeCount, 'field')} back to ${rec.createdAt}`),
    ...createdLive.map((c) => `delete ${c.type} ${c.name ?? ''} (${c.id}), created after the backup`),
    ...skipped.map((s) => `skip ${s.type} ${s.name ?? s.id}: ${s.reason}`),
  ];
  await mustConfirm(ctx, makePlan(`Restore backup ${rec.id} (${plural(todo.length + recreate.length, 'object')}, ${plural(createdLive.length, 'deletion')})`, details, { id: rec.id, todo: todo.map((c) => [c.item.type, c.item.id, c.live?.lastModified]), del: createdLive.map((c) => c.id), re: recreate.map((i) => i.id) }), 'destructive');
}

/** Writes the objects back in order; progress counts from 0 of `total`. Failures land in `problems`. */
async function putBack(ctx: OpContext, preId: string, ordered: Pending[], done: number, total: number, problems: string[], failures: unknown[]) {
  const restored: RestoreReport['restored'] = [];
  const notRestored: { type: ItemType; id: string; name?: string; reason: string }[] = [];
  for (const c of ordered) {
    ctx.signal?.throwIfAborted();
    try {
      const after = await restoreItem(ctx, c.item, c.live!);
      await recordChanged(ctx, preId, { type: c.item.type as BackupType, id: c.item.id }, after);
      restored.push({ type: c.item.type, id: c.item.id, name: c.item.name });
    } catch (err) {
      // One object that cannot be written must not hide what was restored before it: go on, and say so.
      if (ctx.signal?.aborted || !(err instanceof CeligoApiError || err instanceof ConflictError)) throw err;
      failures.push(err);
      notRestored.push({ type: c.item.type, id: c.item.id, name: c.item.name, reason: describeError(err) });
      problems.push(`${c.item.type} ${c.item.name ?? c.item.id} (${c.item.id}) was NOT restored: ${describeError(err)}`);
    }
    await report(ctx, ++done, total, `restored ${c.item.type} ${c.item.name ?? c.item.id}`);
  }
  return { restored, notRestored };
}

/** Deletes what the change created, users before what they use; progress goes on from `done`. */
async function deleteCreated(ctx: OpContext, createdLive: Created[], done: number, total: number, problems: string[], failures: unknown[]) {
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
        failures.push(err);
        notDeleted.push(c);
        problems.push(`${c.type} ${c.name ?? ''} (${c.id}) was NOT deleted: ${describeError(err)}`);
      }
    }
    await report(ctx, ++done, total, `deleted ${c.type} ${c.name ?? c.id}`);
  }
  return { deleted, notDeleted };
}

/** Read back: every restored object must now equal the backup. */
async function readBack(ctx: OpContext, ordered: Pending[], notRestored: { type: ItemType; id: string }[], problems: string[]): Promise<void> {
  for (const c of ordered) {
    if (notRestored.some((n) => n.type === c.item.type && n.id === c.item.id)) continue;
    const check = await compareItem(ctx, c.item);
    if (check.diff.status !== 'unchanged') problems.push(`${c.item.type} ${c.item.id} still differs after restore: ${check.diff.changes.map((d) => d.path).join(', ')}`);
  }
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
        remedy: `Set it in Celigo's web app, ${connectionInApp(item.name ?? item.id)}: ${data.offline ? 'take it offline' : 'Save it (saving tests it and brings it back online)'}.`,
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

/** Notes in the backup what its restore re-created, so restoring it again does not re-create it twice. */
async function noteRecreated(ctx: OpContext, id: string, recreated: Recreated[]): Promise<void> {
  const rec = await loadBackup(ctx, id);
  for (const r of recreated) {
    const d = rec.deleted?.find((x) => x.type === r.type && x.id === r.oldId);
    if (d) d.recreatedAs = r.newId;
  }
  await saveBackup(ctx, rec);
}
