// Issue 14 item 4 through the MCP server: each session (stdio's connection, a 2025-era HTTP session) has
// its own list cache; its next tool call reuses a list it read a moment ago, another session does not,
// and a tool call that writes drops it. Requests are counted in the emulator's request log.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryTransport } from '@modelcontextprotocol/client';
import { listCacheMsFromEnv } from '../../src/config/env-flags.js';
import { CeligoClient } from '../../src/core/client.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { startHttp } from '../../src/mcp/http.js';
import { runMcp } from '../../src/mcp/main.js';
import { startStdio } from '../../src/mcp/stdio.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { selectTools } from '../../src/operations/select.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';
import { connectHttp, factory, makeClient, textOf } from '../helpers/mcp.js';

const INTEGRATION = 'Shopify - NetSuite';

let env: Env;
let closers: (() => Promise<void>)[] = [];
beforeEach(async () => {
  env = await demoEnv();
});
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
  await env.close();
});

function serverFactory(listCacheMs?: number) {
  return factory({ api: env.api, tools: selectTools(catalogue(), { toolsets: ['all'] }), home: env.home, ...(listCacheMs !== undefined ? { listCacheMs } : {}) });
}

type Call = (name: string, args?: Record<string, unknown>) => Promise<string>;

/** One in-memory session on `make`'s server; calls fail the test on a tool error. */
async function session(make: ReturnType<typeof serverFactory>): Promise<Call> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const handle = await startStdio(make, { transport: serverSide });
  const { client } = makeClient({ era: 'legacy' });
  await client.connect(clientSide);
  closers.push(async () => {
    await client.close().catch(() => {});
    await handle.close().catch(() => {});
  });
  return async (name, args = {}) => {
    const r = await client.callTool({ name, arguments: args });
    expect(r.isError, textOf(r)).toBeFalsy();
    return textOf(r);
  };
}

/** GET /v1/flows (any query) sent to the emulator during `fn`. */
async function flowListReads(fn: () => Promise<unknown>): Promise<number> {
  env.emu.clearRequestLog();
  await fn();
  return env.emu.requestLog().filter((e) => e.method === 'GET' && /^\/v1\/flows(\?|$)/.test(e.path)).length;
}

describe('the list cache of an MCP session', () => {
  it("reuses a list in the session's next tool call, not in another session's", async () => {
    const make = serverFactory();
    const [a, b] = [await session(make), await session(make)];
    expect(await flowListReads(() => a('list_flows'))).toBeGreaterThan(0);
    const hits = env.api.http.stats.cacheHits;
    expect(await flowListReads(() => a('list_flows'))).toBe(0);
    expect(env.api.http.stats.cacheHits).toBeGreaterThan(hits);
    expect(await flowListReads(() => b('list_flows'))).toBeGreaterThan(0);
  });

  it("a tool call's write drops it: the next list goes to the network", async () => {
    const a = await session(serverFactory());
    await a('list_integrations');
    env.emu.clearRequestLog();
    await a('list_integrations');
    expect(env.emu.requestLog().filter((e) => /^\/v1\/integrations(\?|$)/.test(e.path))).toHaveLength(0);
    expect(await a('add_tag_to_integration', { integration: INTEGRATION, tag: 'watch' })).toMatch(/watch/);
    env.emu.clearRequestLog();
    const text = await a('list_integrations', { tag: 'watch' });
    expect(env.emu.requestLog().filter((e) => /^\/v1\/integrations(\?|$)/.test(e.path)).length).toBeGreaterThan(0);
    expect(text).toContain(INTEGRATION);
  });

  it('a name not in the cached list is looked for in a fresh read before "no such name"', async () => {
    const a = await session(serverFactory());
    await a('list_integrations');
    // Created by someone else (another client: our client's writes would drop the cache anyway).
    const other = new CeligoClient({ baseUrl: env.emu.baseUrl, token: DEMO_TOKEN });
    await other.integrations.create({ name: 'Made Elsewhere' });
    expect(await a('get_integration', { integration: 'Made Elsewhere' })).toContain('Made Elsewhere');
  });

  it('is off with listCacheMs 0', async () => {
    const a = await session(serverFactory(0));
    await a('list_flows');
    expect(await flowListReads(() => a('list_flows'))).toBeGreaterThan(0);
  });

  it('each 2025-era HTTP session has its own', async () => {
    const h = await startHttp({ factory: serverFactory(), port: 0 });
    closers.push(() => h.close());
    const [a, b] = [await connectHttp(h.url, { era: 'legacy' }), await connectHttp(h.url, { era: 'legacy' })];
    closers.push(a.close, b.close);
    const list = (c: typeof a) => flowListReads(() => c.client.callTool({ name: 'list_flows', arguments: {} }));
    expect(await list(a)).toBeGreaterThan(0);
    expect(await list(a)).toBe(0);
    expect(await list(b)).toBeGreaterThan(0);
    expect(await list(b)).toBe(0);
  });
});

describe('CELIGO_MANAGE_LIST_CACHE_MS', () => {
  it('defaults to 30 s, takes a whole number of ms (0 = off), and refuses anything else by name', () => {
    expect(listCacheMsFromEnv({})).toBe(30_000);
    expect(listCacheMsFromEnv({ CELIGO_MANAGE_LIST_CACHE_MS: ' ' })).toBe(30_000);
    expect(listCacheMsFromEnv({ CELIGO_MANAGE_LIST_CACHE_MS: '0' })).toBe(0);
    expect(listCacheMsFromEnv({ CELIGO_MANAGE_LIST_CACHE_MS: '5000' })).toBe(5000);
    for (const bad of ['30s', '-1', '1.5', 'off', '600001', '1e3']) {
      expect(() => listCacheMsFromEnv({ CELIGO_MANAGE_LIST_CACHE_MS: bad }), bad).toThrow(/CELIGO_MANAGE_LIST_CACHE_MS must be a whole number of milliseconds/);
    }
  });

  it('a bad value stops `mcp` before it starts anything', async () => {
    const e: NodeJS.ProcessEnv = { CELIGO_MANAGE_HOME: mkdtempSync(join(tmpdir(), 'cm-reads-')), CELIGO_MANAGE_LIST_CACHE_MS: '30s' };
    await expect(runMcp({ demo: true, env: e, log: () => {} })).rejects.toThrow(/CELIGO_MANAGE_LIST_CACHE_MS.*"30s"/);
  });
});
