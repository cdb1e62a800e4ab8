// Issue 6: the HTTP MCP server under 50 concurrent MCP clients making mixed read calls for 60 s
// against the demo emulator: errors, p50/p99 latency, and resident memory over the run.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { stats, fmt } from './lib.mjs';

const bin = fileURLToPath(new URL('../bin/celigo-manage.js', import.meta.url));
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);

function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function benchLoad() {
  const child = spawn(process.execPath, [bin, 'mcp', '--http', '--port', '0', '--demo'], { stdio: ['ignore', 'ignore', 'pipe'] });
  process.once('exit', () => child.kill());
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    child.stderr.on('data', (d) => {
      buf += d;
      const m = /serving .* on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1].replace(/\/?$/, '').endsWith('/mcp') ? m[1] : m[1].replace(/\/?$/, '/mcp'));
    });
    child.on('exit', (c) => reject(new Error(`server exited ${c}: ${buf}`)));
  });
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const c = new Client({ name: `load-${i}`, version: '1' }, { capabilities: {} });
      await c.connect(new StreamableHTTPClientTransport(new URL(url)));
      return c;
    }),
  );
  const flows = (await clients[0].callTool({ name: 'list_flows', arguments: { fields: ['id'], limit: 50 } })).content[0].text.split('\n').slice(2);
  const calls = [
    () => ({ name: 'list_integrations', arguments: {} }),
    () => ({ name: 'list_flows', arguments: { limit: 20 } }),
    () => ({ name: 'get_flow', arguments: { flow: flows[Math.floor(Math.random() * flows.length)] } }),
    () => ({ name: 'list_jobs', arguments: { range: 'last 24 hours', limit: 20 } }),
    () => ({ name: 'list_connections', arguments: {} }),
    () => ({ name: 'list_tags', arguments: {} }),
    () => ({ name: 'get_integration', arguments: { integration: 'Shopify - NetSuite Orders' } }),
  ];
  const latencies = [];
  let errors = 0;
  const firstErrors = [];
  const rss = [];
  const started = performance.now();
  const until = started + SECONDS * 1000;
  const sampler = setInterval(() => rss.push(rssMb(child.pid)), 2000);
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < until) {
        const call = calls[Math.floor(Math.random() * calls.length)]();
        const t = performance.now();
        try {
          const r = await c.callTool(call);
          if (r.isError) {
            errors++;
            if (firstErrors.length < 3) firstErrors.push(`${call.name}: ${r.content?.[0]?.text?.slice(0, 120)}`);
          }
        } catch (err) {
          errors++;
          if (firstErrors.length < 3) firstErrors.push(`${call.name}: ${err.message}`);
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  clearInterval(sampler);
  const wall = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  child.kill();
  const s = stats(latencies);
  const third = Math.max(1, Math.floor(rss.length / 3));
  const avg = (a) => a.reduce((x, y) => x + y, 0) / a.length;
  const early = avg(rss.slice(0, third));
  const late = avg(rss.slice(-third));
  return [
    { figure: `HTTP MCP server, ${CLIENTS} concurrent clients, mixed reads, ${SECONDS} s`, value: `${latencies.length} calls, ${errors} errors`, target: '0 errors', ok: errors === 0, note: `${fmt(latencies.length / wall, 0)} calls/s; tools: ${calls.map((f) => f().name).join(', ')}${firstErrors.length ? '; first errors: ' + firstErrors.join(' | ') : ''}` },
    { figure: 'Load: tool call latency', value: `p50 ${fmt(s.median, 0)} ms, p99 ${fmt(s.p99, 0)} ms`, target: 'reported', note: `max ${fmt(s.max, 0)} ms; the demo emulator runs inside the server process with the real rate limit (1000, 300/s)` },
    { figure: 'Load: server resident memory, first third vs last third of the run', value: `${fmt(early, 0)} -> ${fmt(late, 0)} MB`, target: 'flat', ok: late <= early * 1.15, note: `${rss.length} samples every 2 s; min ${fmt(Math.min(...rss), 0)}, max ${fmt(Math.max(...rss), 0)} MB` },
  ];
}
