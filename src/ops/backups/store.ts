// The local backup store: what a backup record holds, and one JSON file per backup under <home>/backups/
// (issue 4 item 8). Secrets are never stored (see content.ts).
import { mkdir, readFile, readdir, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { manageHome } from '../../config/home.js';
import { UsageError } from '../../core/errors.js';
import type { OpContext } from '../context.js';

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

export function backupDir(ctx: OpContext): string {
  return join(ctx.home ?? manageHome(), 'backups');
}

function pathOf(ctx: OpContext, id: string): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new UsageError(`Invalid backup id "${id.slice(0, 40)}${id.length > 40 ? '…' : ''}". The list of backups shows their ids.`);
  return join(backupDir(ctx), `${id}.json`);
}

export async function saveBackup(ctx: OpContext, rec: BackupRecord): Promise<void> {
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
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`No backup "${id}". The list of backups shows their ids.`);
    throw err;
  }
}

/** Every backup record, oldest first. */
export async function listBackupRecords(ctx: OpContext): Promise<BackupRecord[]> {
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

export function newBackupId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
  return `bk-${stamp}-${randomBytes(3).toString('hex')}`;
}

export async function listBackups(ctx: OpContext, opts: { target?: string; limit?: number } = {}): Promise<{ total: number; backups: BackupSummary[] }> {
  let all = (await listBackupRecords(ctx)).reverse();
  if (opts.target) all = all.filter((r) => r.items.some((i) => i.id === opts.target || i.name === opts.target) || r.created.some((c) => c.id === opts.target));
  const total = all.length;
  return {
    total,
    backups: all.slice(0, opts.limit ?? 50).map((r) => ({ id: r.id, createdAt: r.createdAt, reason: r.reason, targets: r.targets, items: r.items.length, created: r.created.length })),
  };
}
