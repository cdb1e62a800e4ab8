// Help output is part of the interface: snapshots of the top level and of every noun, and every
// command's own help has examples and the exit codes.
import { describe, expect, it } from 'vitest';
import { NOUN_INDEX, loadNouns } from '../../src/cli/commands/index.js';

const NOUNS = await loadNouns();
import { run } from '../helpers/cli.js';

describe('help', () => {
  it('top level', async () => {
    const r = await run(['--help'], { columns: 100 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchSnapshot();
  });

  it.each(NOUNS.map((n) => n.name))('%s --help', async (noun) => {
    const r = await run([noun, '--help'], { columns: 100 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchSnapshot();
  });

  it('every command has help with examples and the exit codes', async () => {
    for (const n of NOUNS) {
      const cmds = n.command ? [[n.name]] : (n.verbs ?? []).map((v) => [n.name, v.name]);
      for (const argv of cmds) {
        const r = await run([...argv, '--help'], { columns: 100 });
        expect(r.code, argv.join(' ')).toBe(0);
        expect(r.stdout, argv.join(' ')).toContain('Examples:\n  $ celigo-manage ');
        expect(r.stdout, argv.join(' ')).toContain('Exit codes: 0 ok, 1 error, 2 cancelled, 4 auth, 8 still pending');
        expect(r.stdout, argv.join(' ')).toContain('--demo');
      }
    }
  });

  it('the index lists every noun once, with the summary its single command uses', () => {
    expect(NOUN_INDEX.map((e) => e.name)).toEqual(NOUNS.map((n) => n.name));
    for (const n of NOUNS) if (n.command) expect(n.command.summary, n.name).toBe(n.summary);
  });

  it('the command table matches the spec', () => {
    const table = Object.fromEntries(NOUNS.map((n) => [n.name, n.verbs?.map((v) => v.name) ?? []]));
    expect(table).toEqual({
      integrations: ['list', 'get', 'create', 'clone', 'tag', 'setup', 'promote', 'delete'],
      flows: ['list', 'get', 'run', 'update', 'enable', 'disable', 'monitor', 'using', 'delete'],
      connections: ['list', 'get', 'test', 'create', 'delete', 'update'],
      jobs: ['list', 'get', 'retry', 'retry-failed', 'errors', 'cancel'],
      errors: ['list', 'retry', 'clear'],
      exports: ['list', 'get', 'run', 'delete', 'update'],
      imports: ['list', 'get', 'delete', 'update'],
      mapping: ['show', 'update'],
      tags: ['list'],
      'lookup-caches': ['list', 'get'],
      health: [],
      troubleshoot: [],
      backups: ['list', 'diff', 'restore', 'changes', 'import', 'prune'],
      doctor: [],
      profiles: ['list', 'add', 'use'],
      mcp: [],
      emulator: [],
      api: [],
      completion: [],
    });
  });

  it('help for a noun and `help <noun>` are the same', async () => {
    const a = await run(['jobs', '--help'], { columns: 100 });
    const b = await run(['help', 'jobs'], { columns: 100 });
    expect(b.stdout).toBe(a.stdout);
  });

  it('--version answers without loading the command table', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
