// The team store (issue 18) against a real PostgreSQL: migrations, two "replicas" (two store instances,
// each with its own pool) sharing backups, the change log and the confirmation key, and no password in
// any error.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, expect, it } from 'vitest';
import pg from 'pg';
import { runAs, type Actor } from '../../src/app/actor.js';
import { mintConfirmToken, requestStateCodec, useConfirmKey, verifyConfirmToken } from '../../src/mcp/confirm.js';
import { contentDigest } from '../../src/ops/backups/content.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import { backupDir, listBackups, listChanges, loadBackup } from '../../src/ops/backups/store.js';
import { backup, forgetUnapplied } from '../../src/ops/backups/take.js';
import { updateMapping } from '../../src/ops/mapping/update.js';
import { CeligoApiError, UsageError } from '../../src/core/errors.js';
import { MIGRATIONS, MIGRATIONS_TABLE } from '../../src/store/migrations.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { StoreError } from '../../src/store/types.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { demoEnv, snapshot, type Env } from '../helpers/demo-env.js';
import { describeWithPostgres, twoReplicaStores } from '../helpers/postgres.js';

const FLOW = 'Shopify Orders to NetSuite Sales Orders';
const ALICE: Actor = { subject: 'oauth|alice-42', issuer: 'https://id.example.com', name: 'Alice', scopes: ['celigo'], via: 'oauth' };

