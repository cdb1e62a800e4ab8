// Issues 4 and 14: requests and round trips of daily_health_check on the `large` seed with 20 ms of injected
// latency (time slices side by side with the sequential chain); and a bulk retry of ~1,000 failed jobs
// under a 100 requests/s limit with 10% injected 5xx.
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, DEMO_TOKEN } from '../dist/emulator/index.js';
import { CeligoClient } from '../dist/core/client.js';
import { healthCheck } from '../dist/ops/health.js';
import { retryFailedJobs } from '../dist/ops/retry.js';
import { fmt, spawnEmulator } from './lib.mjs';

const DAY = 86_400_000;

/**
 * A client whose requests are timed: round trips on the critical path = the longest chain of requests
 * each starting after the one before it ended (what latency multiplies).
 */
function timedClient(baseUrl, jobPaging) {
  const spans = [];
  const fetch = async (url, init) => {
    const span = { start: performance.now(), end: Infinity };
    spans.push(span);
    try {
      return await globalThis.fetch(url, init);
    } finally {
      span.end = performance.now();
    }
  };
  const rounds = () => {
    const sorted = [...spans].sort((a, b) => a.start - b.start);
    for (const s of sorted) s.level = 1 + Math.max(0, ...sorted.filter((q) => q.end <= s.start).map((q) => q.level ?? 0));
    return Math.max(0, ...sorted.map((s) => s.level));
  };
  return { api: new CeligoClient({ baseUrl, token: DEMO_TOKEN, fetch, jobPaging }), rounds, reset: () => (spans.length = 0) };
}

export async function benchHealth() {
  const emu = await spawnEmulator({ seed: 'large' });
  const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN });
  const now = new Date(await emu.now());
  // The jobs the check reads: flow and retry jobs of the window and the 7-day baseline.
  const jobFilter = { type_in: ['flow', 'retry', 'bulk_retry'], createdAt_gte: new Date(now.getTime() - 8 * DAY).toISOString(), createdAt_lte: now.toISOString() };
  const jobCount = (await api.jobs.list(jobFilter)).length;
  await emu.setFaults({ latencyMs: 20 });
  const runs = {};
  for (const mode of ['chain', 'sliced']) {
    const c = timedClient(emu.baseUrl, mode);
    await emu.clearRequestLog();
    const started = performance.now();
    const report = await healthCheck({ api: c.api, now: () => now }, {});
    runs[mode] = { wall: performance.now() - started, rounds: c.rounds(), log: await emu.requestLog(), report };
  }
  const { log, report, wall, rounds } = runs.sliced;
  const chain = runs.chain;
  const pathOf = (r) => r.path.split('?')[0];
  const pings = log.filter((r) => /\/(ping|test)$/.test(pathOf(r))).length;
  const jobPages = log.filter((r) => r.path.startsWith('/v1/jobs')).length;
  const chainPages = chain.log.filter((r) => r.path.startsWith('/v1/jobs')).length;
  // The other requests, by collection: one per page.
  const fixed = new Map();
  for (const r of log) {
    if (r.path.startsWith('/v1/jobs') || /\/(ping|test)$/.test(pathOf(r))) continue;
    const what = pathOf(r).split('/')[2];
    fixed.set(what, (fixed.get(what) ?? 0) + 1);
  }
  const fixedNote = [...fixed].map(([what, n]) => `${what} ${n}`).join(', ');
  const fixedCount = [...fixed.values()].reduce((a, b) => a + b, 0);
  const target = Math.floor(chain.log.length * 1.1);
  await emu.close();
  return [
    { figure: 'daily_health_check requests, `large` seed, 20 ms latency', value: String(log.length), target: `<= 1.1 x the sequential chain's in the same run = ${target} (issue 14)`, ok: log.length <= target, note: `chain: ${chain.log.length}. ${jobCount} jobs in ${jobPages} requests of time slices (chain: ${chainPages} pages); ${pings} connections tested; ${report.integrations.length} integrations, verdicts ${JSON.stringify(report.verdicts)}. The ${fixedCount} other reads (pages): ${fixedNote}; all made alongside the jobs, none per flow` },
    { figure: 'daily_health_check round trips on the critical path, `large` seed, 20 ms latency', value: `${rounds} (${fmt(wall / 1000)} s)`, target: '<= 8 (issue 14)', ok: rounds <= 8, note: `sequential chain in the same run: ${chain.rounds} round trips, ${fmt(chain.wall / 1000)} s. Longest chain of requests each sent after the one before it answered (a timed fetch); the latency sweep (suite latency) measures 150 and 300 ms` },
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
