// Tokens never come from argv and never reach the output; colour follows NO_COLOR.
import { describe, expect, it } from 'vitest';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { tokenFlagIn } from '../../src/cli/main.js';
import { ANSI, run } from '../helpers/cli.js';

describe('tokens', () => {
  it.each([['--token', 'abc'], ['--token=abc'], ['--api-token', 'abc'], ['--api-key=abc'], ['--TOKEN', 'x']])('refuses %s on the command line (exit 1)', async (...flag) => {
    const r = await run(['--demo', 'flows', 'list', ...flag]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CELIGO_API_TOKEN');
    expect(r.stderr).toContain('environment');
    expect(r.stdout).toBe('');
  });

  it('refuses as JSON with --json, and lets --token-env through', async () => {
    const r = await run(['flows', 'list', '--token=abc', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.type).toBe('usage');
    expect(tokenFlagIn(['profiles', 'add', 'p', '--token-env', 'MY_TOKEN'])).toBeUndefined();
  });

  it('never prints the demo token, whatever the command', async () => {
    const commands = [
      ['--demo', 'connections', 'list', '--json'],
      ['--demo', 'connections', 'get', 'NetSuite Production', '--json'],
      ['--demo', 'api', 'GET', '/connections'],
      ['--demo', 'api', 'GET', '/tokenInfo'],
      ['--demo', 'health', '--json'],
      ['--demo', 'flows', 'get', 'Shopify Customers to NetSuite'],
      ['--demo', 'api', 'GET', '/nope'],
    ];
    for (const argv of commands) {
      for (const tty of [false, true]) {
        const r = await run(argv, { tty });
        expect(r.stdout + r.stderr, argv.join(' ')).not.toContain(DEMO_TOKEN);
      }
    }
  });
});

describe('colour', () => {
  it('is on for a terminal, off with NO_COLOR, --no-color, or a pipe', async () => {
    const argv = ['--demo', 'tags', 'list'];
    expect((await run(argv, { tty: true })).stdout).toMatch(ANSI);
    expect((await run(argv, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    expect((await run([...argv, '--no-color'], { tty: true })).stdout).not.toMatch(ANSI);
    expect((await run(argv, { tty: false })).stdout).not.toMatch(ANSI);
    const err = await run(['--demo', 'flows', 'get', 'nope'], { tty: true, env: { NO_COLOR: '1' } });
    expect(err.stderr).not.toMatch(ANSI);
  });
});
