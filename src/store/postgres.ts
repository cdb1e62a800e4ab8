// The team store (issue 18): backups, the change log and the confirmation key in PostgreSQL, shared by
// every replica of `celigo-manage mcp --http` behind a proxy, so a backup taken through one replica
// restores through another and a confirm token minted by one is honoured by the next. One pool per
// process; the tables are created (migrations.ts) on first use. `pg` is loaded only here, and this
// module only when CELIGO_MANAGE_DATABASE_URL is set, so a single user's start-up does not pay for it.
import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { UsageError } from '../core/errors.js';
import { foldAscii, newestChanges, DEFAULT_CHANGES_LIMIT } from './changes.js';
import { databaseError } from './db-errors.js';
import { migrate } from './migrations.js';
import { checkRecord, noSuchBackup, validBackupId, type BackupRecord, type SkippedFile } from './record.js';
import type { BackupStore, ChangeFilter, ChangeRow, StoreHealth } from './types.js';
import { databaseSecrets, databaseTarget } from './url.js';

export interface PostgresStoreOptions {
  url: string;
  /** Where a dropped idle connection is reported (stderr); never with the URL. */
  log?: (line: string) => void;
  /** Connections per process (default 5). */
  max?: number;
  /** How long to wait for a connection, in ms (default 10 s). */
  connectTimeoutMs?: number;
}

const CONFIRM_KEY = 'confirm';

const UPSERT_BACKUP = `
  INSERT INTO celigo_manage_backups (id, created_at, base_url, applied, record) VALUES ($1, $2, $3, $4, $5::json)
  ON CONFLICT (id) DO UPDATE SET base_url = EXCLUDED.base_url, applied = EXCLUDED.applied, record = EXCLUDED.record, updated_at = now()`;
const INSERT_BACKUP = `
  INSERT INTO celigo_manage_backups (id, created_at, base_url, applied, record) VALUES ($1, $2, $3, $4, $5::json)
  ON CONFLICT (id) DO NOTHING RETURNING id`;
const UPSERT_CHANGE = `
  INSERT INTO celigo_manage_changes (backup_id, at, subject, via, name, operation, tool, base_url, applied, before, after, created, deleted)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12::jsonb, $13::jsonb)
  ON CONFLICT (backup_id) DO UPDATE SET subject = EXCLUDED.subject, via = EXCLUDED.via, name = EXCLUDED.name, operation = EXCLUDED.operation, tool = EXCLUDED.tool,
    base_url = EXCLUDED.base_url, applied = EXCLUDED.applied, before = EXCLUDED.before, after = EXCLUDED.after,
    created = EXCLUDED.created, deleted = EXCLUDED.deleted, updated_at = now()`;
// The filter of store/changes.ts in SQL: every value a parameter. The target is an id, or a name folded
// as foldAscii folds it (translate() of ASCII letters only: lower() would follow the database's locale).
const SELECT_CHANGES = `
  SELECT backup_id, at, subject, via, name, operation, tool, base_url, applied, before, after, created, deleted FROM celigo_manage_changes
  WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2)
    AND ($3::text IS NULL OR subject = $3) AND ($4::text IS NULL OR base_url = $4) AND ($5::text[] IS NULL OR tool = ANY($5))
    AND ($6::text IS NULL OR EXISTS (
      SELECT 1 FROM jsonb_array_elements(before || after || created || deleted) AS o
      WHERE o->>'id' = $6 OR translate(o->>'name', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') = $7))
  ORDER BY at DESC, backup_id DESC LIMIT $8`;

/** PostgreSQL text cannot hold U+0000; a name with one must not stop a backup. */
const noNul = (s: string) => s.replace(/\0/g, '');
const jsonb = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' ? noNul(x) : x));

function backupParams(rec: BackupRecord): unknown[] {
  return [rec.id, rec.createdAt, noNul(rec.baseUrl), rec.applied ?? false, JSON.stringify(rec)];
}

function changeParams(c: ChangeRow): unknown[] {
  return [c.backupId, c.at, noNul(c.subject), noNul(c.via), c.name === undefined ? null : noNul(c.name), noNul(c.operation), c.tool === undefined ? null : noNul(c.tool), noNul(c.baseUrl), c.applied, jsonb(c.before), jsonb(c.after), jsonb(c.created), jsonb(c.deleted)];
}

