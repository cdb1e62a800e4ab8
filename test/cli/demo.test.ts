// The embedded demo account (issue 13 item 14): every command line printed in demo mode carries --demo
// (pasting one never ends in "No API token"); a change says that the demo account starts afresh at
// every command and where to get one that keeps changes; demo backups never outlive the demo state.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSession } from '../../src/app/session.js';
import { run, tempHome } from '../helpers/cli.js';

const FLOW = 'Shopify Customers to NetSuite';

/** Every line that shows a command to type. */
const commandLines = (text: string) => text.split('\n').filter((l) => /\bceligo-manage (?!mcp:|emulator)/.test(l));

describe('demo mode', () => {
  it('every command line it prints carries --demo: next steps, usage hints, errors', async () => {
    const runs = [
      ['--demo', 'health'],
      ['--demo', 'troubleshoot', 'Salesforce - NetSuite Customers'],
      ['--demo', 'flows', 'run', FLOW],
      ['--demo', 'flows', 'get', 'no such flow'],
      ['--demo', 'jobs', 'retry-failed', '--yes'],
      ['flows', 'list', '--demo', '--limit', 'x'],
      ['--demo', 'flows', 'disable', FLOW, '--yes'],
    ];
    let seen = 0;
    for (const argv of runs) {
      const r = await run(argv, { tty: true, env: { NO_COLOR: '1' } });
      for (const line of commandLines(r.stdout + '\n' + r.stderr)) {
        seen++;
        expect(line, argv.join(' ')).toMatch(/celigo-manage --demo /);
      }
    }
    expect(seen).toBeGreaterThan(6);
  });

  it('a change says the demo account starts afresh, points to the emulator, and leaves no backup behind', async () => {
    const home = tempHome();
    const r = await run(['--demo', 'flows', 'disable', FLOW, '--yes'], { tty: true, env: { CELIGO_MANAGE_HOME: home, NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/demo account starts afresh/i);
    expect(r.stderr).toContain('celigo-manage emulator');
    // Its backup went with the demo state: nothing under the home, and no undo that could not work.
    expect(existsSync(join(home, 'demo', 'backups')) ? readdirSync(join(home, 'demo', 'backups')) : []).toEqual([]);
    expect(r.stdout).not.toMatch(/backups restore/);
    const list = await run(['--demo', 'backups', 'list', '--json'], { env: { CELIGO_MANAGE_HOME: home } });
    expect(JSON.parse(list.stdout)).toEqual([]);
    // --json output stays JSON: the note is for people.
    const json = await run(['--demo', 'flows', 'disable', FLOW, '--yes', '--json', 'flowId'], { env: { CELIGO_MANAGE_HOME: home } });
    expect(json.stderr).toBe('');
  });

  it('a demo session (the MCP server) keeps its backups for its own life, apart from the home, and removes them at close', async () => {
    const home = tempHome();
    const s = await openSession({ demo: true, env: { CELIGO_MANAGE_HOME: home } });
    expect(s.home.startsWith(home)).toBe(false);
    expect(existsSync(s.home)).toBe(true);
    await s.close();
    expect(existsSync(s.home)).toBe(false);
  });

  it('the README says the demo account resets at every command and names the emulator for one that keeps changes', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const quick = readme.slice(readme.indexOf('`--demo` starts'), readme.indexOf('## Use it from an AI agent'));
    expect(quick).toMatch(/every command/i);
    expect(quick).toContain('celigo-manage emulator');
  });
});
