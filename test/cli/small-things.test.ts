// Small things of issue 13 item 16: what `backups diff` and `errors clear` print, grammar, one line per
// next step, unknown commands, and the exit code of a missing token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { nextForModel, nextForTerminal } from '../../src/operations/next.js';
import { operationMap } from '../../src/operations/index.js';
import { run, tempHome } from '../helpers/cli.js';

const FLOW = 'Shopify Customers to NetSuite';
let emu: RunningEmulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
  env = { CELIGO_MANAGE_HOME: tempHome(), CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN, NO_COLOR: '1' };
});
afterAll(async () => {
  await emu?.close();
});

describe('backups diff', () => {
  it('shows both sides of a long change in the same notation, around the difference, and says "1 object differs"', async () => {
    const up = await run(['mapping', 'update', FLOW, '--add', 'memo=email', '--yes', '--json', 'backupId'], { env });
    const id = JSON.parse(up.stdout).backupId as string;
    const d = await run(['backups', 'diff', id], { env, tty: true });
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^1 object differs from backup/);
    const line = d.stdout.split('\n').find((l) => l.trim().startsWith('mapping.fields:'))!;
    const [before, after] = line.replace(/^\s*mapping\.fields: /, '').split(' -> ');
    // Never JSON text encoded once more as a JSON string ("[{\"extract\"…").
    expect(line).not.toContain('\\"');
    expect(before.startsWith('"')).toBe(after.startsWith('"'));
    // The new mapping is visible, not cut away behind an identical prefix.
    expect(after).toContain('"generate":"memo"');
    expect(before).not.toContain('"generate":"memo"');
  });
});

describe('errors clear', () => {
  it('lists the cleared errors per step as columns, not as raw JSON', async () => {
    const r = await run(['errors', 'clear', '--flow', 'Salesforce Case Comments to Zendesk', '--yes'], { env, tty: true, columns: 120 });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\{"stepId"/);
    expect(r.stdout).toMatch(/STEP ID\s+ERRORS/);
  });
});

describe('next steps', () => {
  it('print each command line once, whatever the reasons given', () => {
    const steps = [
      { op: 'get_job', args: { job: '665f0000597aa63c000009fb' }, why: "the job's counts and timing" },
      { op: 'get_job', args: { job: '665f0000597aa63c000009fb' }, why: 'still running: check it until it ends' },
      { op: 'troubleshoot', args: { job: '665f0000597aa63c000009fb' }, why: 'the likely cause' },
    ];
    const lines = nextForTerminal(steps, operationMap());
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/jobs get 665f0000597aa63c000009fb {3}# the job's counts and timing/);
    expect(nextForModel(steps)).toHaveLength(2);
  });
});

describe('unknown commands', () => {
  it.each([
    [['--demo', 'tags', 'add', 'x'], /Commands of tags: list/, /celigo-manage --demo tags --help/],
    [['--demo', 'nothing'], /flows/, /celigo-manage --demo --help/],
    [['--demo', 'retry'], /errors retry|jobs retry/, /--help/],
  ])('%j says which commands there are and where the help is', async (argv, commands, help) => {
    const r = await run(argv, { tty: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown command/);
    expect(r.stderr).toMatch(commands);
    expect(r.stderr).toMatch(help);
  });

  it('keeps the "Did you mean" of a near miss', async () => {
    const r = await run(['--demo', 'flows', 'lst']);
    expect(r.stderr).toMatch(/Did you mean list\?/);
  });
});

describe('exit codes', () => {
  it('a missing token is an authentication problem: exit 4, as the README says', async () => {
    const r = await run(['flows', 'list'], { env: { CELIGO_MANAGE_HOME: tempHome() } });
    expect(r.stderr).toMatch(/No API token/);
    expect(r.code).toBe(4);
    const j = await run(['flows', 'list', '--json'], { env: { CELIGO_MANAGE_HOME: tempHome() } });
    expect(j.code).toBe(4);
    expect(JSON.parse(j.stderr).error.exitCode).toBe(4);
  });
});

describe('a JSON file that is not JSON', () => {
  it('names the file, or standard input for "-", and never echoes its text', async () => {
    const piped = await run(['integrations', 'setup', '--spec', '-', '--yes'], { env, input: 'secret-looking text' });
    expect(piped.code).toBe(1);
    expect(piped.stderr).toMatch(/^Error: The setup spec on standard input is not valid JSON\./);
    expect(piped.stderr).not.toContain('secret-looking');
  });
});
