// Exit codes: 0 ok, 1 error, 2 cancelled, 4 auth, 8 still pending; and how a production profile confirms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, DEMO_TOKEN, type RunningEmulator } from '../../src/emulator/index.js';
import { run, tempHome } from '../helpers/cli.js';

const FLOW = 'Shopify Customers to NetSuite';
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 'demo', quiet: true });
});
afterAll(async () => {
  await emu?.close();
});

/** A home with one profile pointing at the shared emulator. */
function profileHome(production: boolean): string {
  const home = tempHome();
  writeFileSync(
    join(home, 'profiles.json'),
    JSON.stringify({ current: 'test', profiles: { test: { baseUrl: emu.baseUrl, tokenEnv: 'TEST_CELIGO_TOKEN', production } } }),
  );
  return home;
}

describe('exit codes', () => {
  it('0 ok', async () => {
    expect((await run(['--demo', 'tags', 'list'])).code).toBe(0);
  });

  it('1 for bad input: unknown command, unknown option, bad value, unknown name', async () => {
    const unknown = await run(['flows', 'lsit']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown command 'lsit'");
    expect((await run(['--demo', 'flows', 'list', '--bogus'])).code).toBe(1);
    const notInt = await run(['--demo', 'flows', 'list', '--limit', 'ten']);
    expect(notInt.code).toBe(1);
    expect(notInt.stderr).toContain('Not an integer');
    const noFlow = await run(['--demo', 'flows', 'get', 'No Such Flow']);
    expect(noFlow.code).toBe(1);
    expect(noFlow.stderr).toMatch(/^Error: /);
    expect(noFlow.stderr).not.toMatch(/\n\s+at /);
    const badRange = await run(['--demo', 'jobs', 'list', '--range', 'whenever']);
    expect(badRange.code).toBe(1);
    expect(badRange.stderr).toContain('Cannot read the time range');
  });

  it('4 without a token (authentication, as the README says), saying to use the environment', async () => {
    const r = await run(['flows', 'list']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('CELIGO_API_TOKEN');
  });

  it('4 without a token from the MCP server too (its own fast start-up path, in a process of its own)', () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, CELIGO_MANAGE_HOME: tempHome() };
    const bin = new URL('../../bin/celigo-manage.js', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [bin, 'mcp'], { encoding: 'utf8', env, input: '', timeout: 20_000 });
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('CELIGO_API_TOKEN');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('2 when the person declines at the prompt, 0 when they agree', async () => {
    const no = await run(['--demo', 'errors', 'clear', '--flow', 'Salesforce Accounts to NetSuite Customers'], { tty: true, input: 'n\n', env: { NO_COLOR: '1' } });
    expect(no.code).toBe(2);
    expect(no.stderr).toContain('Proceed? [y/N]');
    expect(no.stderr).toContain('declined. Nothing was changed.');
    const yes = await run(['--demo', 'errors', 'clear', '--flow', 'Salesforce Accounts to NetSuite Customers', '--json', 'cleared'], { tty: true, input: 'y\n' });
    expect(yes.code).toBe(0);
    expect(JSON.parse(yes.stdout).cleared).toBeGreaterThan(0);
  });

  it('2 on Ctrl-C while waiting for a run', async () => {
    const ac = new AbortController();
    const pending = run(['--demo', 'flows', 'run', FLOW, '--wait'], { signal: ac.signal });
    setTimeout(() => ac.abort(), 400);
    const r = await pending;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: .*(Stopped waiting|Cancelled)/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('4 for a bad token (HTTP 401), with the fix', async () => {
    const r = await run(['flows', 'list'], { env: { CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: 'not-a-valid-token-000000' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('Check the API token');
    expect(r.stderr).not.toContain('not-a-valid-token-000000');
    const j = await run(['flows', 'list', '--json'], { env: { CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: 'not-a-valid-token-000000' } });
    expect(j.code).toBe(4);
    expect(JSON.parse(j.stderr).error).toMatchObject({ status: 401, exitCode: 4 });
  });

  it('8 when flows run --wait times out while the job still runs', async () => {
    const r = await run(['--demo', 'flows', 'run', FLOW, '--wait', '--timeout', '1', '--json', 'status,jobId']);
    expect(r.code).toBe(8);
    expect(JSON.parse(r.stdout).status).toBe('timeout');
  });

  it('a production profile confirms every change unless --yes', async () => {
    const env = { CELIGO_MANAGE_HOME: profileHome(true), TEST_CELIGO_TOKEN: DEMO_TOKEN };
    const refused = await run(['flows', 'disable', FLOW], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const declined = await run(['flows', 'disable', FLOW], { env, tty: true, input: 'n\n' });
    expect(declined.code).toBe(2);
    const agreed = await run(['flows', 'disable', FLOW, '--json', 'enabled'], { env, tty: true, input: 'y\n' });
    expect(agreed.code).toBe(0);
    expect(JSON.parse(agreed.stdout)).toEqual({ enabled: false });
    const yes = await run(['flows', 'enable', FLOW, '--yes', '--json', 'enabled'], { env });
    expect(yes.code).toBe(0);
    expect(JSON.parse(yes.stdout)).toEqual({ enabled: true });
    // A sandbox profile does not ask for an ordinary change.
    const sandbox = await run(['flows', 'update', FLOW, '--schedule', '0 4 * * *', '--json', 'schedule'], { env: { CELIGO_MANAGE_HOME: profileHome(false), TEST_CELIGO_TOKEN: DEMO_TOKEN } });
    expect(sandbox.code).toBe(0);
  });

  it('help documents the exit codes', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const line of ['0  ok', '1  error', '2  cancelled', '4  authentication', '8  still pending']) expect(r.stdout).toContain(line);
  });
});

describe('a change in read-only mode is refused at the edge', () => {
  it('one line naming read-only mode, exit 1, no request sent, nothing planned or backed up', async () => {
    emu.clearRequestLog();
    {
      for (const [argv, extra] of [
        [['--read-only', 'flows', 'run', 'Shopify Customers to NetSuite', '--wait'], {}],
        [['errors', 'clear', '--flow', 'Zendesk Users to Salesforce Contacts', '--yes'], { CELIGO_MANAGE_READ_ONLY: '1' }],
        [['--read-only', 'integrations', 'tag', 'Stripe Payments to NetSuite', 'x', '--yes'], {}],
      ] as const) {
        const home = tempHome();
        emu.clearRequestLog();
        const r = await run([...argv], { env: { CELIGO_MANAGE_HOME: home, CELIGO_API_TOKEN: DEMO_TOKEN, CELIGO_BASE_URL: emu.baseUrl, ...extra } });
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(/read-only mode is on/);
        expect(emu.requestLog()).toEqual([]);
        expect(existsSync(join(home, 'backups')) ? readdirSync(join(home, 'backups')) : []).toEqual([]);
      }
    }
  });
});
