// Where backups, the change log and the confirmation key live (issue 18): local files for one person
// (store/file.ts, the default), or PostgreSQL shared by a team's server replicas (store/postgres.ts, when
// CELIGO_MANAGE_DATABASE_URL is set). ops/backups/store.ts is the only caller; it picks ctx.store, else
// the file store of ctx.home.
import type { BackupRecord, BackupType, ItemType, SkippedFile } from './record.js';

/** One row of the change log: one change made through celigo-manage, keyed by the backup taken before it. */
export interface ChangeRow {
  backupId: string;
  /** When the change started (the backup's createdAt). */
  at: string;
  /** Who: the actor's subject (`local:<user>` for a local session; `unknown` for backups from before issue 18). */
  subject: string;
  /** How the actor was authenticated: oauth, bearer or local. */
  via: string;
  /** The actor's display name, when their token carried one. */
  name?: string;
  /** What: the backup's reason ("update mapping of ..."). */
  operation: string;
  /** The MCP tool or CLI command, when known. */
  tool?: string;
  /** The account: its API base URL (never a token). */
  baseUrl: string;
  /** Whether the change was applied (false: saved before the change, which then failed or was cut short). */
  applied: boolean;
  /** Each backed-up object as it was before the change, by the digest of its content (none when it was missing). */
  before: { type: ItemType; id: string; name?: string; digest?: string }[];
  /** Each object the change wrote, by the digests of what the writes returned (item.afterDigests). */
  after: { type: ItemType; id: string; digests: string[] }[];
  created: { type: BackupType; id: string; name?: string }[];
  deleted: { type: BackupType; id: string; name?: string }[];
}

export interface ChangeFilter {
  /** Only changes at or after this time (ISO 8601). */
  since?: string;
  /** Only changes before this time (ISO 8601; excluded). */
  until?: string;
  /** Only this actor's changes. */
  subject?: string;
  /** Only changes to this account. */
  baseUrl?: string;
  /** Only changes made by one of these tools or commands (exact names, e.g. update_mapping, "mapping update"). */
  tools?: string[];
  /**
   * Only changes to this resource: an object the change backed up, wrote, created or deleted has this id,
   * or this name as the log recorded it (whole, ignoring the case of ASCII letters only, so that every
   * store folds case alike whatever its locale).
   */
  target?: string;
  /** At most this many rows, newest first (default 100). */
  limit?: number;
}

/** What /healthz says of the shared store: where it is, and why it does not answer (when it does not). */
export interface StoreHealth {
  kind: 'postgres';
  where: string;
  down?: string;
}

export interface BackupStore {
  readonly kind: 'file' | 'postgres';
  /** Where it is, for messages: a folder, or `host:port/database` (never a password). */
  readonly where: string;
  /** Connects and prepares the store (the database's tables); a StoreError when it cannot. Files: nothing to do. */
  ready(): Promise<void>;
  /**
   * Writes the record (a new one, or a newer state of it). `change` is its row of the change log, written
   * in the same transaction; the file store derives its log from the records and ignores it.
   */
  save(record: BackupRecord, change?: ChangeRow): Promise<void>;
  /** Writes the record only when none has its id; false when one was there (backups import). */
  add(record: BackupRecord, change?: ChangeRow): Promise<boolean>;
  /** The record; a UsageError when there is none or what is stored is not a readable backup. */
  load(id: string): Promise<BackupRecord>;
  /** Every readable record, oldest first, and what is stored but not readable as a backup (with why). */
  list(): Promise<{ records: BackupRecord[]; skipped: SkippedFile[] }>;
  /** Removes a backup whose change surely never happened (and its row of the change log). */
  remove(id: string): Promise<void>;
  /** Removes these backups and their rows of the change log (backups prune); the ids that were there. */
  removeMany(ids: string[]): Promise<string[]>;
  /** The change log, newest first. */
  listChanges(filter?: ChangeFilter): Promise<ChangeRow[]>;
  /**
   * The key confirmation tokens are signed with, shared by every process that uses this store; undefined
   * when the store has none to share (files: each process keeps its own random key, so a token does not
   * outlive the server that minted it).
   */
  confirmKey(): Promise<Buffer | undefined>;
  /** The shared store's state for /healthz (files have none). */
  health?(): StoreHealth;
  close(): Promise<void>;
}

/**
 * The store could not do what was asked (the database is unreachable, refused a query). The message says
 * where (never with a password) and what to do; the front ends show it as it is.
 */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}
