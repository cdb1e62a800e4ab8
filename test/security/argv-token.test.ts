// A token on the command line (--token X, --api-token=X, a bare argument after `mcp`, a token pasted as
// the command) is refused with a message that points to the environment, and never echoed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bareTokenIn } from '../../src/cli/main.js';
import { NOUN_INDEX } from '../../src/cli/commands/index.js';
import { run } from '../helpers/cli.js';
import { cleanEnv, tempDir, tokenIn } from '../fuzz/helpers.js';
import { REAL_LOOKING_TOKEN as T } from '../helpers/security.js';

const root = join(import.meta.dirname, '..', '..');
const built = existsSync(join(root, 'dist', 'cli', 'main.js'));

const CASES: string[][] = [
  ['--token', T, 'flows', 'list'],
  [`--token=${T}`, 'flows', 'list'],
  ['flows', 'list', '--api-token', T],
  ['flows', 'list', `--api-token=${T}`],
  ['--demo', 'mcp', `--api-key=${T}`],
  ['mcp', '--token', T],
  ['mcp', T],
  ['mcp', '--http', T],
  ['mcp', '--http', '--port', '8765', T],
  ['--profile', 'prod', 'mcp', T],
  ['mcp', '--read-only', '--', T],
  ['mcp', `Bearer`, T],
  [T],
  ['--demo', T, 'flows'],
  ['flows', 'list', '--json', '--celigo-token', T],
  ['integrations', 'list', `--bearer-token=${T}`],
  ['--access-token', T, 'health'],
];

function refused(out: { code: number; stdout: string; stderr: string }, argv: string[]): void {
  const where = argv.join(' ');
  expect(out.code, where).toBe(1);
  expect(out.stderr, where).toMatch(/CELIGO_API_TOKEN/);
  expect(out.stderr, where).toMatch(/environment/);
  expect(tokenIn(out.stdout + out.stderr, T), `${where}: echoed the token`).toBeUndefined();
}

describe('a token in argv (in process)', () => {
  it.each(CASES)('refuses %j and never echoes it', async (...argv) => {
    refused(await run(argv, { input: '' }), argv);
  });

  it('answers with JSON under --json', async () => {
    const r = await run(['--json', 'mcp', T], { input: '' });
    refused(r, ['--json', 'mcp', T]);
    expect(JSON.parse(r.stderr).error.type).toBe('usage');
  });

  it('still lets through what only looks similar', () => {
    const nouns = NOUN_INDEX.map((n) => n.name);
    for (const argv of [
      ['mcp', '--toolsets', 'flows,jobs'],
      ['mcp', '--http', '--port', '8765', '--host', '127.0.0.1'],
      ['flows', 'get', '665f000033ccded9000000b1'],
      ['--profile', 'sandbox', 'flows', 'list'],
      ['profiles', 'add', 'p', '--token-env', 'MY_TOKEN'],
      ['help', 'mcp'],
      ['emulator', '--seed', 'demo'],
      ['flow'],
    ]) {
      expect(bareTokenIn(argv, nouns), argv.join(' ')).toBeUndefined();
    }
  });
});

describe.skipIf(!built)('a token in argv (the bin, a real process)', () => {
  it.each([['mcp', T], ['--demo', 'mcp', '--http', T], ['--token', T, 'mcp'], [`--api-token=${T}`, 'mcp', '--demo']])('refuses %j before serving anything', (...argv) => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'celigo-manage.js'), ...argv], {
      cwd: root,
      env: cleanEnv({ CELIGO_MANAGE_HOME: tempDir('cm-sec-argv-') }),
      input: '',
      encoding: 'utf8',
      timeout: 20_000,
    });
    refused({ code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }, argv);
  });
});
