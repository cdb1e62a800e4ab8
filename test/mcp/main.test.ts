// runMcp end to end in-process: the demo account over HTTP, tool selection, fixtures switch.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMcp } from '../../src/mcp/main.js';
import { connectHttp, textOf } from '../helpers/mcp.js';

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CELIGO_')) env[k] = v;
  return { ...env, CELIGO_MANAGE_HOME: mkdtempSync(join(tmpdir(), 'cm-mcp-')), ...extra };
}

describe('runMcp', () => {
  it('serves the selected catalogue on the demo account over HTTP, without fixtures by default', async () => {
    const logs: string[] = [];
    const env = cleanEnv({ CELIGO_MANAGE_TOOLSETS: 'flows' });
    const mcp = await runMcp({ http: true, port: 0, demo: true, toolsets: ['integrations'], readOnly: true, env, log: (l) => logs.push(l) });
    try {
      expect(mcp.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      expect(logs.join('\n')).toMatch(/serving \d+ tools, account demo, read-only on http/);
      const c = await connectHttp(mcp.url!, { era: 'modern' });
      try {
        const tools = (await c.client.listTools()).tools;
        expect(tools.length).toBeGreaterThan(0);
        expect(tools.map((t) => t.name)).toContain('list_integrations');
        expect(tools.map((t) => t.name)).not.toContain('test_simple_text');
        expect(tools.every((t) => t.annotations?.readOnlyHint)).toBe(true);
        const r = await c.client.callTool({ name: 'list_integrations', arguments: {} });
        expect(r.isError, textOf(r)).toBeFalsy();
      } finally {
        await c.close();
      }
    } finally {
      await mcp.close();
    }
    await mcp.closed;
  });

  it('adds the conformance fixtures with CELIGO_MANAGE_CONFORMANCE=1', async () => {
    const mcp = await runMcp({ http: true, port: 0, demo: true, tools: ['list_integrations'], env: cleanEnv({ CELIGO_MANAGE_CONFORMANCE: '1' }), log: () => {} });
    try {
      const c = await connectHttp(mcp.url!, { era: 'legacy' });
      try {
        const names = (await c.client.listTools()).tools.map((t) => t.name);
        expect(names).toEqual(expect.arrayContaining(['list_integrations', 'test_simple_text', 'test_input_required_result_elicitation']));
      } finally {
        await c.close();
      }
    } finally {
      await mcp.close();
    }
  });

  it('rejects an unknown toolset and an exposed host without a token before starting anything', async () => {
    await expect(runMcp({ demo: true, toolsets: ['nope'], env: cleanEnv(), log: () => {} })).rejects.toThrow(/Unknown toolset: nope/);
    await expect(runMcp({ http: true, host: '0.0.0.0', demo: true, env: cleanEnv(), log: () => {} })).rejects.toThrow(/CELIGO_MANAGE_HTTP_TOKEN/);
  });

  it('stops when its signal aborts', async () => {
    const ac = new AbortController();
    const mcp = await runMcp({ http: true, port: 0, demo: true, signal: ac.signal, env: cleanEnv(), log: () => {} });
    ac.abort();
    await mcp.closed;
    await expect(fetch(mcp.url!.replace('/mcp', '/healthz'))).rejects.toThrow();
  });
});
