// What a backup record holds, and how a stored one is checked before it is used (every store reads
// through checkRecord). Secrets are never stored (ops/backups/content.ts strips them before a save).
import { z } from 'zod';
import { UsageError } from '../core/errors.js';

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

/** Who made the change a backup precedes (app/actor.ts): the token's subject, or `local:<user>`. */
export interface BackupActor {
  subject: string;
  via: string;
  /** A display name when the caller's token carried one. */
  name?: string;
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
  /** Who made the change (absent in backups from before issue 18). */
  by?: BackupActor;
  /** The MCP tool or CLI command that made the change, when known. */
  tool?: string;
}

/** A stored backup that cannot be read as one: listed with why, never fatal. */
export interface SkippedFile {
  /** The file, or for the database store `database row <id>`. */
  path: string;
  reason: string;
}

/** What a backup id may be: it names a file, so nothing that could leave the backups folder. */
export const BACKUP_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** `id` when it is a valid backup id; a usage error naming it otherwise. */
export function validBackupId(id: string): string {
  if (!BACKUP_ID.test(id)) throw new UsageError(`Invalid backup id "${id.slice(0, 40)}${id.length > 40 ? '…' : ''}". The list of backups shows their ids.`);
  return id;
}

export function noSuchBackup(id: string): UsageError {
  return new UsageError(`No backup "${id}". The list of backups shows their ids.`);
}

// What a stored backup must hold to be read as one. Unknown keys are kept (a newer version may add some).
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
  id: z.string().regex(BACKUP_ID),
  createdAt: z.string(),
  reason: z.string(),
  baseUrl: z.string(),
  targets: z.array(z.looseObject({ type: TYPE, id: z.string(), shallow: z.boolean().optional() })),
  items: z.array(ITEM),
  created: z.array(z.looseObject({ type: TYPE, id: z.string(), name: optString })),
  deleted: z.array(z.looseObject({ type: TYPE, id: z.string(), name: optString, recreatedAs: optString })).optional(),
  applied: z.boolean().optional(),
  by: z.looseObject({ subject: z.string(), via: z.string(), name: optString }).optional(),
  tool: optString,
});

/**
 * The record a stored value holds, or why it is not one (not a backup, another id than it is stored
 * under: `storedUnder` says what names it, e.g. "file name").
 */
export function checkRecord(json: unknown, id: string, storedUnder = 'id'): BackupRecord | string {
  const r = RECORD.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    return `not a celigo-manage backup (${issue.path.length ? issue.path.join('.') + ': ' : ''}${issue.message})`;
  }
  if (r.data.id !== id) return `it holds backup ${JSON.stringify(r.data.id)} under another ${storedUnder}`;
  return r.data as BackupRecord;
}

/** The record a file's text holds, or why it is not one (damaged JSON, not a backup, another id than its name). */
export function parseRecord(text: string, id: string): BackupRecord | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return `damaged JSON (${(err as Error).message}); it may have been cut short`;
  }
  return checkRecord(json, id, 'file name');
}
