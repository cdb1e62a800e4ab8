// Issue 4: requests and wall time of daily_health_check on the `large` seed with 20 ms of injected
// latency; and a bulk retry of ~1,000 failed jobs under a 100 requests/s limit with 10% injected 5xx.
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, DEMO_TOKEN } from '../dist/emulator/index.js';
import { CeligoClient } from '../dist/core/client.js';
import { healthCheck, PING_CONCURRENCY } from '../dist/ops/health.js';
import { retryFailedJobs } from '../dist/ops/retry.js';
import { fmt, stats, spawnEmulator } from './lib.mjs';

const DAY = 86_400_000;

export async function benchHealth() {
  const emu = await spawnEmulator({ seed: 'large' });
  const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN });
  const now = new Date(await emu.now());
  // The jobs the check reads: flow and retry jobs of the window and the 7-day baseline.
  const jobFilter = { type_in: ['flow', 'retry'], createdAt_gte: new Date(now.getTime() - 8 * DAY).toISOString(), createdAt_lte: now.toISOString() };
  const jobCount = (await api.jobs.list(jobFilter)).length;
  await emu.setFaults({ latencyMs: 20 });
  // Round-trip of one connection test and the sequential chain of job pages, at 20 ms latency.
  const conns = await api.connections.list();
  const onePing = stats(await Promise.all(conns.slice(0, 5).map(async (c) => {
    const t = performance.now();
    await api.connections.ping(c._id);
    return performance.now() - t;
  }))).median;
  const t0 = performance.now();
  await api.jobs.list(jobFilter);
  const jobsChain = performance.now() - t0;
  // The reads the check makes alongside the jobs chain, measured alone: the other branch of its first step.
  const t1 = performance.now();
  await Promise.all([
    api.integrations.list(),
    api.flows.list(),
    api.exports.list({ include: 'name,_connectionId' }),
    api.imports.list({ include: 'name,_connectionId' }),
    api.connections.list(),
  ]);
  const sideReads = performance.now() - t1;

  await emu.clearRequestLog();
  const ctx = { api, now: () => now };
  const started = performance.now();
  const report = await healthCheck(ctx, {});
  const wall = performance.now() - started;
  const log = await emu.requestLog();
  const pathOf = (r) => r.path.split('?')[0];
  const pings = log.filter((r) => /\/(ping|test)$/.test(pathOf(r))).length;
  const jobPages = log.filter((r) => r.path.startsWith('/v1/jobs')).length;
  // The other requests, by collection: one per page.
  const fixed = new Map();
  for (const r of log) {
    if (r.path.startsWith('/v1/jobs') || /\/(ping|test)$/.test(pathOf(r))) continue;
    const what = pathOf(r).split('/')[2];
    fixed.set(what, (fixed.get(what) ?? 0) + 1);
  }
  const fixedNote = [...fixed].map(([what, n]) => `${what} ${n}`).join(', ');
  const fixedCount = [...fixed.values()].reduce((a, b) => a + b, 0);
  const target = 2 + Math.ceil(jobCount / 1000) + pings;
  // Critical path at the chosen concurrency: the longer of the jobs chain and the reads beside it (the
  // lists (integrations carry their tag), the exports/imports/connections that map failing flows to their
  // connections), then the connection tests, PING_CONCURRENCY at a time. Nothing else waits on the network.
  const pingRounds = Math.ceil(pings / PING_CONCURRENCY);
  const critical = Math.max(jobsChain, sideReads) + pingRounds * onePing;
  await emu.close();
  return [
    { figure: 'daily_health_check requests, `large` seed, 20 ms latency', value: String(log.length), target: `<= 2 + ceil(jobs/1000) + tested = ${target}`, ok: log.length <= target, note: `${jobCount} jobs in ${jobPages} pages; ${pings} connections tested; ${report.integrations.length} integrations, verdicts ${JSON.stringify(report.verdicts)}. The ${fixedCount} other reads (pages): ${fixedNote}; all made alongside the jobs chain (exports, imports and connections find the connections of failing flows), none per flow. Lists come in pages of at most 1,000 (celigo-api.md §1.7), so this seed's 2,200 flows and 5,057 exports and imports alone take 9 pages: the constant 2 cannot hold here` },
    { figure: 'daily_health_check wall time vs its critical path', value: `${fmt(wall / 1000)} s (${fmt(wall / critical)}x)`, target: '<= 1.3x', ok: wall / critical <= 1.3, note: `critical path ${fmt(critical / 1000)} s = max(jobs chain ${fmt(jobsChain / 1000)} s, reads beside it ${fmt(sideReads / 1000)} s) + ${pingRounds} ping rounds (${PING_CONCURRENCY} at a time) of ${fmt(onePing, 0)} ms` },
  ];
}

