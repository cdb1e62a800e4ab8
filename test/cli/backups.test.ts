// backups at a terminal (issue 13): bad files are named, not fatal; list says whether each change was
// applied; an undo that cannot recreate what a restore deleted exits non-zero; --force and
// --other-account are separate guards.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { run, tempHome } from '../helpers/cli.js';

const FLOW = 'Shopify Orders to NetSuite Sales Orders';
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
});
afterAll(async () => {
  await emu?.close();
});

// Against an emulator that keeps its state (demo backups end with the command that took them).
const envOf = (home: string) => ({ CELIGO_MANAGE_HOME: home, CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN });

async function renamed(home: string, flow = FLOW): Promise<string> {
  const upd = await run(['flows', 'update', flow, '--name', `Renamed ${home.slice(-6)}`, '--yes', '--json', 'backupId'], { env: envOf(home) });
  expect(upd.code).toBe(0);
  return JSON.parse(upd.stdout).backupId as string;
}

describe('backups at a terminal', () => {
  it('list names the files it skipped and says whether each change was applied', async () => {
    const home = tempHome();
    const id = await renamed(home);
    const dir = join(home, 'backups');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bk-array.json'), '[]');
    writeFileSync(join(dir, 'bk-cut.json'), '{"id":"bk-cut","createdAt":"2026-');
    const list = await run(['backups', 'list'], { env: envOf(home), tty: true });
    expect(list.code).toBe(0);
    expect(list.stderr).toContain(`Warning: skipped ${join(dir, 'bk-array.json')}`);
    expect(list.stderr).toContain(join(dir, 'bk-cut.json'));
    expect(list.stdout).toContain(id);
    expect(list.stdout).toMatch(/APPLIED.*\n.*\byes\b/);
    const json = await run(['backups', 'list', '--json', 'id,applied'], { env: envOf(home) });
    expect(JSON.parse(json.stdout)).toEqual([{ id, applied: true }]);
  });

  it('the undo of a restore that deleted a clone exits 1 and says it cannot recreate them', async () => {
    const env = { CELIGO_MANAGE_HOME: tempHome(), CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN };
    const clone = await run(['integrations', 'clone', DEMO.integrations.stripe, 'Stripe (cli copy)', '--yes', '--json', 'backupId'], { env });
    expect(clone.stderr).toBe('');
    expect(clone.code).toBe(0);
    const restore = await run(['backups', 'restore', JSON.parse(clone.stdout).backupId, '--yes', '--json', 'preRestoreBackupId,deleted'], { env });
    expect(restore.code).toBe(0);
    const { preRestoreBackupId, deleted } = JSON.parse(restore.stdout);
    expect(deleted.length).toBeGreaterThan(3);
    const undo = await run(['backups', 'restore', preRestoreBackupId, '--yes'], { env });
    expect(undo.code).toBe(1);
    expect(undo.stdout).not.toContain('✓');
    expect(undo.stdout).not.toMatch(/Nothing to restore/);
    expect(undo.stdout).toContain(`cannot recreate ${deleted.length} objects`);
  });

  it('--force does not pass the account guard; --other-account does', async () => {
    const home = tempHome();
    const id = await renamed(home, 'NetSuite Fulfillments to Shopify');
    const file = join(home, 'backups', `${id}.json`);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), baseUrl: 'https://api.eu.integrator.io/v1' }));
    const forced = await run(['backups', 'restore', id, '--force', '--yes'], { env: envOf(home) });
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain('--other-account');
    const other = await run(['backups', 'restore', id, '--other-account', '--yes'], { env: envOf(home) });
    expect(other.stderr, other.stdout).toBe('');
    expect(other.code, other.stdout).toBe(0);
  });
});
