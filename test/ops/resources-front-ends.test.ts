// Issue 17 through its one declaration each: delete_resource, get_job_errors, list_lookup_caches and
// get_lookup_cache at a terminal (flows|integrations|exports|imports|connections delete, jobs errors,
// lookup-caches list|get) and over MCP (the manage toolset, not served by default).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMcp } from '../../src/mcp/main.js';
import { run } from '../helpers/cli.js';
import { connectHttp, textOf } from '../helpers/mcp.js';

const FLOW = 'Shopify Customers to NetSuite';
const TOOLS = ['delete_resource', 'get_job_errors', 'list_lookup_caches', 'get_lookup_cache'];

describe('at a terminal', () => {
  it('flows delete: asks (no terminal: refuses without --yes), deletes with its steps and names the backup', async () => {
    const ask = await run(['--demo', 'flows', 'delete', FLOW, '--with-steps']);
    expect(ask.code).toBe(2);
    expect(ask.stderr).toContain('needs confirmation');
    const done = await run(['--demo', 'flows', 'delete', FLOW, '--with-steps', '--yes', '--json']);
    expect(done.code).toBe(0);
    const r = JSON.parse(done.stdout) as { deleted: { type: string }[]; backupId: string };
    expect(r.deleted.map((d) => d.type)).toEqual(['flow', 'export', 'import']);
    expect(r.backupId).toMatch(/^bk-/);
  });

  it('exports delete refuses an export a flow uses, naming it; --force deletes it anyway', async () => {
    const refused = await run(['--demo', 'exports', 'delete', 'Get Shopify customers', '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`used by flow "${FLOW}" (source)`);
    const forced = await run(['--demo', 'exports', 'delete', 'Get Shopify customers', '--yes', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('Forced');
  });

  it('connections delete of an unused connection says its secrets will need setting again', async () => {
    const r = await run(['--demo', 'connections', 'delete', 'NetSuite Sandbox', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('without its secrets');
  });

  it('lookup-caches list and get, jobs errors', async () => {
    const list = await run(['--demo', 'lookup-caches', 'list', '--json', 'name,sizeBytes,sizeInMB']);
    expect(JSON.parse(list.stdout)).toEqual([
      { name: 'Shopify SKU to NetSuite Item', sizeBytes: expect.any(Number), sizeInMB: '<5 MB' },
      { name: 'Salesforce Account to NetSuite Customer', sizeBytes: expect.any(Number), sizeInMB: '<5 MB' },
    ]);
    const get = await run(['--demo', 'lookup-caches', 'get', 'Shopify SKU to NetSuite Item', '--starts-with', 'SKU-1120', '--json']);
    expect(JSON.parse(get.stdout)).toEqual([{ key: 'SKU-11200', value: '{"nsId":"48393","name":"Item 11200"}' }]);
    const jobs = JSON.parse((await run(['--demo', 'jobs', 'list', '--range', 'last 7 days', '--json', 'id,errors'])).stdout) as { id: string; errors: number }[];
    const job = jobs.find((j) => j.errors > 1)!;
    const errs = await run(['--demo', 'jobs', 'errors', job.id]);
    expect(errs.code).toBe(0);
    expect(errs.stdout).toContain(`Job ${job.id} (flow`);
    expect(errs.stdout).toContain('from the error list');
    const file = JSON.parse((await run(['--demo', 'jobs', 'errors', job.id, '--file', '--json'])).stdout) as { source: string; read: number };
    expect(file).toMatchObject({ source: 'error file', read: job.errors });
  });
});

describe('over MCP', () => {
  it('the manage tools are not served by default; with the manage toolset a flow is deleted, then restored, wired together again', async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, CELIGO_MANAGE_HOME: mkdtempSync(join(tmpdir(), 'cm-delete-')) };
    const byDefault = await runMcp({ http: true, port: 0, demo: true, env, log: () => {} });
    try {
      const c = await connectHttp(byDefault.url!, { era: 'modern' });
      const names = (await c.client.listTools()).tools.map((t) => t.name);
      for (const t of TOOLS) expect(names).not.toContain(t);
      await c.close();
    } finally {
      await byDefault.close();
    }
    const mcp = await runMcp({ http: true, port: 0, demo: true, toolsets: ['default', 'manage'], env, log: () => {} });
    try {
      const c = await connectHttp(mcp.url!, { era: 'legacy' });
      const names = (await c.client.listTools()).tools.map((t) => t.name);
      for (const t of TOOLS) expect(names).toContain(t);
      const preview = await c.client.callTool({ name: 'delete_resource', arguments: { type: 'flow', id: FLOW, withSteps: true } });
      const token = /confirm: "([^"]+)"/.exec(textOf(preview))?.[1];
      expect(token, textOf(preview)).toBeTruthy();
      const done = await c.client.callTool({ name: 'delete_resource', arguments: { type: 'flow', id: FLOW, withSteps: true, confirm: token } });
      expect(done.isError, textOf(done)).toBeFalsy();
      const backupId = (done.structuredContent as { backupId: string }).backupId;
      const rPreview = await c.client.callTool({ name: 'restore_backup', arguments: { id: backupId } });
      const rToken = /confirm: "([^"]+)"/.exec(textOf(rPreview))?.[1];
      expect(textOf(rPreview)).toContain('re-create flow');
      const restored = await c.client.callTool({ name: 'restore_backup', arguments: { id: backupId, confirm: rToken } });
      expect(restored.isError, textOf(restored)).toBeFalsy();
      expect(textOf(restored)).toMatch(/re-created export "?Get Shopify customers/);
      const flow = await c.client.callTool({ name: 'get_flow', arguments: { flow: FLOW } });
      expect(flow.isError, textOf(flow)).toBeFalsy();
      expect(textOf(flow)).toContain('Get Shopify customers');
      const caches = await c.client.callTool({ name: 'list_lookup_caches', arguments: {} });
      expect(textOf(caches)).toContain('Showing 2 of 2 lookup caches');
      const page = await c.client.callTool({ name: 'get_lookup_cache', arguments: { cache: 'Shopify SKU to NetSuite Item', limit: 5 } });
      expect(textOf(page)).toContain('Showing 5 of 1000 keys');
      expect(textOf(page)).toContain('narrow with startsWith');
      await c.close();
    } finally {
      await mcp.close();
    }
  });
});
