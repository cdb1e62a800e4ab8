// `backups import` (issue 18) and the CLI on the team store: local backup files into PostgreSQL, duplicates
// left alone, damaged files named; list and restore then work from the database; the password never shows.
import { readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { addBackup, backupDir, listChanges, loadBackup } from '../../src/ops/backups/store.js';
import { updateMapping } from '../../src/ops/mapping/update.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres.js';
import { run } from '../helpers/cli.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';
import { describeWithPostgres } from '../helpers/postgres.js';

const FLOW = 'Shopify Orders to NetSuite Sales Orders';

describeWithPostgres('backups import and the CLI on the team store', (cluster) => {
  let env: Env;
  let url: string;
  let store: PostgresStore;
  let first: string;
  let second: string;
  const cli = (argv: string[], extra: Record<string, string> = {}) =>
    run(argv, { env: { CELIGO_MANAGE_HOME: env.home, CELIGO_BASE_URL: env.emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN, CELIGO_MANAGE_DATABASE_URL: url, ...extra } });

  beforeAll(async () => {
    env = await demoEnv();
    url = await cluster().createDatabase(`import_${process.pid}`);
    store = await openPostgresStore({ url });
    // Two backups taken the single-user way: files under <home>/backups.
    first = (await updateMapping(env.ctx, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'one' }] })).backupId!;
    second = (await updateMapping(env.ctx, { flow: FLOW, changes: [{ op: 'change', generate: 'memo', hardCodedValue: 'two' }] })).backupId!;
    const dir = backupDir(env.ctx);
    writeFileSync(join(dir, 'bk-array.json'), '[]');
    writeFileSync(join(dir, 'bk-cut.json'), '{"id":"bk-cut","createdAt":"2026-');
    const good = JSON.parse(await readFile(join(dir, `${first}.json`), 'utf8'));
    writeFileSync(join(dir, 'bk-when.json'), JSON.stringify({ ...good, id: 'bk-when', createdAt: 'yesterday' }));
  });
  afterAll(async () => {
    await store?.close();
    await env?.close();
  });

  it('refuses without CELIGO_MANAGE_DATABASE_URL, and with a folder that does not exist', async () => {
    const r = await cli(['backups', 'import'], { CELIGO_MANAGE_DATABASE_URL: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CELIGO_MANAGE_DATABASE_URL is not set\. Set it to the database's URL/);
    const missing = await cli(['backups', 'import', '--from', join(env.home, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`No folder ${join(env.home, 'nope')}`);
  });

  it('imports what the database lacks, skips what it has, names the damaged files, and leaves the files', async () => {
    const before = readdirSync(backupDir(env.ctx)).sort();
    // One of them is in the database already (a colleague imported it).
    expect(await addBackup(store, await loadBackup(env.ctx, first))).toBe(true);

    const r = await cli(['backups', 'import', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ imported: [second], alreadyThere: [first], filesLeftInPlace: true, from: backupDir(env.ctx), into: `127.0.0.1:${cluster().port}/import_${process.pid}` });
    const skipped = Object.fromEntries(report.skipped.map((s: { path: string; reason: string }) => [s.path.split('/').pop(), s.reason]));
    expect(Object.keys(skipped).sort()).toEqual(['bk-array.json', 'bk-cut.json', 'bk-when.json']);
    expect(skipped['bk-cut.json']).toMatch(/damaged JSON/);
    expect(skipped['bk-array.json']).toMatch(/not a celigo-manage backup/);
    expect(skipped['bk-when.json']).toMatch(/createdAt "yesterday" is not a date/);
    expect(readdirSync(backupDir(env.ctx)).sort()).toEqual(before);

    const again = await cli(['backups', 'import'], { CELIGO_MANAGE_HOME: env.home });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Imported 0 backups from .* 2 were already there, 3 files skipped\. The local files were left in place\./);
    // The imported record is the file's, and the change log has its row.
    expect(await store.load(second)).toEqual(await loadBackup(env.ctx, second));
    expect((await store.listChanges()).map((c) => c.backupId).sort()).toEqual([first, second].sort());
  });

  it('list and restore read the database: a restore from another machine, nothing written to local files', async () => {
    // A colleague's machine: another home, no local files at all.
    const other = { CELIGO_MANAGE_HOME: join(env.home, 'colleague') };
    const list = await cli(['backups', 'list', '--json', 'id'], other);
    expect(list.code).toBe(0);
    // (Both were taken at the same instant of the emulator's clock: the ids break the tie.)
    expect(JSON.parse(list.stdout).map((b: { id: string }) => b.id)).toEqual([first, second].sort().reverse());
    const restore = await cli(['backups', 'restore', first, '--yes', '--force', '--json', 'verified,preRestoreBackupId'], other);
    expect(restore.stderr).toBe('');
    const { verified, preRestoreBackupId } = JSON.parse(restore.stdout);
    expect(verified).toBe(true);
    expect(readdirSync(env.home)).not.toContain('colleague');
    const row = (await listChanges({ ...env.ctx, store })).find((c) => c.backupId === preRestoreBackupId)!;
    expect(row).toMatchObject({ tool: 'backups restore', applied: true, baseUrl: env.emu.baseUrl });
    expect(row.subject).toMatch(/^local:/);
  });

  it('never shows the database password, whatever fails', async () => {
    const c = cluster();
    const bad = `postgres://postgres:${c.password}-wrong@127.0.0.1:${c.port}/postgres`;
    for (const argv of [['backups', 'import'], ['backups', 'import', '--json'], ['backups', 'list'], ['flows', 'update', FLOW, '--name', 'x', '--yes']]) {
      const r = await cli(argv, { CELIGO_MANAGE_DATABASE_URL: bad });
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stdout + r.stderr, argv.join(' ')).toContain(`Cannot reach the database at 127.0.0.1:${c.port}/postgres`);
      expect(r.stdout + r.stderr, argv.join(' ')).not.toContain(c.password);
    }
    // The backup could not be saved, so the change was not sent.
    expect((await env.api.flows.list()).some((f) => f.name === FLOW)).toBe(true);
    const weird = await cli(['backups', 'import'], { CELIGO_MANAGE_DATABASE_URL: `https://user:${c.password}@example.com/db` });
    expect(weird.stderr).toMatch(/must be a postgres:\/\//);
    expect(weird.stderr).not.toContain(c.password);
  });
});
