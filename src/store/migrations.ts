// The database schema, as ordered migrations. Each runs once, in order, recorded in
// celigo_manage_schema_migrations. Every table is prefixed celigo_manage_ (the migrations table too,
// rather than the conventional bare `schema_migrations`): the database may be shared with other
// applications, some of which (Rails, for one) keep a schema_migrations table of another shape.
// Start-up runs them in one transaction under an advisory lock, so replicas starting together wait for
// each other instead of racing; the second finds nothing left to do. Never edit a migration once
// released: add the next one.
import type { PoolClient } from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The key of the advisory lock migrations hold (any fixed 64-bit number, unlikely to be another's). */
export const MIGRATION_LOCK = 7_318_027_731_802_773n;

export const MIGRATIONS_TABLE = 'celigo_manage_schema_migrations';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'backups, change log, keys',
    // The record is `json`, not `jsonb`: jsonb refuses the character \u0000, which an object's script or
    // mapping may hold, and a backup that cannot be saved stops the change. Nothing queries inside it.
    sql: `
      CREATE TABLE celigo_manage_backups (
        id text PRIMARY KEY,
        created_at timestamptz NOT NULL,
        base_url text NOT NULL,
        applied boolean NOT NULL DEFAULT false,
        record json NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX celigo_manage_backups_created ON celigo_manage_backups (created_at, id);
      CREATE TABLE celigo_manage_changes (
        backup_id text PRIMARY KEY,
        at timestamptz NOT NULL,
        subject text NOT NULL,
        via text NOT NULL,
        operation text NOT NULL,
        tool text,
        base_url text NOT NULL,
        applied boolean NOT NULL,
        before jsonb NOT NULL,
        after jsonb NOT NULL,
        created jsonb NOT NULL,
        deleted jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX celigo_manage_changes_at ON celigo_manage_changes (at);
      CREATE INDEX celigo_manage_changes_subject ON celigo_manage_changes (subject, at);
      CREATE TABLE celigo_manage_keys (
        name text PRIMARY KEY,
        key bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 2,
    name: 'change log: the actor\'s display name',
    // Rows written before it take the name from their backup record, where there is one.
    sql: `
      ALTER TABLE celigo_manage_changes ADD COLUMN name text;
      UPDATE celigo_manage_changes c SET name = b.record->'by'->>'name' FROM celigo_manage_backups b WHERE b.id = c.backup_id;
    `,
  },
];

/** Runs the migrations not yet applied; returns the versions it applied (none when up to date). */
export async function migrate(client: PoolClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${MIGRATIONS_TABLE}`)).rows.map((r) => r.version));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
  return applied;
}

