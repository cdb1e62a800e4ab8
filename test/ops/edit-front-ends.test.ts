// Issue 17 items 1-2 through their one declaration each: `jobs cancel`, `exports update`, `imports update`
// and `connections update` at a terminal, and cancel_job, update_export, update_import, update_connection
// over MCP (the `manage` toolset, not served by default). A connection secret given by its variable's
// name never appears in any output of either front end.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMcp } from '../../src/mcp/main.js';
import { run } from '../helpers/cli.js';
import { connectHttp, textOf } from '../helpers/mcp.js';

const EXPORT = 'Get Shopify orders';
const CONN = 'Shopify - acme-store';
const SECRET = 'shpat-Qw72-front-end-secret';
const EDIT_TOOLS = ['cancel_job', 'update_export', 'update_import', 'update_connection'];

async function completedJob(): Promise<string> {
  const r = await run(['--demo', 'jobs', 'list', '--status', 'completed', '--json', 'id', '--limit', '1']);
  return (JSON.parse(r.stdout) as { id: string }[])[0]!.id;
}

describe('at a terminal', () => {
  it('exports update --set: the value as JSON when it parses, else text; a dry run writes nothing', async () => {
    const dry = await run(['--demo', 'exports', 'update', EXPORT, '--set', 'http.relativeURI=/orders.json?status=any', '--set', 'http.paging.maxPagesPerRun=5', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('~ http.relativeURI: "/orders.json?status=any&updated_at_min={{{lastExportDateTime}}}" -> "/orders.json?status=any"');
    expect(dry.stdout).toContain('~ http.paging.maxPagesPerRun: (none) -> 5');
    expect(dry.stderr).toContain('Dry run: nothing was written');
    const done = await run(['--demo', 'exports', 'update', EXPORT, '--set', 'http.relativeURI=/orders.json', '--json']);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ written: true, verified: true, method: 'PUT', backupId: expect.stringMatching(/^bk-/) });
  });

  it('imports update and a refused path (exit 1, the reason on stderr)', async () => {
    const ok = await run(['--demo', 'imports', 'update', 'Create NetSuite sales orders', '--changes', '{"path":"netsuite_da.operation","value":"add"}', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ type: 'import', verified: true });
    const bad = await run(['--demo', 'exports', 'update', EXPORT, '--set', 'lastModified=2020']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('lastModified: the server sets it');
  });

  it('connections update --secret-env reads the variable; the value is in no output', async () => {
    const r = await run(['--demo', 'connections', 'update', CONN, '--set', 'http.baseURI=https://acme-store.myshopify.com/admin/api/2024-04', '--secret-env', 'http.auth.token.token=SHOP_TOKEN'], { env: { SHOP_TOKEN: SECRET } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('(secret from $SHOP_TOKEN)');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const missing = await run(['--demo', 'connections', 'update', CONN, '--secret-env', 'http.auth.token.token=NOPE_VAR']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Environment variable NOPE_VAR');
  });

  it('jobs cancel of a job that already ended is a clear error', async () => {
    const id = await completedJob();
    const r = await run(['--demo', 'jobs', 'cancel', id, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already ended \(completed.*\); there is nothing to cancel/);
  });
});

describe('over MCP', () => {
  it('serves the edit tools only with the manage toolset; edits, refuses, and never shows a secret', async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, CELIGO_MANAGE_HOME: mkdtempSync(join(tmpdir(), 'cm-edit-')), SHOP_TOKEN: SECRET };
    const byDefault = await runMcp({ http: true, port: 0, demo: true, env, log: () => {} });
    try {
      const c = await connectHttp(byDefault.url!, { era: 'modern' });
      const names = (await c.client.listTools()).tools.map((t) => t.name);
      for (const t of EDIT_TOOLS) expect(names).not.toContain(t);
      await c.close();
    } finally {
      await byDefault.close();
    }
    const logs: string[] = [];
    const mcp = await runMcp({ http: true, port: 0, demo: true, toolsets: ['default', 'manage'], env, log: (l) => logs.push(l) });
    try {
      const c = await connectHttp(mcp.url!, { era: 'legacy' });
      const names = (await c.client.listTools()).tools.map((t) => t.name);
      for (const t of EDIT_TOOLS) expect(names).toContain(t);
      const exp = await c.client.callTool({ name: 'update_export', arguments: { export: EXPORT, changes: [{ path: 'http.relativeURI', value: '/orders.json' }] } });
      expect(exp.isError, textOf(exp)).toBeFalsy();
      expect(textOf(exp)).toContain('Verified by reading it back');
      const bad = await c.client.callTool({ name: 'update_import', arguments: { import: 'Create NetSuite sales orders', changes: [{ path: '_id', value: 'x' }] } });
      expect(bad.isError).toBe(true);
      expect(textOf(bad)).toContain('_id: the server sets it');
      const conn = await c.client.callTool({
        name: 'update_connection',
        arguments: { connection: CONN, changes: [{ path: 'http.baseURI', value: 'https://acme-store.myshopify.com/admin/api/2024-04' }], secrets: [{ path: 'http.auth.token.token', env: 'SHOP_TOKEN' }] },
      });
      expect(conn.isError, textOf(conn)).toBeFalsy();
      expect(JSON.stringify(conn)).not.toContain(SECRET);
      const literal = await c.client.callTool({ name: 'update_connection', arguments: { connection: CONN, changes: [{ path: 'http.auth.token.token', value: SECRET }] } });
      expect(literal.isError).toBe(true);
      expect(JSON.stringify(literal)).not.toContain(SECRET);
      const ended = await c.client.callTool({ name: 'cancel_job', arguments: { job: await completedJob() } });
      expect(ended.isError).toBe(true);
      expect(textOf(ended)).toContain('there is nothing to cancel');
      await c.close();
    } finally {
      await mcp.close();
    }
    expect(logs.join('\n')).not.toContain(SECRET);
  });
});
