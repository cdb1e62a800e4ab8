// `backups prune`: the backups taken more than N days ago are deleted, with their rows of the change log,
// after a question (or --yes); the age is always given and never means "everything"; files that are not
// backups, and newer backups, are left alone; both stores behave alike.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { addBackup, backupDir, fileStore, listChanges, loadBackup, type BackupRecord } from '../../src/ops/backups/store.js';
import { applyPrune, olderThanDays, planPrune } from '../../src/ops/backups/prune.js';
import { updateMapping } from '../../src/ops/mapping/update.js';
import type { BackupStore } from '../../src/store/types.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres.js';
import { run } from '../helpers/cli.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';
import { describeWithPostgres } from '../helpers/postgres.js';

const FLOW = 'Shopify Orders to NetSuite Sales Orders';
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** Three backups of one real change, dated 100 days, 40 days and an hour ago; returns their ids, oldest first. */
async function seed(env: Env, store: BackupStore): Promise<string[]> {
  const taken = (await updateMapping(env.ctx, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'x' }] })).backupId!;
  const rec: BackupRecord = await loadBackup(env.ctx, taken);
  const ids = ['bk-20200101-000000Z-aaaaaa', 'bk-20200101-000000Z-bbbbbb', 'bk-20200101-000000Z-cccccc'];
  const ages = [100, 40, 1 / 24];
  for (let i = 0; i < ids.length; i++) await addBackup(store, { ...rec, id: ids[i]!, createdAt: ago(ages[i]!) });
  if (store.kind === 'file') await store.removeMany([taken]);
  return ids;
}