interface ChangeDbRow {
  backup_id: string;
  at: Date;
  subject: string;
  via: string;
  name: string | null;
  operation: string;
  tool: string | null;
  base_url: string;
  applied: boolean;
  before: ChangeRow['before'];
  after: ChangeRow['after'];
  created: ChangeRow['created'];
  deleted: ChangeRow['deleted'];
}

function changeOfRow(r: ChangeDbRow): ChangeRow {
  const row: ChangeRow = { backupId: r.backup_id, at: r.at.toISOString(), subject: r.subject, via: r.via, operation: r.operation, baseUrl: r.base_url, applied: r.applied, before: r.before, after: r.after, created: r.created, deleted: r.deleted };
  if (r.tool !== null) row.tool = r.tool;
  if (r.name !== null) row.name = r.name;
  return row;
}

/** How often /healthz has the database asked whether it answers. */
export const HEALTH_CHECK_MS = 5000;

export class PostgresStore implements BackupStore {
  readonly kind = 'postgres';
  private migrated?: Promise<number[]>;
  private key?: Buffer;
  private closed?: Promise<void>;

  /** Why the last query or check failed (undefined: it answered), and when the last check ran. */
  private down?: string;
  private checkedAt = 0;

  constructor(private readonly pool: Pool, readonly where: string, private readonly secrets: readonly string[]) {}

  private fail(err: unknown, what: string): Error {
    const e = err instanceof UsageError ? err : databaseError(err, this.where, what, this.secrets);
    if (!(err instanceof UsageError)) this.down = e.message;
    return e;
  }

  /**
   * For /healthz: whether the database answered its last query. Asked at most every HEALTH_CHECK_MS, in the
   * background (a health check never waits for the database), so a database that went away while nobody
   * changed anything shows at the next check but one.
   */
  health(): StoreHealth {
    if (Date.now() - this.checkedAt >= HEALTH_CHECK_MS) {
      this.checkedAt = Date.now();
      this.pool.query('SELECT 1').then(
        () => void (this.down = undefined),
        (err: unknown) => void this.fail(err, 'answer a health check'),
      );
    }
    return { kind: 'postgres', where: this.where, ...(this.down ? { down: this.down } : {}) };
  }