describeWithPostgres('PostgreSQL store', (cluster) => {
  let env: Env;
  /** A fresh database per test, and two store instances on it: replica A and replica B. */
  const replicas = twoReplicaStores(cluster, 't');

  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(async () => {
    await env.close();
  });

  it('migrates once: again is a no-op, and two replicas starting together do not race', async () => {
    const { url, a, b } = await replicas();
    const [ra, rb] = await Promise.all([a.migrate(), b.migrate()]);
    expect([ra, rb].sort((x, y) => y.length - x.length)).toEqual([MIGRATIONS.map((m) => m.version), []]);
    const c = await openPostgresStore({ url });
    replicas.track(c);
    expect(await c.migrate()).toEqual([]);
    const direct = new pg.Client({ connectionString: url });
    await direct.connect();
    try {
      const rows = (await direct.query(`SELECT version, applied_at FROM ${MIGRATIONS_TABLE} ORDER BY version`)).rows;
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(rows[0].applied_at).toBeInstanceOf(Date);
      const tables = (await direct.query(`SELECT tablename FROM pg_tables WHERE tablename LIKE 'celigo_manage_%' ORDER BY 1`)).rows.map((r) => r.tablename);
      expect(tables).toEqual(['celigo_manage_backups', 'celigo_manage_changes', 'celigo_manage_keys', MIGRATIONS_TABLE]);
    } finally {
      await direct.end();
    }
  });

  it('a backup taken through replica A is listed, diffed and restored through replica B; no local file is written', async () => {
    const { a, b } = await replicas();
    const flow = (await env.api.flows.list()).find((f) => f.name === FLOW)!;
    const importId = flow.pageProcessors![0]._importId!;
    const before = await snapshot(env.api, 'imports', importId);
    const r = await updateMapping({ ...env.ctx, store: a, operation: 'update_mapping' }, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'web' }] });
    expect(r.written).toBe(true);

    const ctxB = { ...env.ctx, store: b };
    const listed = await listBackups(ctxB);
    expect(listed.backups.map((x) => x.id)).toEqual([r.backupId]);
    expect(listed.backups[0].applied).toBe(true);
    const restored = await restoreBackup(ctxB, { id: r.backupId! });
    expect(restored.verified).toBe(true);
    expect(await snapshot(env.api, 'imports', importId)).toEqual(before);
    // The restore's own backup (the state it replaced) is in the database too, for A to see.
    expect((await listBackups({ ...env.ctx, store: a })).backups.map((x) => x.id)).toContain(restored.preRestoreBackupId);
    await expect(readdir(backupDir(env.ctx))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('the change log row says who, what, on which account, and the before and after digests', async () => {
    const { a, b } = await replicas();
    const flow = (await env.api.flows.list()).find((f) => f.name === FLOW)!;
    const importId = flow.pageProcessors![0]._importId!;
    const original = await env.api.imports.get(importId);
    // The HTTP layer runs each call as its user (runAs); the op reads the actor from there.
    const r = await runAs(ALICE, () => updateMapping({ ...env.ctx, store: a, operation: 'update_mapping' }, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'web' }] }));
    const after = await env.api.imports.get(importId);

    const rows = await listChanges({ ...env.ctx, store: b });
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row).toMatchObject({ backupId: r.backupId, subject: 'oauth|alice-42', via: 'oauth', tool: 'update_mapping', baseUrl: env.emu.baseUrl, applied: true });
    expect(row.operation).toMatch(/mapping/i);
    expect(row.before).toEqual([{ type: 'import', id: importId, name: original.name, digest: contentDigest('import', original) }]);
    expect(row.after).toEqual([{ type: 'import', id: importId, digests: [contentDigest('import', after)] }]);
    expect(row.before[0].digest).not.toBe(row.after[0].digests[0]);
    // The record itself names the actor too.
    expect((await loadBackup({ ...env.ctx, store: b }, r.backupId!)).by).toEqual({ subject: 'oauth|alice-42', via: 'oauth', name: 'Alice' });
    expect(JSON.stringify(row)).not.toContain(DEMO_TOKEN);

    // An explicit ctx.actor wins; filters by subject and time.
    await backup({ ...env.ctx, store: a, actor: { subject: 'local:bob', scopes: [], via: 'local' } }, [{ type: 'flow', id: flow._id }], 'by bob');
    expect((await listChanges({ ...env.ctx, store: b }, { subject: 'local:bob' })).map((x) => x.operation)).toEqual(['by bob']);
    expect(await listChanges({ ...env.ctx, store: b }, { since: '2999-01-01T00:00:00Z' })).toEqual([]);
    expect((await listChanges({ ...env.ctx, store: b }, { limit: 1 }))).toHaveLength(1);
  });

  it('a change that surely never happened leaves neither a backup nor a change-log row', async () => {
    const { a } = await replicas();
    const flow = (await env.api.flows.list()).find((f) => f.name === FLOW)!;
    const ctx = { ...env.ctx, store: a };
    const rec = await backup(ctx, [{ type: 'flow', id: flow._id }], 'refused change');
    const refused = new CeligoApiError({ status: 422, code: 'invalid', message: 'no', method: 'PUT', path: `/v1/flows/${flow._id}` });
    expect(await forgetUnapplied(ctx, rec.id, refused)).toBe(true);
    await expect(loadBackup(ctx, rec.id)).rejects.toThrow(UsageError);
    expect(await listChanges(ctx)).toEqual([]);
  });

  it('keeps ids validated and says which backup is missing', async () => {
    const { a } = await replicas();
    await expect(a.load('../../etc/passwd')).rejects.toThrow(/Invalid backup id/);
    await expect(a.remove('a b')).rejects.toThrow(/Invalid backup id/);
    await expect(a.load('bk-nope')).rejects.toThrow(/No backup "bk-nope"/);
  });

  it('one confirmation key for every replica: a token minted on A verifies on B', async () => {
    const { a, b } = await replicas();
    const [ka, kb] = await Promise.all([a.confirmKey(), b.confirmKey()]);
    expect(ka.length).toBe(32);
    expect(kb.equals(ka)).toBe(true);

    useConfirmKey(ka);
    const token = mintConfirmToken('restore_backup', 'digest-1');
    const state = await requestStateCodec().mint({ kind: 'confirm', tool: 'restore_backup', digest: 'digest-1' });
    // Another process's own random key refuses it ...
    useConfirmKey(randomBytes(32));
    expect(verifyConfirmToken(token, 'restore_backup', 'digest-1')).toBe(false);
    await expect(requestStateCodec().verify(state, undefined as never)).rejects.toThrow();
    // ... replica B, with the key from the store, accepts it (and only for its tool and plan).
    useConfirmKey(kb);
    expect(verifyConfirmToken(token, 'restore_backup', 'digest-1')).toBe(true);
    expect(verifyConfirmToken(token, 'restore_backup', 'digest-2')).toBe(false);
    expect(await requestStateCodec().verify(state, undefined as never)).toMatchObject({ kind: 'confirm', digest: 'digest-1' });
  });

  it('never shows the password: wrong password, closed port, bad URL', async () => {
    const c = cluster();
    const wrong = `postgres://postgres:Wrong-${c.password}@127.0.0.1:${c.port}/postgres`;
    const s1 = await openPostgresStore({ url: wrong, connectTimeoutMs: 5000 });
    replicas.track(s1);
    const e1 = await s1.load('bk-x').catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(StoreError);
    expect((e1 as Error).message).toContain(`Cannot reach the database at 127.0.0.1:${c.port}/postgres`);
    expect((e1 as Error).message).toContain('CELIGO_MANAGE_DATABASE_URL');
    expect((e1 as Error).message).not.toContain(c.password);
    expect((e1 as Error).stack ?? '').not.toContain(c.password);

    const closed = `postgres://someone:${encodeURIComponent('p@ss w0rd!')}@127.0.0.1:1/teamdb`;
    const s2 = await openPostgresStore({ url: closed, connectTimeoutMs: 2000 });
    replicas.track(s2);
    const e2 = (await s2.confirmKey().catch((e: unknown) => e)) as Error;
    expect(e2.message).toMatch(/^Cannot reach the database at 127\.0\.0\.1:1\/teamdb \(/);
    expect(e2.message).not.toMatch(/p@ss|p%40ss|w0rd/);

    await expect(openPostgresStore({ url: 'mysql://u:secret-pw@h/db' })).rejects.toThrow(/must be a postgres:\/\//);
    const e3 = (await openPostgresStore({ url: 'not a url secret-pw' }).catch((e: unknown) => e)) as Error;
    expect(e3.message).not.toContain('secret-pw');
  });
});
