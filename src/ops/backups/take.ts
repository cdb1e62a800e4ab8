// Taking a backup before a change (an integration with its flows, exports, imports and connection
// references, or single objects), and recording what the change then created or wrote.
import { CeligoApiError, ConflictError, UsageError } from '../../core/errors.js';
import { flowSteps } from '../../core/flows.js';
import type { OpContext } from '../context.js';
import { isAmbiguous } from '../at-most-once.js';
import { nowOf } from '../util.js';
import { currentActor } from '../../app/actor.js';
import { contentDigest, stripSecrets, withoutReadOnly } from './content.js';
import { readLive, type Live } from './live.js';
import { BACKUP_TYPES, loadBackup, newBackupId, removeBackup, saveBackup, type BackupActor, type BackupItem, type BackupRecord, type BackupTarget, type BackupType, type ItemType } from './store.js';

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

/** Who makes the change: the call's actor (the HTTP layer's authenticated user), else the local user. */
function byOf(ctx: OpContext): BackupActor {
  const a = ctx.actor ?? currentActor();
  return { subject: a.subject, via: a.via, ...(a.name ? { name: a.name } : {}) };
}

/**
 * Saves the targets (an integration with its flows, exports, imports and connection references) to the
 * backup store (ops/backups/store.ts) before a change, with who makes it, marked not applied until a
 * write succeeds (recordChanged, recordCreated, markApplied). Returns the record; its id is what list_backups and restore_backup use. In read-only mode
 * nothing can be sent, so nothing is backed up either.
 */
export async function backup(ctx: OpContext, targets: BackupTarget[], reason: string): Promise<BackupRecord> {
  if (ctx.api.http.readOnly) throw new UsageError(`Read-only mode allows no changes: nothing was backed up or sent (${reason.slice(0, 100)}). Run without read-only mode to make changes.`);
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
    id: newBackupId(nowOf(ctx)),
    createdAt: nowOf(ctx).toISOString(),
    reason,
    baseUrl: ctx.api.http.baseUrl,
    targets,
    items,
    created: [],
    applied: false,
    by: byOf(ctx),
  };
  if (ctx.operation) rec.tool = ctx.operation;
  await saveBackup(ctx, rec);
  return rec;
}

/** Notes that the change the backup precedes was applied (at least in part). */
export async function markApplied(ctx: OpContext, backupId: string): Promise<void> {
  const rec = await loadBackup(ctx, backupId);
  if (rec.applied) return;
  rec.applied = true;
  await saveBackup(ctx, rec);
}

/** An error after which the change surely did not happen: never sent, or refused by integrator.io. */
export function surelyNotApplied(ctx: OpContext, err: unknown): boolean {
  if (ctx.signal?.aborted) return false;
  return err instanceof ConflictError || err instanceof UsageError || (err instanceof CeligoApiError && !isAmbiguous(err));
}

/**
 * After the change failed with `err`: when it surely did not happen and nothing of it was recorded, the
 * backup is removed (a change that never happened leaves no backup); otherwise it stays, not applied.
 * Returns whether it was removed. Never throws: the caller rethrows the change's own error.
 */
export async function forgetUnapplied(ctx: OpContext, backupId: string, err: unknown): Promise<boolean> {
  if (!surelyNotApplied(ctx, err)) return false;
  try {
    const rec = await loadBackup(ctx, backupId);
    if (rec.applied || rec.created.length) return false;
    await removeBackup(ctx, backupId);
    return true;
  } catch {
    return false;
  }
}

/** Notes a resource created by the change the backup precedes: restoring the backup deletes it. */
export async function recordCreated(ctx: OpContext, backupId: string, target: { type: BackupType; id: string; name?: string }): Promise<void> {
  const rec = await loadBackup(ctx, backupId);
  if (!rec.created.some((c) => c.type === target.type && c.id === target.id)) rec.created.push(target);
  rec.applied = true;
  await saveBackup(ctx, rec);
}

/** Notes a resource the change deleted: restoring the backup re-creates it from its item. */
export async function recordDeleted(ctx: OpContext, backupId: string, target: { type: BackupType; id: string; name?: string }): Promise<void> {
  const rec = await loadBackup(ctx, backupId);
  rec.deleted ??= [];
  if (!rec.deleted.some((c) => c.type === target.type && c.id === target.id)) rec.deleted.push(target);
  rec.applied = true;
  await saveBackup(ctx, rec);
}

/**
 * Notes that the change was applied, and what it produced on a backed-up object: the object as our write
 * returned it (or only its lastModified), never a later read, which may hold someone else's newer write.
 * A restore compares the live object with exactly this after-state.
 */
export async function recordChanged(
  ctx: OpContext,
  backupId: string,
  target: { type: BackupType; id: string },
  written: string | (Record<string, unknown> & { lastModified?: string }) | undefined,
): Promise<void> {
  const rec = await loadBackup(ctx, backupId);
  rec.applied = true;
  const item = rec.items.find((i) => i.type === target.type && i.id === target.id);
  if (item && written) {
    const lm = typeof written === 'string' ? written : written.lastModified;
    if (lm) item.after = [...new Set([...(item.after ?? []), lm])];
    if (typeof written === 'object') item.afterDigests = [...new Set([...(item.afterDigests ?? []), contentDigest(target.type, written)])];
  }
  await saveBackup(ctx, rec);
}