export async function benchBulkRetry() {
  const home = mkdtempSync(join(tmpdir(), 'cm-bench-'));
  const emu = await startEmulator({ port: 0, seed: 'large', rateLimit: { capacity: 100, refillPerSec: 100 }, quiet: true });
  // Capture POST bodies so duplicate retry keys can be counted.
  const posted = [];
  // A POST answered 5xx by the fault injector before it ran changed nothing; sending its keys again is
  // not a duplicate. Count keys of POSTs the server accepted (2xx).
  const capture = async (input, init) => {
    const res = await fetch(input, init);
    if (init?.method === 'POST' && /\/retry$/.test(new URL(String(input)).pathname)) posted.push({ body: init.body, status: res.status });
    return res;
  };
  const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN, fetch: capture });
  const now = emu.clock.now();
  // A window holding about 1,000 failed jobs.
  emu.setFaults({});
  const failed = await new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN }).jobs.list({ type: 'flow', numError_gte: 1, createdAt_gte: new Date(now - DAY).toISOString() });
  const withErrors = failed.filter((j) => (j.numOpenError ?? 0) > 0);
  const chosen = withErrors.slice(0, Math.min(1000, withErrors.length));
  const from = chosen[chosen.length - 1].createdAt;
  await new Promise((r) => setTimeout(r, 1100)); // let the bucket refill after the selection read
  emu.clearRequestLog();
  emu.setFaults({ errorRate: 0.1, statuses: [500, 502, 503], seed: 7 });
  const ctx = { api, now: () => new Date(now), home, confirm: async () => true, yes: true };
  const started = performance.now();
  const report = await retryFailedJobs(ctx, { scope: 'account', range: `${from}..${new Date(now).toISOString()}`, wait: false, concurrency: 8 });
  const wall = (performance.now() - started) / 1000;
  const log = emu.requestLog();
  const served = log.filter((r) => r.status !== 429).length;
  // Requests that took a token from the bucket: a fault injected before the API (a gateway error) takes none.
  const tokens = log.filter((r) => r.status !== 429 && r.fault !== 'before').length;
  const minimum = Math.max(0, (tokens - 100) / 100);
  const keys = posted.filter((p) => p.status < 300).flatMap((p) => JSON.parse(p.body).retryDataKeys ?? []);
  const accepted = log.filter((r) => r.method === 'POST' && /\/retry$/.test(r.path) && r.status < 300).length;
  const dupes = keys.length - new Set(keys).size;
  const lost = report.matched - report.retried - report.skipped - report.failed;
  emu.setFaults({});
  await emu.close();
  rmSync(home, { recursive: true, force: true });
  return [
    { figure: `Bulk retry of the ${chosen.length} newest jobs with open errors (${report.matched} open errors), 100 req/s limit, 10% 5xx`, value: `${fmt(wall)} s (${fmt(minimum ? wall / minimum : NaN)}x)`, target: '<= 1.2x the minimum the limit allows', ok: minimum > 0 && wall / minimum <= 1.2, note: `${served} requests served (${log.length - served} answered 429), ${tokens} of them past the injected faults; minimum (those - 100 burst) / 100 per s = ${fmt(minimum)} s; ${report.jobs.length} retry jobs; ${report.failures.length} failures` },
    { figure: 'Bulk retry: duplicate retry keys posted', value: String(dupes), target: '0', ok: dupes === 0, note: `${keys.length} keys in ${posted.length} POSTs (${accepted} accepted)` },
    { figure: 'Bulk retry: errors lost (matched − retried − skipped − failed)', value: String(lost), target: '0', ok: lost === 0, note: `matched ${report.matched}, retried ${report.retried}, skipped ${report.skipped}, failed ${report.failed}` },
  ];
}

export async function benchWorkflows() {
  return [...(await benchHealth()), ...(await benchBulkRetry())];
}
