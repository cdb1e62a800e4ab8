// Every tool of the catalogue, called through an SDK Client with arbitrary and malformed arguments
// against the demo emulator: never a crash, never a stack trace, every rejection a clear message
// (an isError result or a JSON-RPC invalid-params error), never the token, and the next valid call works.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { CeligoClient } from '../../src/core/client.js';
import { DEMO, } from '../../src/emulator/seed/demo.js';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { startHttp, type HttpHandle } from '../../src/mcp/http.js';
import { createServerFactory } from '../../src/mcp/server.js';
import { catalogue, prompts } from '../../src/operations/catalogue.js';
import { connectHttp, connectInMemory, textOf } from '../helpers/mcp.js';
import { allText, extraKeys, fastClock, junk, params, prototypeIsClean, setOwn, stackTraceIn, tempDir, tokenIn } from './helpers.js';

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
};
type Listed = { name: string; inputSchema: Schema };

const tools = catalogue();
const INVALID_PARAMS = -32602;

let emu: RunningEmulator;
let pools: Record<string, string[]>;
const logs: string[] = [];
const findings: string[] = [];
/** Structured results over 200 kB, by tool. */
const oversize = new Map<string, string>();
/**
 * Known defects outside this suite's files, reported rather than fixed here:
 * daily_health_check: a range such as "0" or "%00" reads as "since 2000" (src/ops/timerange.ts), and the
 * structured report then grows with the number of days (MBs; src/ops/health.ts), far over the ~20k-token budget.
 * list_backups: with limit up to 200 the structured list of backups (targets, reasons) passes 200 kB
 * (src/tools/backups.ts).
 */
const KNOWN_OVERSIZE = new Set(['daily_health_check', 'list_backups']);
/**
 * Known "Internal error" results (reported): a backup id of thousands of characters reaches the file
 * system (ENAMETOOLONG) instead of being refused as invalid (src/ops/backups/store.ts pathOf); a pattern such
 * as "/[/" is compiled without a check (src/ops/patterns.ts matchesPattern).
 */
/** Tools whose result may repeat a long argument (none now: scope labels cut the pattern, src/ops/scan.ts). */
const KNOWN_ECHO = new Set<string>([]);
const KNOWN_INTERNAL: [string, RegExp][] = [];

async function idsAndNames(api: CeligoClient, emu: RunningEmulator): Promise<Record<string, string[]>> {
  const [integrations, flows, exps, imps, conns, jobs] = await Promise.all([
    api.integrations.list(),
    api.flows.list(),
    api.exports.list(),
    api.imports.list(),
    api.connections.list(),
    api.jobs.list({ createdAt_gte: new Date(emu.clock.now() - 7 * 86_400_000).toISOString() }),
  ]);
  const both = (xs: { _id: string; name?: string }[]) => xs.flatMap((x) => [x._id, x.name ?? x._id]).slice(0, 30);
  return {
    integration: [...both(integrations as never), ...Object.values(DEMO.integrations)],
    flow: both(flows as never),
    export: both(exps as never),
    import: both(imps as never),
    connection: both(conns as never),
    job: (jobs as { _id: string }[]).slice(0, 20).map((j) => j._id),
    tag: [...DEMO.tags],
    range: ['last 24 hours', 'yesterday', 'last week', 'since Monday', '2026-01-01..2026-01-02', '3 hours ago', 'today'],
    pattern: ['timeout', '/invalid.*field/', '/[/', 'INVALID_FLD'],
    type: ['integration', 'flow', 'http', 'ftp', 'netsuite'],
  };
}

/** Plausible values for a property (by its name and schema), so calls reach the handlers, not only zod. */
function plausible(key: string, s: Schema): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  // Waiting on a job is covered elsewhere; here it would only spend wall-clock time.
  if (key === 'wait') return fc.constant(false);
  switch (type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number':
      return fc.integer({ min: s.minimum ?? -5, max: Math.min(s.maximum ?? 1000, 1000) });
    case 'array':
      return fc.array(plausible(key.replace(/s$/, ''), s.items ?? {}), { maxLength: 3 });
    case 'object':
      if (s.properties) return argsRecord(s);
      return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
    default: {
      const pool = pools[key] ?? pools[key.replace(/Ids?$/, '')] ?? (key === 'id' ? [...pools.integration, ...pools.flow] : undefined);
      return pool?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, fc.string({ maxLength: 20 })) : fc.string({ maxLength: 30 });
    }
  }
}

function argsRecord(s: Schema): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    model[k] = fc.oneof({ weight: 4, arbitrary: plausible(k, p) }, { weight: 1, arbitrary: junk });
  }
  // Any key may be missing, the required ones included.
  return fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Arguments for one call: mostly schema-shaped with junk mixed in, sometimes extra keys, sometimes anything. */
function argsFor(schema: Schema): fc.Arbitrary<unknown> {
  const shaped = fc.tuple(argsRecord(schema), extraKeys).map(([o, extra]) => {
    for (const [k, v] of extra) setOwn(o, k, v);
    return o;
  });
  return fc.oneof({ weight: 8, arbitrary: shaped }, { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) });
}

