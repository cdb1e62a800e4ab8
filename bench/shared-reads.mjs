// Issue 14 item 4, fewer duplicate reads: what an agent does in one MCP session on the `large` seed (daily
// health check, troubleshoot the first failing integration, list flows, get a flow, troubleshoot again, a
// write, list flows again), with the session's list cache (the default 30 s) and without it (0), each on a
// fresh in-process emulator; then two sessions that run the health check at the same moment, whose
// identical GETs share one request. Requests are counted by the client (every attempt sent) and checked
// against the emulator's request log. `node bench/shared-reads.mjs` prints the table.
import { fileURLToPath } from 'node:url';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;

async function world(listCacheMs) {
  const { startEmulator, DEMO_TOKEN } = await import(dist('emulator/index.js'));
  const { CeligoClient } = await import(dist('core/client.js'));
  const { createServerFactory } = await import(dist('mcp/server.js'));
  const { catalogue } = await import(dist('operations/catalogue.js'));
  const { startStdio } = await import(dist('mcp/stdio.js'));
  const { Client, InMemoryTransport } = await import('@modelcontextprotocol/client');
  const emu = await startEmulator({ port: 0, seed: 'large', rateLimit: false, quiet: true, listen: false });
  const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN, fetch: emu.fetch });
  const factory = createServerFactory({ api, tools: catalogue(), listCacheMs });
  const closers = [];
  /** One MCP session: its own server instance (and so its own list cache), in memory. */
  const session = async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const handle = await startStdio(factory, { transport: serverSide });
    const client = new Client({ name: 'bench-reads', version: '1' }, { capabilities: {} });
    await client.connect(clientSide);
    closers.push(async () => (await client.close(), await handle.close()));
    return client;
  };
  const close = async () => {
    for (const c of closers) await c();
    await emu.close();
  };
  return { emu, api, session, close };
}

const KEYS = ['requests', 'sharedInFlight', 'cacheHits', 'cacheMisses'];
const delta = (a, b) => Object.fromEntries(KEYS.map((k) => [k, b[k] - a[k]]));

/** The agent's session; per call: the client's counters and what reached the emulator. */
async function agentSession(listCacheMs) {
  const w = await world(listCacheMs);
  const steps = [];
  try {
    const client = await w.session();
    const call = async (name, args) => {
      w.emu.clearRequestLog();
      const before = { ...w.api.http.stats };
      const r = await client.callTool({ name, arguments: args });
      if (r.isError) throw new Error(`${name}: ${r.content?.[0]?.text}`);
      const log = w.emu.requestLog();
      steps.push({ name, ...delta(before, w.api.http.stats), logged: log.length, paths: log.map((e) => `${e.method} ${e.path.replace(/\?.*/, '')}`) });
      return r;
    };
    const health = await call('daily_health_check', { range: 'last 24 hours' });
    const first = health.structuredContent.integrations.find((r) => r.verdict === 'failing') ?? health.structuredContent.integrations[0];
    const integration = first.integrationId;
    await call('troubleshoot', { integration });
    const flows = await call('list_flows', { integration });
    const flow = flows.structuredContent.rows[0].id;
    await call('list_flows', {});
    await call('get_flow', { flow });
    await call('troubleshoot', { integration });
    await call('add_tag_to_integration', { integration, tag: 'investigating' });
    await call('list_flows', { integration });
  } finally {
    await w.close();
  }
  const total = Object.fromEntries([...KEYS, 'logged'].map((k) => [k, steps.reduce((n, s) => n + s[k], 0)]));
  return { steps, total };
}

/** Two sessions start the same health check at the same moment. */
async function twoAtOnce() {
  const w = await world(30_000);
  try {
    const [a, b] = [await w.session(), await w.session()];
    w.emu.clearRequestLog();
    const before = { ...w.api.http.stats };
    const args = { name: 'daily_health_check', arguments: { range: 'last 24 hours' } };
    await Promise.all([a.callTool(args), b.callTool(args)]);
    return { ...delta(before, w.api.http.stats), logged: w.emu.requestLog().length };
  } finally {
    await w.close();
  }
}

const pct = (n, d) => (d ? `${Math.round((100 * n) / d)}%` : 'n/a');

export async function benchReads() {
  const on = await agentSession(30_000);
  const off = await agentSession(0);
  const both = await twoAtOnce();
  const t = on.total;
  const hitsBy = on.steps.filter((s) => s.cacheHits).map((s) => `${s.name} ${s.cacheHits}`).join(', ');
  const last = on.steps.at(-1);
  const relisted = last.cacheMisses > 0 && last.paths.some((p) => /\/integrations\/[^/]+\/flows$/.test(p));
  const write = on.steps.find((s) => s.name === 'add_tag_to_integration');
  const perStep = on.steps.map((s, i) => `${s.name} ${s.requests}/${off.steps[i].requests}`).join(', ');
  return [
    {
      figure: 'Requests of one agent session, `large` seed: list cache on (30 s) vs off',
      value: `${t.requests} vs ${off.total.requests} (${pct(off.total.requests - t.requests, off.total.requests)} fewer)`,
      target: 'fewer with the cache',
      ok: t.requests < off.total.requests,
      note: `8 tool calls, per call on/off: ${perStep}. The rest are never cached: jobs, errors, single objects, connection tests (POST). Emulator log agrees: ${t.logged} and ${off.total.logged}`,
    },
    {
      figure: 'List reads answered from the session cache (hit rate)',
      value: `${t.cacheHits} of ${t.cacheHits + t.cacheMisses} (${pct(t.cacheHits, t.cacheHits + t.cacheMisses)})`,
      target: '',
      note: `hits by call: ${hitsBy || 'none'}; the misses are the first reads of each list and page (the health check alone reads ${on.steps[0].cacheMisses} list pages) and the list after the write`,
    },
    {
      figure: 'List read after a write in the session',
      value: relisted ? 'from the network' : 'from the cache',
      target: 'from the network (the write drops the cache)',
      ok: relisted,
      note: `add_tag_to_integration sent ${write.paths.filter((p) => !p.startsWith('GET')).join(', ')}; the next list_flows: ${last.cacheHits} hit(s), ${last.cacheMisses} miss(es), sent ${last.paths.filter((p) => /flows$/.test(p)).join(', ')}`,
    },
    {
      figure: 'Two sessions run daily_health_check at the same moment: requests sent',
      value: `${both.requests} (${both.sharedInFlight} GETs joined one in flight)`,
      target: 'fewer than 2 × one check',
      ok: both.sharedInFlight > 0,
      note: `without sharing: ${both.requests + both.sharedInFlight} (each joiner would have sent its own; no faults, so one attempt each); emulator log ${both.logged}. Jobs queries differ by their time window (now), and connection tests are POSTs: those are not shared`,
    },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await benchReads();
  for (const r of rows) process.stdout.write(`${r.figure}: ${r.value} — ${r.note}\n`);
}
