// Issue 3: tools/list size; start-up time and peak memory of `celigo-manage mcp` against a bare
// one-tool SDK v2 server, measured alternately in the same run; overhead of a tool call over the
// same direct core call against the emulator.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startServer } from './stdio-client.mjs';
import { stats, fmt } from './lib.mjs';

const bin = fileURLToPath(new URL('../bin/celigo-manage.js', import.meta.url));
const bare = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));
const TOKEN_ENV = { ...process.env, CELIGO_API_TOKEN: 'bench0000000000000000000000000000' };

async function oneStart(args, node = process.execPath) {
  const s = startServer(node, args, TOKEN_ENV);
  const init = await s.initialize();
  const startMs = init.at - s.t0;
  const list = await s.request('tools/list', {});
  const rss = s.peakRssMb();
  await s.close();
  return { startMs, rss, bytes: Buffer.byteLength(JSON.stringify({ tools: list.msg.result.tools })), tools: list.msg.result.tools.length };
}

/** `celigo-manage mcp` and the bare server, started alternately (after one warm-up each) with `node`. */
export async function startup(rounds = 15, node = process.execPath) {
  const ours = [];
  const base = [];
  await oneStart([bare], node);
  await oneStart([bin, 'mcp'], node);
  for (let i = 0; i < rounds; i++) {
    base.push(await oneStart([bare], node));
    ours.push(await oneStart([bin, 'mcp'], node));
  }
  return { ours, base };
}

async function toolCallOverhead(rounds = 400) {
  const { startEmulator, DEMO_TOKEN } = await import('../dist/emulator/index.js');
  const { CeligoClient } = await import('../dist/core/client.js');
  const { createServerFactory } = await import('../dist/mcp/server.js');
  const { catalogue } = await import('../dist/operations/catalogue.js');
  const { startStdio } = await import('../dist/mcp/stdio.js');
  const { Client, InMemoryTransport } = await import('@modelcontextprotocol/client');
  const emu = await startEmulator({ port: 0, seed: 'demo', rateLimit: false, quiet: true });
  const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const handle = await startStdio(createServerFactory({ api, tools: catalogue() }), { transport: serverSide });
  const client = new Client({ name: 'bench', version: '1' }, { capabilities: {} });
  await client.connect(clientSide);
  const id = (await api.exports.list())[0]._id;
  const viaTool = () => client.callTool({ name: 'get_export', arguments: { export: id } });
  const direct = () => api.exports.get(id);
  for (let i = 0; i < 50; i++) {
    await viaTool();
    await direct();
  }
  const diffs = [];
  for (let i = 0; i < rounds; i++) {
    const a = performance.now();
    await direct();
    const b = performance.now();
    await viaTool();
    const c = performance.now();
    diffs.push(c - b - (b - a));
  }
  await client.close();
  await handle.close();
  await emu.close();
  return stats(diffs);
}

export async function benchMcp() {
  const all = await oneStart([bin, 'mcp', '--toolsets', 'all']);
  const { ours, base } = await startup();
  const ratio = (k) => stats(ours.map((o, i) => o[k] / base[i][k]));
  const sOurs = stats(ours.map((o) => o.startMs));
  const sBase = stats(base.map((o) => o.startMs));
  const rOurs = stats(ours.map((o) => o.rss));
  const rBase = stats(base.map((o) => o.rss));
  const startRatio = sOurs.median / sBase.median;
  const rssRatio = rOurs.median / rBase.median;
  const call = await toolCallOverhead();
  return [
    { figure: 'tools/list, default configuration (compact JSON)', value: `${ours[0].bytes} bytes, ${ours[0].tools} tools`, target: '<= 20,000 bytes serving the operations, workflows and backups (issue 12)', ok: ours[0].bytes <= 20_000, note: `with --toolsets all: ${all.bytes} bytes, ${all.tools} tools. Peers: 27,613 bytes for 32 tools; 70,319 for 117` },
    { figure: 'Spawn to initialize response, `celigo-manage mcp` vs bare one-tool SDK v2 server', value: `${fmt(startRatio)}x (${fmt(sOurs.median, 0)} vs ${fmt(sBase.median, 0)} ms)`, target: '<= 1.10x', ok: startRatio <= 1.1, note: `medians of ${ours.length} alternating runs each; median of paired ratios ${fmt(ratio('startMs').median)}x. Peers measured the same way: 1.13x and 1.72x` },
    { figure: 'Peak RSS after tools/list, same comparison', value: `${fmt(rssRatio)}x (${fmt(rOurs.median, 1)} vs ${fmt(rBase.median, 1)} MB)`, target: '<= 1.08x', ok: rssRatio <= 1.08, note: 'VmHWM of the server process. Peers: 1.07x and 1.28x' },
    { figure: 'Tool call overhead over the same direct core call (get_export vs api.exports.get)', value: `${fmt(call.median, 3)} ms median`, target: '<= 1 ms', ok: call.median <= 1, note: `p95 ${fmt(call.p95, 3)} ms; in-memory transport, demo emulator, n=${call.n}` },
  ];
}
