// The single-user default (no CELIGO_MANAGE_DATABASE_URL): one file per backup under <home>/backups, as
// before issue 18, now naming who made the change; the change log is derived from those files.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAs } from '../../src/app/actor.js';
import { openSession } from '../../src/app/session.js';
import { contentDigest } from '../../src/ops/backups/content.js';
import { backupDir, listChanges } from '../../src/ops/backups/store.js';
import { updateMapping } from '../../src/ops/mapping/update.js';
import { storeFromEnv } from '../../src/store/index.js';
import { databaseSecrets, databaseTarget } from '../../src/store/url.js';
import { secretsFromEnv } from '../../src/app/redact.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

const FLOW = 'Shopify Orders to NetSuite Sales Orders';

describe('file store (the default)', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  it('writes one file per backup and nothing else in the home; the change log comes from those files', async () => {
    const r = await runAs({ subject: 'local:ann', scopes: [], via: 'local' }, () =>
      updateMapping({ ...env.ctx, operation: 'mapping update' }, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'web' }] }),
    );
    expect(await readdir(env.home)).toEqual(['backups']);
    expect(await readdir(backupDir(env.ctx))).toEqual([`${r.backupId}.json`]);
    const rec = JSON.parse(await readFile(join(backupDir(env.ctx), `${r.backupId}.json`), 'utf8'));
    expect(rec).toMatchObject({ id: r.backupId, applied: true, by: { subject: 'local:ann', via: 'local' }, tool: 'mapping update' });

    const [row] = await listChanges(env.ctx);
    expect(row).toMatchObject({ backupId: r.backupId, subject: 'local:ann', via: 'local', tool: 'mapping update', applied: true, baseUrl: env.emu.baseUrl });
    expect(row.before[0].digest).toBe(contentDigest('import', rec.items[0].data));
    expect(row.after[0].digests).toEqual(rec.items[0].afterDigests);
  });

  it('a session has a shared store only with CELIGO_MANAGE_DATABASE_URL, and then redacts its URL and password', async () => {
    expect(await storeFromEnv({})).toBeUndefined();
    const s = await openSession({ env: { CELIGO_BASE_URL: env.emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN, CELIGO_MANAGE_HOME: env.home } });
    try {
      expect(s.store).toBeUndefined();
      expect(s.secrets).toEqual([DEMO_TOKEN]);
    } finally {
      await s.close();
    }
    // Nothing connects before the first use: a store on a closed port opens and closes quietly.
    const url = 'postgres://u:pw-123456@127.0.0.1:1/db';
    const t = await openSession({ env: { CELIGO_BASE_URL: env.emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN, CELIGO_MANAGE_HOME: env.home, CELIGO_MANAGE_DATABASE_URL: url } });
    try {
      expect(t.store?.kind).toBe('postgres');
      expect(t.store?.where).toBe('127.0.0.1:1/db');
      expect(t.secrets).toEqual(expect.arrayContaining([DEMO_TOKEN, url, 'pw-123456']));
      // /healthz: the first look asks the database in the background; the next one says it does not answer.
      expect(t.health()).toMatchObject({ store: { kind: 'postgres', where: '127.0.0.1:1/db' } });
      expect(t.health().status).toBeUndefined();
      await new Promise((r) => setTimeout(r, 300));
      const h = t.health();
      expect(h).toMatchObject({ status: 'degraded', store: { down: expect.stringContaining('127.0.0.1:1/db') } });
      expect(h.reason).toMatch(/database does not answer/);
      expect(JSON.stringify(h)).not.toContain('pw-123456');
    } finally {
      await t.close();
    }
  });
});

describe('the database URL', () => {
  it('is named by host, port and database only; it and its password are redacted everywhere', () => {
    const url = 'postgresql://team:p%40ss%2Fw0rd@db.internal:6543/celigo?sslmode=require';
    expect(databaseTarget(url)).toBe('db.internal:6543/celigo');
    expect(databaseTarget('postgres:///celigo?host=/var/run/postgresql')).toBe('/var/run/postgresql:5432/celigo');
    expect(databaseSecrets(url)).toEqual([url, 'p%40ss%2Fw0rd', 'p@ss/w0rd']);
    expect(secretsFromEnv({ CELIGO_MANAGE_DATABASE_URL: url })).toEqual(expect.arrayContaining([url, 'p@ss/w0rd']));
    // The Redis URL of a team server may carry a password too.
    expect(secretsFromEnv({ CELIGO_MANAGE_REDIS_URL: 'rediss://:r3d1s-pa55@cache.internal:6380/0' })).toEqual(expect.arrayContaining(['r3d1s-pa55']));
  });

  it('a demo session never uses the shared store', async () => {
    const s = await openSession({ demo: true, env: { CELIGO_MANAGE_DATABASE_URL: 'postgres://u:pw-123456@127.0.0.1:1/db' } });
    try {
      expect(s.store).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});