describe('backups prune (file store)', () => {
  let env: Env;
  let ids: string[];
  let dir: string;
  const cli = (argv: string[], o: { tty?: boolean; input?: string } = {}) =>
    run(argv, { ...o, env: { CELIGO_MANAGE_HOME: env.home, CELIGO_BASE_URL: env.emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN } });
  const left = () => readdirSync(dir).sort();

  beforeEach(async () => {
    env = await demoEnv();
    dir = backupDir(env.ctx);
    ids = await seed(env, fileStore(dir));
    writeFileSync(join(dir, 'bk-cut.json'), '{"id":"bk-cut","createdAt":"2019-');
  });
  afterEach(() => env.close());

  it('reads the age as whole days, at least one; blank, zero, negative, fractions and words are refused', () => {
    expect(olderThanDays('90')).toBe(90);
    expect(olderThanDays(' 30d ')).toBe(30);
    for (const bad of [undefined, '', '  ', '0', '-5', '1.5', 'ninety', '90 days', '1e3', '99999999']) {
      expect(() => olderThanDays(bad), String(bad)).toThrow(/whole number of days, at least 1.*Nothing was deleted/);
    }
  });

  it('plans from the age: the older backups, the count kept, the unreadable files named but never deleted', async () => {
    const store = fileStore(dir);
    const plan = await planPrune(store, 30, new Date());
    expect(plan.backups.map((b) => b.id)).toEqual(ids.slice(0, 2));
    expect(plan.kept).toBe(1);
    expect(plan.skipped.map((s) => s.path)).toEqual([join(dir, 'bk-cut.json')]);
    expect((await planPrune(store, 365, new Date())).backups).toEqual([]);
    expect(await applyPrune(store, plan)).toEqual(ids.slice(0, 2));
    expect(left()).toEqual([`${ids[2]}.json`, 'bk-cut.json']);
    // The change log is those files: the pruned backups' rows are gone, the newer one's is there.
    expect((await listChanges(env.ctx)).map((c) => c.backupId)).toEqual([ids[2]]);
    // Pruned again (or by a colleague meanwhile): nothing is there to remove, and that is no error.
    expect(await applyPrune(store, plan)).toEqual([]);
  });

  it('CLI: --dry-run lists and deletes nothing; without a terminal it asks for --yes; --yes deletes', async () => {
    const before = left();
    const dry = await cli(['backups', 'prune', '--older-than', '30', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, count: 2, kept: 1, backups: [{ id: ids[0] }, { id: ids[1] }] });
    expect(left()).toEqual(before);

    const piped = await cli(['backups', 'prune', '--older-than', '30']);
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/Delete 2 backups taken before .* this needs confirmation .*--yes/);
    expect(left()).toEqual(before);

    const readOnly = await cli(['--read-only', 'backups', 'prune', '--older-than', '30', '--yes']);
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toMatch(/--read-only blocks every change.*--dry-run/);
    expect(left()).toEqual(before);

    const yes = await cli(['backups', 'prune', '--older-than', '30', '--yes', '--json']);
    expect(yes.stderr).toBe('');
    expect(yes.code).toBe(0);
    expect(JSON.parse(yes.stdout)).toMatchObject({ dryRun: false, count: 2, kept: 1, where: dir, backups: [{ id: ids[0] }, { id: ids[1] }] });
    expect(left()).toEqual([`${ids[2]}.json`, 'bk-cut.json']);

    const again = await cli(['backups', 'prune', '--older-than', '30']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/No backup was taken before .*; nothing deleted \(1 kept\)\./);
  });

  it('CLI on a terminal: shows what goes and asks; no keeps everything, yes deletes', async () => {
    const no = await cli(['backups', 'prune', '--older-than', '50'], { tty: true, input: 'n\n' });
    expect(no.code).toBe(2);
    expect(no.stderr).toContain(ids[0]);
    expect(no.stderr).not.toContain(ids[1]);
    expect(no.stderr).toMatch(/A deleted backup cannot be restored/);
    expect(no.stderr).toMatch(/declined\. Nothing was deleted\./);
    expect(left()).toHaveLength(4);
    const yes = await cli(['backups', 'prune', '--older-than', '50'], { tty: true, input: 'y\n' });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(/Deleted 1 backup taken before .*; 2 kept\./);
    expect(left()).toEqual([`${ids[1]}.json`, `${ids[2]}.json`, 'bk-cut.json']);
  });

  it('CLI: a missing or bad age, and --demo, are refused before anything is read', async () => {
    for (const argv of [['backups', 'prune'], ['backups', 'prune', '--older-than', ''], ['backups', 'prune', '--older-than', '0', '--yes']]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr, argv.join(' ')).toMatch(/whole number of days, at least 1/);
    }
    const demo = await cli(['--demo', 'backups', 'prune', '--older-than', '30', '--yes']);
    expect(demo.code).toBe(1);
    expect(demo.stderr).toMatch(/nothing to prune/);
    expect(left()).toHaveLength(4);
  });
});

describeWithPostgres('backups prune (team store)', (cluster) => {
  let env: Env;
  let url: string;
  let store: PostgresStore;
  let ids: string[];

  beforeAll(async () => {
    env = await demoEnv();
    url = await cluster().createDatabase(`prune_${process.pid}`);
    store = await openPostgresStore({ url });
    ids = await seed(env, store);
  });
  afterAll(async () => {
    await store?.close();
    await env?.close();
  });

  it('deletes the old backups and their change-log rows in one go, and leaves the newer ones', async () => {
    expect((await store.listChanges()).map((c) => c.backupId).sort()).toEqual([...ids].sort());
    await expect(store.removeMany(['../etc/passwd'])).rejects.toThrow(/Invalid backup id/);
    const r = await run(['backups', 'prune', '--older-than', '30', '--yes', '--json'], { env: { CELIGO_MANAGE_HOME: env.home, CELIGO_MANAGE_DATABASE_URL: url } });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ count: 2, kept: 1, where: `127.0.0.1:${cluster().port}/prune_${process.pid}` });
    expect((await store.list()).records.map((x) => x.id)).toEqual([ids[2]]);
    expect((await store.listChanges()).map((c) => c.backupId)).toEqual([ids[2]]);
    expect(await store.removeMany(ids.slice(0, 2))).toEqual([]);
    expect(r.stdout).not.toContain(cluster().password);
  });
});
