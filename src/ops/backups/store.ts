// Where backups are kept, for every op that takes, lists, diffs or restores them: the session's shared
// store when it has one (ctx.store: PostgreSQL, issue 18), else one JSON file per backup under
// <home>/backups/ (issue 4 item 8). What a record holds, and how a stored one is checked, is
// store/record.ts. Secrets are never stored (see content.ts).
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { manageHome } from '../../config/home.js';
import { FileStore } from '../../store/file.js';
import { validBackupId, type BackupRecord, type BackupTarget, type SkippedFile } from '../../store/record.js';
import type { BackupStore, ChangeFilter, ChangeRow } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { changeOf } from './change-log.js';
import { foldAscii } from '../../store/changes.js';
import { filterText } from '../read/filter.js';

export { BACKUP_TYPES } from '../../store/record.js';
export type { BackupActor, BackupItem, BackupRecord, BackupTarget, BackupType, ItemType, SkippedFile } from '../../store/record.js';

export interface BackupSummary {
  id: string;
  createdAt: string;
  reason: string;
  targets: BackupTarget[];
  items: number;
  created: number;
  applied?: boolean;
}

export function backupDir(ctx: OpContext): string {
  return join(ctx.home ?? manageHome(), 'backups');
}

/** The file of a backup id in the local store (an id that could leave the folder is a usage error). */
export function backupFile(ctx: OpContext, id: string): string {
  return join(backupDir(ctx), `${validBackupId(id)}.json`);
}

/** A file store of the backups in `dir` (the local store, or the folder `backups import` reads). */
export function fileStore(dir: string): FileStore {
  return new FileStore(dir, changeOf);
}

/** The store of this call: the session's shared one, else the local files of its home. */
export function storeOf(ctx: OpContext): BackupStore {
  return ctx.store ?? fileStore(backupDir(ctx));
}

/** The row of the change log a store keeps for the record (the file store derives its own from the files). */
function changeFor(store: BackupStore, rec: BackupRecord): ChangeRow | undefined {
  return store.kind === 'file' ? undefined : changeOf(rec);
}

export async function saveBackup(ctx: OpContext, rec: BackupRecord): Promise<void> {
  const store = storeOf(ctx);
  await store.save(rec, changeFor(store, rec));
}

/** Adds a record only when the store has none with its id (backups import); false when it had one. */
export async function addBackup(store: BackupStore, rec: BackupRecord): Promise<boolean> {
  return store.add(rec, changeFor(store, rec));
}

export async function loadBackup(ctx: OpContext, id: string): Promise<BackupRecord> {
  return storeOf(ctx).load(id);
}

/** Removes the backup of a change that surely never happened. */
export async function removeBackup(ctx: OpContext, id: string): Promise<void> {
  await storeOf(ctx).remove(id);
}

/** Every readable backup record, oldest first, and the files that are not readable backups. */
export async function readBackups(ctx: OpContext): Promise<{ records: BackupRecord[]; skipped: SkippedFile[] }> {
  return storeOf(ctx).list();
}

/** Every readable backup record, oldest first (files that are not backups are left out). */
export async function listBackupRecords(ctx: OpContext): Promise<BackupRecord[]> {
  return (await readBackups(ctx)).records;
}

/** The change log: every change made through celigo-manage, newest first. */
export async function listChanges(ctx: OpContext, filter: ChangeFilter = {}): Promise<ChangeRow[]> {
  return storeOf(ctx).listChanges(filter);
}

export function newBackupId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
  return `bk-${stamp}-${randomBytes(3).toString('hex')}`;
}

export async function listBackups(
  ctx: OpContext,
  opts: { target?: string; limit?: number } = {},
): Promise<{ total: number; backups: BackupSummary[]; skipped: SkippedFile[] }> {
  // As list_changes reads its target (store/changes.ts): an id, or a name in any ASCII case; blank is an error.
  const target = filterText(opts.target, 'target', 'a resource id or name, e.g. "Shopify Orders to NetSuite"', 'every backup');
  const { records, skipped } = await readBackups(ctx);
  let all = records.reverse();
  if (target !== undefined) {
    const name = foldAscii(target);
    const hit = (o: { id: string; name?: string }) => o.id === target || (o.name !== undefined && foldAscii(o.name) === name);
    all = all.filter((r) => r.items.some(hit) || r.created.some(hit) || (r.deleted ?? []).some(hit));
  }
  const total = all.length;
  return {
    total,
    backups: all
      .slice(0, opts.limit ?? 50)
      .map((r) => ({ id: r.id, createdAt: r.createdAt, reason: r.reason, targets: r.targets, items: r.items.length, created: r.created.length, applied: r.applied })),
    skipped,
  };
}
