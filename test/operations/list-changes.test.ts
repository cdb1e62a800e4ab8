// The change log (issue 18) through its one declaration: list_changes over MCP (the manage toolset, not
// served by default) and `backups changes` at a terminal, on the local file store. A change made through
// an existing mutating tool is listed with the local actor; the filters work; a blank filter is refused
// (never "everything"); read-only mode still serves it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localActor } from '../../src/app/actor.js';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runMcp } from '../../src/mcp/main.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { run, tempHome } from '../helpers/cli.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';
import { connectHttp, connectInMemory, textOf } from '../helpers/mcp.js';

const FLOW = 'Shopify Orders to NetSuite Sales Orders';
const OTHER_FLOW = 'NetSuite Inventory to Shopify';
const ME = localActor().subject;

interface Row {
  at: string;
  by: string;
  byName?: string;
  operation?: string;
  reason: string;
  backupId: string;
  applied: boolean;
  targets: string[];
}
interface Listed {
  total: number;
  truncated: boolean;
  nextCursor?: string;
  rows: Row[];
}

describe('list_changes over MCP (local files)', () => {
  let env: Env;
  let conn: Awaited<ReturnType<typeof connectInMemory>>;
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await conn.client.callTool({ name, arguments: args });
    return { text: textOf(r), isError: !!r.isError, structured: r.structuredContent as Listed };
  };
  const mapping = (flow: string, generate: string) => call('update_mapping', { flow, changes: [{ op: 'add', generate, hardCodedValue: 'web' }] });

  beforeEach(async () => {
    env = await demoEnv();
    conn = await connectInMemory({ era: 'modern', server: { api: env.api, tools: catalogue(), home: env.home, now: () => new Date(env.clock.now()) } });
  });
  afterEach(async () => {
    await conn.close();
    await env.close();
  });

  it('lists a change made through update_mapping: when, who, which tool, the import with its digests, the backup', async () => {
    expect((await call('list_changes', {})).text).toBe('No changes found.');
    const made = await mapping(FLOW, 'memo');
    expect(made.isError, made.text).toBe(false);
    const backupId = /bk-[\w-]+/.exec(made.text)?.[0];
    expect(backupId).toBeTruthy();

    const r = await call('list_changes', {});
    expect(r.isError, r.text).toBe(false);
    expect(r.text).toMatch(/^Showing 1 of 1 changes\.\nat\tby\toperation\treason\tbackupId\tapplied\ttargets\n/);
    expect(r.structured).toMatchObject({ total: 1, truncated: false });
    const [row] = r.structured.rows;
    expect(row).toMatchObject({ at: new Date(env.clock.now()).toISOString(), by: ME, operation: 'update_mapping', backupId, applied: true });
    expect(row.reason).toMatch(/mapping/i);
    expect(row.byName).toBeUndefined();
    expect(row.targets).toEqual([expect.stringMatching(/^import "[^"]+" \([0-9a-f]{24}\) [0-9a-f]{8}→[0-9a-f]{8}$/)]);
  });

  it('filters by since, by, target and operation (either its tool or its command name), and pages with a cursor', async () => {
    await mapping(FLOW, 'memo');
    env.clock.advance(3 * 86_400_000);
    await mapping(OTHER_FLOW, 'memo');
    env.clock.advance(60_000);
    await call('update_flow', { flow: OTHER_FLOW, enabled: false });
    const list = async (args: Record<string, unknown>) => {
      const r = await call('list_changes', args);
      expect(r.isError, r.text).toBe(false);
      return r;
    };
    const all = (await list({})).structured;
    expect(all.total).toBe(3);
    expect(all.rows.map((x) => x.operation)).toEqual(['update_flow', 'update_mapping', 'update_mapping']);

    const recent = await list({ since: 'last 24 hours' });
    expect(recent.structured.total).toBe(2);
    expect(recent.text).toMatch(/^Changes from \S+Z on \(last 24 hours\)\.\nShowing 2 of 2 changes\./);
    expect((await list({ since: 'since 5 days ago' })).structured.total).toBe(3);
    expect((await list({ by: ME })).structured.total).toBe(3);
    // A subject that finds nothing says whose changes the log does hold: a misspelling reads as one.
    expect((await list({ by: 'oauth|someone-else' })).text).toBe(`No change by that subject; the log holds changes by: ${ME}.\nNo changes found.`);
    // A resource by its name or its id: the two mapping changes wrote two different imports.
    const byName = (await list({ target: OTHER_FLOW })).structured;
    expect(byName.rows.map((x) => x.operation)).toEqual(['update_flow']);
    const importRow = all.rows[2];
    const importId = /\(([0-9a-f]{24})\)/.exec(importRow.targets[0])![1];
    expect((await list({ target: importId })).structured.rows.map((x) => x.backupId)).toEqual([importRow.backupId]);
    expect((await list({ target: 'no such resource' })).structured.total).toBe(0);
    expect((await list({ operation: 'update_mapping' })).structured.total).toBe(2);
    expect((await list({ operation: 'flows disable' })).structured.rows.map((x) => x.operation)).toEqual(['update_flow']);
    const unknown = await list({ operation: 'frobnicate' });
    expect(unknown.text).toBe('"frobnicate" is no tool or command of this version: matched as written.\nNo changes found.');
    const misspelled = await list({ operation: 'update_mapin' });
    expect(misspelled.text).toMatch(/^"update_mapin" is no tool or command of this version: matched as written\. Did you mean "update_mapping"\?/);

    const first = (await list({ limit: 2 })).structured;
    expect(first).toMatchObject({ total: 3, truncated: true, rows: [all.rows[0], all.rows[1]] });
    const second = (await list({ limit: 2, cursor: first.nextCursor })).structured;
    expect(second).toMatchObject({ total: 3, truncated: false, rows: [all.rows[2]] });
    expect((await list({ fields: ['backupId', 'by'], limit: 1 })).structured.rows).toEqual([{ backupId: all.rows[0].backupId, by: ME }]);
  });

  it('refuses blank filters, saying what to pass, and an unreadable since with the time parser\'s message', async () => {
    await mapping(FLOW, 'memo');
    for (const [args, message] of [
      [{ by: '' }, 'by needs the subject'],
      [{ by: '   ' }, 'by needs the subject'],
      [{ target: '' }, 'target needs a resource id or name'],
      [{ operation: ' ' }, 'operation needs a tool or command name'],
      [{ since: '' }, 'since needs a time'],
      [{ since: 'the day before the meeting' }, 'Cannot read the time range "the day before the meeting"'],
    ] as const) {
      const r = await call('list_changes', args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(r.text).toContain(message);
      expect(r.text).not.toContain('Showing');
    }
  });
});

describe('list_changes is served with the manage toolset, in read-only mode too', () => {
  it('not by default; with --toolsets manage and --read-only it is', async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, CELIGO_MANAGE_HOME: tempHome() };
    const byDefault = await runMcp({ http: true, port: 0, demo: true, env, log: () => {} });
    try {
      const c = await connectHttp(byDefault.url!, { era: 'modern' });
      expect((await c.client.listTools()).tools.map((t) => t.name)).not.toContain('list_changes');
      await c.close();
    } finally {
      await byDefault.close();
    }
    const readOnly = await runMcp({ http: true, port: 0, demo: true, readOnly: true, toolsets: ['default', 'manage'], env, log: () => {} });
    try {
      const c = await connectHttp(readOnly.url!, { era: 'modern' });
      const tools = (await c.client.listTools()).tools;
      expect(tools.map((t) => t.name)).toContain('list_changes');
      expect(tools.find((t) => t.name === 'list_changes')?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
      const r = await c.client.callTool({ name: 'list_changes', arguments: {} });
      expect(r.isError, textOf(r)).toBeFalsy();
      await c.close();
    } finally {
      await readOnly.close();
    }
  });
});

describe('backups changes at a terminal', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
  });
  afterAll(async () => {
    await emu?.close();
  });
  const envOf = (home: string) => ({ CELIGO_MANAGE_HOME: home, CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN });

  it('lists a change made by a command, as a table, TSV or JSON; --read-only allows it; a blank --by is refused', async () => {
    const home = tempHome();
    const upd = await run(['flows', 'update', FLOW, '--name', 'Renamed by the change log test', '--yes', '--json', 'backupId'], { env: envOf(home) });
    expect(upd.code, upd.stderr).toBe(0);
    const { backupId } = JSON.parse(upd.stdout) as { backupId: string };

    const table = await run(['backups', 'changes'], { env: envOf(home), tty: true });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('Showing 1 of 1 changes');
    expect(table.stdout).toContain(backupId);
    expect(table.stdout).toContain('flows update');
    expect(table.stdout).toContain(ME);

    const json = await run(['--read-only', 'backups', 'changes', '--by', ME, '--operation', 'update_flow', '--since', 'today', '--json', 'by,operation,backupId,applied,targets'], { env: envOf(home) });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { by: ME, operation: 'flows update', backupId, applied: true, targets: [expect.objectContaining({ type: 'flow', name: FLOW, change: 'changed', before: expect.stringMatching(/^[0-9a-f]{8}$/), after: expect.stringMatching(/^[0-9a-f]{8}$/) })] },
    ]);
    const tsv = await run(['backups', 'changes', '--target', FLOW], { env: envOf(home) });
    expect(tsv.stdout.split('\n')[0]).toBe('at\tby\toperation\treason\tapplied\ttargets\tbackupId');

    const blank = await run(['backups', 'changes', '--by', ''], { env: envOf(home) });
    expect(blank.code).toBe(1);
    expect(blank.stderr).toContain('by needs the subject');
    const badField = await run(['backups', 'changes', '--json', 'who'], { env: envOf(home) });
    expect(badField.code).toBe(1);
    expect(badField.stderr).toContain('Valid fields: at, by, byName');
  });
});
