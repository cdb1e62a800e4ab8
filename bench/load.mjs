// The HTTP MCP server under load, two scenarios:
//   sessions (issue 13): 300 2025-era clients open a session each at once and make 6 tool calls each
//     against an emulator in its own process with integrator.io's rate limit on (1000, 300/s): session
//     not found, rate-limit failures, other errors, and the server's peak resident memory.
//   soak (issue 6): 50 concurrent clients making mixed read calls for 60 s against the demo emulator:
//     errors, p50/p99 latency, and resident memory over the run.
// LOAD_SESSIONS, LOAD_CALLS, LOAD_CLIENTS, LOAD_SECONDS change the sizes; LOAD_ONLY=sessions|soak runs one;
// LOAD_SERVER_NODE_ARGS passes flags to the server's node (e.g. `-r ./memlog.cjs` to look at its heap).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { stats, fmt, spawnEmulator } from './lib.mjs';

const bin = fileURLToPath(new URL('../bin/celigo-manage.js', import.meta.url));
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const SESSIONS = Number(process.env.LOAD_SESSIONS ?? 300);
const CALLS = Number(process.env.LOAD_CALLS ?? 6);
const DEMO_TOKEN = 'de300000000000000000000000000001';

function procStatus(pid, key) {
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** `celigo-manage mcp --http` in its own process; resolves with the child and its /mcp URL. */
async function startServer(args, env = {}) {
  const child = spawn(process.execPath, [...(process.env.LOAD_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), bin, 'mcp', '--http', '--port', '0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CELIGO_MANAGE_HOME: mkdtempSync(join(tmpdir(), 'cm-load-')), ...env },
  });
  process.once('exit', () => child.kill());
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    child.stderr.on('data', (d) => {
      buf += d;
      const m = /serving .* on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]);
    });
    child.on('exit', (c) => reject(new Error(`server exited ${c}: ${buf}`)));
  });
  return { child, url };
}

async function connect(url, i) {
  const c = new Client({ name: `load-${i}`, version: '1' }, { capabilities: {} });
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  return c;
}

async function mixedCalls(client) {
  const flows = (await client.callTool({ name: 'list_flows', arguments: { fields: ['id'], limit: 50 } })).content[0].text.split('\n').slice(2);
  return [
    () => ({ name: 'list_integrations', arguments: {} }),
    () => ({ name: 'list_flows', arguments: { limit: 20 } }),
    () => ({ name: 'get_flow', arguments: { flow: flows[Math.floor(Math.random() * flows.length)] } }),
    () => ({ name: 'list_jobs', arguments: { range: 'last 24 hours', limit: 20 } }),
    () => ({ name: 'list_connections', arguments: {} }),
    () => ({ name: 'list_tags', arguments: {} }),
    () => ({ name: 'get_integration', arguments: { integration: 'Shopify - NetSuite Orders' } }),
  ];
}

/** Sorts one failed call into the figures the issue asks for. */
function classify(counts, samples, what, message) {
  const kind = /session not found/i.test(message) ? 'sessionNotFound' : /rate.limit|too many requests|\b429\b/i.test(message) ? 'rateLimited' : 'other';
  counts[kind]++;
  if (samples.length < 4) samples.push(`${what}: ${String(message).slice(0, 140)}`);
}

async function benchSessions() {
  const emu = await spawnEmulator({ seed: 'demo', rateLimit: '1000,300' });
  const { child, url } = await startServer([], { CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN });
  const counts = { sessionNotFound: 0, rateLimited: 0, other: 0 };
  const samples = [];
  let calls = 0;
  let unopened = 0;
  let peak;
  let started;
  try {
    const probe = await connect(url, 'probe');
    const mix = await mixedCalls(probe);
    await probe.close();
    await emu.clearRequestLog();
    started = performance.now();
    // Every client opens its session at once, then makes its calls one after the other: the server holds
    // SESSIONS live sessions, each idle between two of its calls.
    const clients = await Promise.all(
      Array.from({ length: SESSIONS }, (_, i) =>
        connect(url, i).catch((err) => {
          unopened++;
          classify(counts, samples, 'connect', err.message);
          return undefined;
        }),
      ),
    );
    await Promise.all(
      clients.filter(Boolean).map(async (c) => {
        for (let k = 0; k < CALLS; k++) {
          const call = mix[Math.floor(Math.random() * mix.length)]();
          calls++;
          try {
            const r = await c.callTool(call);
            if (r.isError) classify(counts, samples, call.name, r.content?.[0]?.text ?? '');
          } catch (err) {
            classify(counts, samples, call.name, err.message);
          }
        }
      }),
    );
    peak = procStatus(child.pid, 'VmHWM');
    await Promise.all(clients.map((c) => c?.close().catch(() => {})));
  } finally {
    child.kill();
  }
  const wall = (performance.now() - started) / 1000;
  const log = await emu.requestLog();
  await emu.close();
  const answered429 = log.filter((l) => l.status === 429).length;
  const failed = counts.sessionNotFound + counts.rateLimited + counts.other;
  return [
    {
      figure: `HTTP MCP server, ${SESSIONS} concurrent 2025-era sessions × ${CALLS} calls, emulator rate limit on (1000, 300/s)`,
      value: `${counts.sessionNotFound} session not found, ${counts.rateLimited} rate-limit failures, ${counts.other} other errors`,
      target: '0, 0 (and 0 other)',
      ok: failed === 0,
      note:
        `${calls} calls in ${fmt(wall, 1)} s, ${SESSIONS - unopened} of ${SESSIONS} sessions opened; the emulator in its own process answered ` +
        `${log.length} API requests, ${answered429} of them 429 (waited out by the shared budget)${samples.length ? '; first errors: ' + samples.join(' | ') : ''}`,
    },
    { figure: `Sessions: server peak resident memory (${SESSIONS} sessions)`, value: `${fmt(peak, 0)} MB`, target: '<= 400 MB', ok: peak <= 400, note: 'VmHWM of the server process after the last call' },
  ];
}

async function benchSoak() {
  const { child, url } = await startServer(['--demo']);
  const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => connect(url, i)));
  const calls = await mixedCalls(clients[0]);
  const latencies = [];
  let errors = 0;
  const firstErrors = [];
  const rss = [];
  const started = performance.now();
  const until = started + SECONDS * 1000;
  const sampler = setInterval(() => rss.push(procStatus(child.pid, 'VmRSS')), 2000);
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

/** `LOAD_ONLY=sessions` or `soak` runs one scenario. */
export async function benchLoad() {
  const only = process.env.LOAD_ONLY;
  return [...(only === 'soak' ? [] : await benchSessions()), ...(only === 'sessions' ? [] : await benchSoak())];
}
