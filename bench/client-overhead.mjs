// Issue 2: the client's own overhead per request over a plain request on the same transport (its default,
// node:http, core/node-transport.ts) against the same emulator, with plain fetch beside it, and the
// emulator's throughput for simple GETs.
import { DEMO_TOKEN } from '../dist/emulator/index.js';
import { CeligoClient } from '../dist/core/client.js';
import { nodeTransport } from '../dist/core/node-transport.js';
import { stats, fmt, spawnEmulator } from './lib.mjs';
import { performance } from 'node:perf_hooks';
import { Agent, request as httpRequest } from 'node:http';

export async function benchClient({ rounds = 3000 } = {}) {
  // The emulator in its own process: the load generator must not share its core.
  const emu = await spawnEmulator({ seed: 'demo' });
  const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN });
  const integrations = await api.integrations.list();
  const id = integrations[0]._id;
  const url = `${emu.baseUrl}/integrations/${id}`;
  const headers = { authorization: `Bearer ${DEMO_TOKEN}`, accept: 'application/json' };
  const plain = async () => {
    const r = await nodeTransport(url, { method: 'GET', headers });
    return JSON.parse(await r.text());
  };
  const plainFetch = async () => {
    const r = await fetch(url, { headers });
    return r.json();
  };
  const viaClient = () => api.integrations.get(id);
  // warm up both paths
  for (let i = 0; i < 300; i++) {
    await plain();
    await viaClient();
    await plainFetch();
  }
  // Alternate the two so that machine noise hits both equally; compare paired differences.
  const diffs = [];
  const plainT = [];
  const clientT = [];
  const fetchT = [];
  for (let i = 0; i < rounds; i++) {
    const a = performance.now();
    await plain();
    const b = performance.now();
    await viaClient();
    const c = performance.now();
    await plainFetch();
    fetchT.push(performance.now() - c);
    plainT.push(b - a);
    clientT.push(c - b);
    diffs.push(c - b - (b - a));
  }
  const f = stats(fetchT);
  const d = stats(diffs);
  const p = stats(plainT);
  const c = stats(clientT);

  // Emulator throughput: simple GETs from 32 keep-alive sockets for 3 s.
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const u = new URL(url);
  let done = 0;
  const until = performance.now() + 3000;
  const one = () =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, headers, agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < until) {
        await one();
        done++;
      }
    }),
  );
  const rps = done / ((performance.now() - started) / 1000);
  agent.destroy();
  await emu.close();
  return [
    { figure: 'Client overhead per GET over a plain request on its transport (median of paired differences)', value: `${fmt(d.median, 3)} ms`, target: '< 0.3 ms', ok: d.median < 0.3, note: `plain node:http request median ${fmt(p.median, 3)} ms, client median ${fmt(c.median, 3)} ms, plain fetch median ${fmt(f.median, 3)} ms (the client's transport before), n=${rounds}` },
    { figure: 'Emulator throughput, simple GET /v1/integrations/{id}', value: `${Math.round(rps)} req/s`, target: '>= 3,000 req/s', ok: rps >= 3000, note: '32 keep-alive connections from the benchmark process, 3 s, the emulator in its own process (one core)' },
  ];
}