function describeArgs(args: unknown): string {
  try {
    const s = JSON.stringify(args);
    return s === undefined ? String(args) : s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
  } catch {
    return String(args);
  }
}

/** One call and its checks; then the server must still answer a valid call. */
async function check(client: Client, name: string, args: unknown): Promise<void> {
  const where = `${name}(${describeArgs(args)})`;
  let text: string;
  let shown: string;
  try {
    const r = await client.callTool({ name, arguments: args as Record<string, unknown> }, { timeout: 20_000 });
    text = allText(r);
    shown = textOf(r);
    const structured = JSON.stringify(r.structuredContent ?? {}).length;
    if (structured > 200_000) oversize.set(name, `${where}: structuredContent ${structured} chars`);
    if (r.isError) {
      expect(textOf(r).trim().length, `${where}: empty error`).toBeGreaterThan(0);
      // An "Internal error" is a handler that threw something it should have turned into a message.
      const known = KNOWN_INTERNAL.some(([tool, re]) => tool === name && re.test(textOf(r)));
      if (/^Internal error/.test(textOf(r)) && !known) findings.push(`${where} -> ${textOf(r).slice(0, 300)}`);
    }
  } catch (err) {
    const e = err as { code?: number; message?: string };
    expect(e.code, `${where}: threw ${e.message}`).toBe(INVALID_PARAMS);
    text = String(e.message ?? '');
    shown = text;
    expect(text.trim().length, `${where}: empty JSON-RPC error`).toBeGreaterThan(0);
  }
  expect(stackTraceIn(text), `${where}: stack trace in ${text.slice(0, 500)}`).toBeUndefined();
  expect(tokenIn(text, DEMO_TOKEN), `${where}: token in the result`).toBeUndefined();
  // Bounded text even for a 200 kB argument.
  expect(shown.length, `${where}: ${shown.length} chars`).toBeLessThan(KNOWN_ECHO.has(name) ? 1_000_000 : 80_000);
  const probe = await client.callTool({ name: 'list_tags', arguments: {} });
  expect(probe.isError, `${where}: next valid call failed: ${textOf(probe)}`).toBeFalsy();
}

describe('tool fuzz (in memory, 2026-07-28)', () => {
  let conn: Awaited<ReturnType<typeof connectInMemory>>;
  let listed: Listed[];

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false, clock: fastClock(200) });
    const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN, backoffMs: 1, maxRetries: 1 });
    pools = await idsAndNames(api, emu);
    conn = await connectInMemory({
      era: 'modern',
      server: { api, tools, prompts, secrets: [DEMO_TOKEN], home: tempDir('cm-fuzz-tools-'), log: (l) => logs.push(l) },
    });
    listed = (await conn.client.listTools()).tools as unknown as Listed[];
  });
  afterAll(async () => {
    await conn?.close();
    await emu?.close();
  });

  it('lists every tool of the catalogue', () => {
    expect(listed.map((t) => t.name)).toEqual(tools.map((t) => t.name));
  });

  for (const def of tools) {
    it(`${def.name}: arbitrary and malformed arguments`, async () => {
      const schema = listed.find((t) => t.name === def.name)!.inputSchema;
      // Arguments that are not an object at all, once each.
      for (const args of [null, [], 'x', 42, [{}], { ...{} }]) await check(conn.client, def.name, args);
      await fc.assert(
        fc.asyncProperty(argsFor(schema), async (args) => check(conn.client, def.name, args)),
        params(12),
      );
    });
  }

  it('leaves Object.prototype alone and logs no token', () => {
    expect(prototypeIsClean()).toBe(true);
    for (const l of logs) expect(tokenIn(l, DEMO_TOKEN), l).toBeUndefined();
  });

  it('turned every failure into a specific message (no "Internal error")', () => {
    expect(findings).toEqual([]);
  });

  it('kept structured results small (known exceptions listed above)', () => {
    expect([...oversize].filter(([tool]) => !KNOWN_OVERSIZE.has(tool))).toEqual([]);
  });
});

describe('tool fuzz (Streamable HTTP, 2025-11-25)', () => {
  let h: HttpHandle;
  let emu2: RunningEmulator;
  let c: Awaited<ReturnType<typeof connectHttp>>;
  let listed: Listed[];

  beforeAll(async () => {
    emu2 = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false, clock: fastClock(200) });
    const api = new CeligoClient({ baseUrl: emu2.baseUrl, token: DEMO_TOKEN, backoffMs: 1, maxRetries: 1 });
    pools ??= await idsAndNames(api, emu2);
    h = await startHttp({ factory: createServerFactory({ api, tools, prompts, secrets: [DEMO_TOKEN], home: tempDir('cm-fuzz-http-') }), port: 0 });
    c = await connectHttp(h.url, { era: 'legacy' });
    listed = (await c.client.listTools()).tools as unknown as Listed[];
  });
  afterAll(async () => {
    await c?.close();
    await h?.close();
    await emu2?.close();
  });

  it('every tool, JSON-serialised junk over the wire', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...tools.map((t) => t.name)).chain((name) => argsFor(listed.find((t) => t.name === name)!.inputSchema).map((a) => [name, a] as const)),
        async ([name, args]) => check(c.client, name, args),
      ),
      params(120),
    );
  });
});