  private async connect(what: string): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw this.fail(err, what);
    }
  }

  /** Creates or updates the tables (once per process; a failure is retried by the next call). Returns the versions applied. */
  migrate(): Promise<number[]> {
    this.migrated ??= (async () => {
      const c = await this.connect('prepare its tables');
      try {
        return await migrate(c);
      } catch (err) {
        throw this.fail(err, 'prepare its tables');
      } finally {
        c.release();
      }
    })().catch((err: unknown) => {
      this.migrated = undefined;
      throw err;
    });
    return this.migrated;
  }

  async ready(): Promise<void> {
    await this.migrate();
  }

  private async query<R extends object>(what: string, sql: string, params: unknown[]): Promise<R[]> {
    await this.migrate();
    try {
      const rows = (await this.pool.query<R>(sql, params)).rows;
      this.down = undefined;
      return rows;
    } catch (err) {
      throw this.fail(err, what);
    }
  }

  private async tx<T>(what: string, fn: (c: PoolClient) => Promise<T>): Promise<T> {
    await this.migrate();
    const c = await this.connect(what);
    let broken: Error | undefined;
    try {
      await c.query('BEGIN');
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (err) {
      await c.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw this.fail(err, what);
    } finally {
      c.release(broken);
    }
  }

  async save(rec: BackupRecord, change?: ChangeRow): Promise<void> {
    validBackupId(rec.id);
    await this.tx(`save backup ${rec.id}`, async (c) => {
      await c.query(UPSERT_BACKUP, backupParams(rec));
      if (change) await c.query(UPSERT_CHANGE, changeParams(change));
    });
  }

  async add(rec: BackupRecord, change?: ChangeRow): Promise<boolean> {
    validBackupId(rec.id);
    return this.tx(`add backup ${rec.id}`, async (c) => {
      const inserted = (await c.query(INSERT_BACKUP, backupParams(rec))).rowCount === 1;
      if (inserted && change) await c.query(UPSERT_CHANGE, changeParams(change));
      return inserted;
    });
  }

  async load(id: string): Promise<BackupRecord> {
    validBackupId(id);
    const rows = await this.query<{ record: unknown }>(`read backup ${id}`, 'SELECT record FROM celigo_manage_backups WHERE id = $1', [id]);
    if (!rows.length) throw noSuchBackup(id);
    const rec = checkRecord(rows[0].record, id);
    if (typeof rec === 'string') throw new UsageError(`Backup ${id} in the database at ${this.where} cannot be read as a backup: ${rec}. Restore another backup.`);
    return rec;
  }

  async list(): Promise<{ records: BackupRecord[]; skipped: SkippedFile[] }> {
    const rows = await this.query<{ id: string; record: unknown }>('list backups', 'SELECT id, record FROM celigo_manage_backups ORDER BY created_at, id', []);
    const records: BackupRecord[] = [];
    const skipped: SkippedFile[] = [];
    for (const r of rows) {
      const rec = checkRecord(r.record, r.id);
      if (typeof rec === 'string') skipped.push({ path: `database row ${r.id}`, reason: `${rec}; delete the row from celigo_manage_backups` });
      else records.push(rec);
    }
    return { records, skipped };
  }

  async remove(id: string): Promise<void> {
    validBackupId(id);
    await this.tx(`remove backup ${id}`, async (c) => {
      await c.query('DELETE FROM celigo_manage_backups WHERE id = $1', [id]);
      await c.query('DELETE FROM celigo_manage_changes WHERE backup_id = $1', [id]);
    });
  }

  async removeMany(ids: string[]): Promise<string[]> {
    for (const id of ids) validBackupId(id);
    if (!ids.length) return [];
    return this.tx(`remove ${ids.length} backups`, async (c) => {
      const gone = await c.query<{ id: string }>('DELETE FROM celigo_manage_backups WHERE id = ANY($1::text[]) RETURNING id', [ids]);
      await c.query('DELETE FROM celigo_manage_changes WHERE backup_id = ANY($1::text[])', [ids]);
      const removed = new Set(gone.rows.map((r) => r.id));
      return ids.filter((id) => removed.has(id));
    });
  }

  async listChanges(f: ChangeFilter = {}): Promise<ChangeRow[]> {
    const limit = Math.max(0, Math.floor(f.limit ?? DEFAULT_CHANGES_LIMIT));
    const target = f.target || null;
    const params = [f.since || null, f.until || null, f.subject || null, f.baseUrl || null, f.tools ?? null, target, target === null ? null : foldAscii(target), limit];
    const rows = await this.query<ChangeDbRow>('read the change log', SELECT_CHANGES, params);
    // Sorted again with the file store's rule, so both stores answer in the same order.
    return newestChanges(rows.map(changeOfRow), { limit });
  }

  /** One random key for every replica: the first to ask creates it, the others read the same row. */
  async confirmKey(): Promise<Buffer> {
    if (this.key) return this.key;
    await this.query('create the confirmation key', 'INSERT INTO celigo_manage_keys (name, key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [CONFIRM_KEY, randomBytes(32)]);
    const rows = await this.query<{ key: Buffer }>('read the confirmation key', 'SELECT key FROM celigo_manage_keys WHERE name = $1', [CONFIRM_KEY]);
    if (!rows[0] || rows[0].key.length < 32) throw this.fail(new Error('the confirmation key row is missing or shorter than 32 bytes'), 'read the confirmation key');
    this.key = rows[0].key;
    return this.key;
  }

  close(): Promise<void> {
    this.closed ??= this.pool.end().catch(() => {});
    return this.closed;
  }
}

/** A store on the database of `url` (nothing is connected until the first use). */
export async function openPostgresStore(o: PostgresStoreOptions): Promise<PostgresStore> {
  const where = databaseTarget(o.url);
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({ connectionString: o.url, max: o.max ?? 5, connectionTimeoutMillis: o.connectTimeoutMs ?? 10_000, idleTimeoutMillis: 30_000, application_name: 'celigo-manage' });
  const store = new PostgresStore(pool, where, databaseSecrets(o.url));
  // An idle connection the server drops emits 'error' on the pool; unhandled, it would end the process.
  pool.on('error', (err) => o.log?.(databaseError(err, where, 'keep a connection open', databaseSecrets(o.url)).message));
  return store;
}
