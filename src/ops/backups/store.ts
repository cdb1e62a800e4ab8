// The local backup store: what a backup record holds, and one JSON file per backup under <home>/backups/
// (issue 4 item 8). Secrets are never stored (see content.ts).
import { mkdir, readFile, readdir, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
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
  /**
   * Resources the change deleted (delete_resource): restoring the backup re-creates them from their items
   * (or brings them back from the recycle bin) instead of skipping them as deleted by someone else.
   */
  deleted?: { type: BackupType; id: string; name?: string; recreatedAs?: string }[];
  /**
   * Whether the change was applied: false when saved (before the change is sent), true once a write
   * succeeded. Absent in backups from before this field existed.
   */
  applied?: boolean;
}

export interface BackupSummary {
  id: string;
  createdAt: string;
  reason: string;
  targets: BackupTarget[];
  items: number;
  created: number;
  applied?: boolean;
}

/** A file in the backups folder that is not a readable backup: listed with why, never fatal. */
export interface SkippedFile {
  path: string;
  reason: string;
}

// What a backup file must hold to be read as one. Unknown keys are kept (a newer version may add some).
const ID = /^[A-Za-z0-9_-]{1,100}$/;
const optString = z.string().nullish().transform((v) => v ?? undefined);
const TYPE = z.enum(BACKUP_TYPES);
const ITEM = z.looseObject({
  type: z.enum([...BACKUP_TYPES, 'connectionRef']),
  id: z.string(),
  name: optString,
  lastModified: optString,
  after: z.array(z.string()).optional(),
  afterDigests: z.array(z.string()).optional(),
  data: z.unknown().optional(),
  stripped: z.array(z.string()).optional(),
  missing: z.boolean().optional(),
});
const RECORD = z.looseObject({
  id: z.string().regex(ID),
  createdAt: z.string(),
  reason: z.string(),
  baseUrl: z.string(),
  targets: z.array(z.looseObject({ type: TYPE, id: z.string(), shallow: z.boolean().optional() })),
  items: z.array(ITEM),
  created: z.array(z.looseObject({ type: TYPE, id: z.string(), name: optString })),
  deleted: z.array(z.looseObject({ type: TYPE, id: z.string(), name: optString, recreatedAs: optString })).optional(),
  applied: z.boolean().optional(),
});

/** The record a file holds, or why it is not one (damaged JSON, not a backup, another id than its name). */
function parseRecord(text: string, id: string): BackupRecord | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return `damaged JSON (${(err as Error).message}); it may have been cut short`;
  }
  const r = RECORD.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    return `not a celigo-manage backup (${issue.path.length ? issue.path.join('.') + ': ' : ''}${issue.message})`;
  }
  if (r.data.id !== id) return `it holds backup ${JSON.stringify(r.data.id)} under another file name`;
  return r.data as BackupRecord;
}

const SKIP_FIX = 'move it out of the backups folder';

export function backupDir(ctx: OpContext): string {
  return join(ctx.home ?? manageHome(), 'backups');
}

/** The file of a backup id (an id that could leave the folder is a usage error). */
export function backupFile(ctx: OpContext, id: string): string {
  if (!ID.test(id)) throw new UsageError(`Invalid backup id "${id.slice(0, 40)}${id.length > 40 ? '…' : ''}". The list of backups shows their ids.`);
  return join(backupDir(ctx), `${id}.json`);
}

export async function saveBackup(ctx: OpContext, rec: BackupRecord): Promise<void> {
  await mkdir(backupDir(ctx), { recursive: true, mode: 0o700 });
  const file = backupFile(ctx, rec.id);
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(rec, null, 1) + '\n', { mode: 0o600 });
  await rename(tmp, file);
}

export async function loadBackup(ctx: OpContext, id: string): Promise<BackupRecord> {
  const file = backupFile(ctx, id);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`No backup "${id}". The list of backups shows their ids.`);
    throw err;
  }
  const rec = parseRecord(text, id);
  if (typeof rec === 'string') throw new UsageError(`${file} cannot be read as a backup: ${rec}. Restore another backup, or ${SKIP_FIX}.`);
  return rec;
}

/** Every readable backup record, oldest first, and the files that are not readable backups. */
export async function readBackups(ctx: OpContext): Promise<{ records: BackupRecord[]; skipped: SkippedFile[] }> {
  let names: string[];
  try {
    names = await readdir(backupDir(ctx));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: [] };
    throw err;
  }
  const records: BackupRecord[] = [];
  const skipped: SkippedFile[] = [];
  for (const n of names.filter((f) => f.endsWith('.json')).sort()) {
    const path = join(backupDir(ctx), n);
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : err));
    if (text === undefined) continue; // removed since the folder was read
    const rec = typeof text === 'string' ? parseRecord(text, n.slice(0, -'.json'.length)) : `unreadable (${text.code ?? text.message})`;
    if (typeof rec === 'string') skipped.push({ path, reason: `${rec}; ${SKIP_FIX}` });
    else records.push(rec);
  }
  records.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return { records, skipped };
}

/** Every readable backup record, oldest first (files that are not backups are left out). */
export async function listBackupRecords(ctx: OpContext): Promise<BackupRecord[]> {
  return (await readBackups(ctx)).records;
}

export function newBackupId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
  return `bk-${stamp}-${randomBytes(3).toString('hex')}`;
}

export async function listBackups(
  ctx: OpContext,
  opts: { target?: string; limit?: number } = {},
): Promise<{ total: number; backups: BackupSummary[]; skipped: SkippedFile[] }> {
  const { records, skipped } = await readBackups(ctx);
  let all = records.reverse();
  if (opts.target) all = all.filter((r) => r.items.some((i) => i.id === opts.target || i.name === opts.target) || r.created.some((c) => c.id === opts.target));
  const total = all.length;
  return {
    total,
    backups: all
      .slice(0, opts.limit ?? 50)
      .map((r) => ({ id: r.id, createdAt: r.createdAt, reason: r.reason, targets: r.targets, items: r.items.length, created: r.created.length, applied: r.applied })),
    skipped,
  };
}
