// A throwaway PostgreSQL cluster for the team-store tests (issue 18): initdb into a temp folder, start it
// on a free port of 127.0.0.1 (socket in the same folder), stop it and remove the folder afterwards.
// Binaries: CELIGO_PG_BIN, else the newest /usr/lib/postgresql/*/bin (Debian), else pg_ctl on PATH.
// PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the `postgres` user (runuser),
// in a folder under /tmp it owns (the test run's own temp root is root's, mode 0700).
// Without the binaries the suites are skipped, except under CELIGO_REQUIRE_SERVICES=1 (CI), where that fails.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { freePort } from './ports.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres.js';

const run = promisify(execFile);

function binDir(): string | undefined {
  const explicit = process.env.CELIGO_PG_BIN;
  if (explicit) return existsSync(join(explicit, 'pg_ctl')) ? explicit : undefined;
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(base, versions[0], 'bin');
  }
  return (process.env.PATH ?? '').split(delimiter).find((d) => d && existsSync(join(d, 'pg_ctl')) && existsSync(join(d, 'initdb')));
}

export const PG_BIN = binDir();
const AS_ROOT = process.getuid?.() === 0;

export interface PgCluster {
  port: number;
  /** The superuser's password (scram over TCP). */
  password: string;
  /** A URL for `database` as the superuser (postgres), with its password. */
  url(database?: string): string;
  /** A fresh database, for a test's own tables. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}



/** Runs a PostgreSQL binary, as the postgres user when we are root. */
async function pg(bin: string, args: string[]): Promise<void> {
  const file = join(PG_BIN!, bin);
  const [cmd, argv] = AS_ROOT ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  await run(cmd, argv, { timeout: 60_000 });
}

async function ownedByPostgres(path: string): Promise<void> {
  if (!AS_ROOT) return;
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  await chown(path, Number(stdout.trim()), Number(gid.trim()));
}

export async function startPostgres(): Promise<PgCluster> {
  if (!PG_BIN) throw new Error('PostgreSQL binaries not found (set CELIGO_PG_BIN, or install postgresql)');
  const root = await mkdtemp(join(AS_ROOT ? '/tmp' : tmpdir(), 'celigo-pg-'));
  const data = join(root, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}-Secret`;
  await writeFile(join(root, 'pw'), password + '\n', { mode: 0o600 });
  await ownedByPostgres(root);
  await ownedByPostgres(join(root, 'pw'));
  await pg('initdb', ['-D', data, '-U', 'postgres', '--pwfile', join(root, 'pw'), '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const opts = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  await pg('pg_ctl', ['start', '-D', data, '-l', join(root, 'log'), '-w', '-t', '60', '-o', opts]);
  const url = (database = 'postgres') => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    port,
    password,
    url,
    async createDatabase(name) {
      const { default: pgLib } = await import('pg');
      const c = new pgLib.Client({ connectionString: url() });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await c.end();
      }
      return url(name);
    },
    async stop() {
      await pg('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * A suite that needs PostgreSQL: one cluster for the suite, stopped afterwards. Without the binaries the
 * suite is skipped, or fails under CELIGO_REQUIRE_SERVICES=1.
 */
export function describeWithPostgres(name: string, body: (cluster: () => PgCluster) => void): void {
  if (!PG_BIN) {
    if (process.env.CELIGO_REQUIRE_SERVICES === '1') {
      describe(name, () => {
        it('needs PostgreSQL', () => {
          throw new Error('CELIGO_REQUIRE_SERVICES=1 but no PostgreSQL binaries were found (/usr/lib/postgresql/*/bin, CELIGO_PG_BIN or PATH): install postgresql.');
        });
      });
    } else describe.skip(`${name} (no PostgreSQL binaries: skipped)`, () => it('needs PostgreSQL', () => {}));
    return;
  }
  describe(name, () => {
    let cluster: PgCluster | undefined;
    beforeAll(async () => {
      cluster = await startPostgres();
    }, 120_000);
    afterAll(async () => {
      await cluster?.stop();
    }, 60_000);
    body(() => {
      if (!cluster) throw new Error('the PostgreSQL cluster did not start');
      return cluster;
    });
  });
}

/** Two store instances on a fresh database; `track` closes another store with them after the test. */
export interface ReplicaStores {
  (): Promise<{ url: string; a: PostgresStore; b: PostgresStore }>;
  track(store: PostgresStore): void;
}

/**
 * In a describeWithPostgres suite: a function that gives each test a fresh database on the suite's cluster
 * and two store instances on it (replicas A and B), all closed after the test.
 */
export function twoReplicaStores(cluster: () => PgCluster, prefix: string): ReplicaStores {
  let n = 0;
  let stores: PostgresStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    stores = [];
  });
  const open = async () => {
    const url = await cluster().createDatabase(`${prefix}${++n}_${process.pid}`);
    const a = await openPostgresStore({ url });
    const b = await openPostgresStore({ url });
    stores.push(a, b);
    return { url, a, b };
  };
  return Object.assign(open, { track: (store: PostgresStore) => void stores.push(store) });
}
