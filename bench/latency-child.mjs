// Child process of bench/latency.mjs: one operation (the health check, or troubleshoot of one integration)
// against an emulator, timing every request, so that its peak RSS (VmHWM) is this process's alone.
// argv[2]: JSON { baseUrl, now (emulator ms), mode ('sliced' | 'chain'), op ('health' | 'health-untested' | 'jobs' | 'read' | 'troubleshoot'), integration? }.
// Prints one line of JSON on stdout: { wallMs, requests, clientRequests, critical, rssMb, failing?, summary }.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_TOKEN } from '../dist/emulator/index.js';
import { CeligoClient } from '../dist/core/client.js';
import { nodeTransport } from '../dist/core/node-transport.js';
import { healthCheck, healthWindow } from '../dist/ops/health.js';
import { HealthTally } from '../dist/ops/health-tally.js';
import { rowMaker } from '../dist/ops/job-rows.js';
import { troubleshoot } from '../dist/ops/troubleshoot.js';

const args = JSON.parse(process.argv[2]);

/** Each request's start and end (once its body has been read), in ms of performance.now(). */
const timings = [];
// The client's own default transport (core/node-transport.ts), timed: the request ends when its body has
// been read through (by the client, as it would be without this timer); the body passes through untouched.
async function timedFetch(url, init) {
  const start = performance.now();
  const res = await nodeTransport(url, init);
  const done = () => void timings.push({ start, end: performance.now() });
  if (res.body.readableEnded) done();
  else res.body.once('end', done).once('error', done);
  return res;
}

/** The longest chain of requests each starting after the one before ended: round trips nothing could overlap. */
function criticalRoundTrips(list) {
  const rs = [...list].sort((a, b) => a.start - b.start);
  const level = [];
  let most = 0;
  for (let i = 0; i < rs.length; i++) {
    let before = 0;
    for (let j = 0; j < i; j++) if (rs[j].end <= rs[i].start && level[j] > before) before = level[j];
    level[i] = before + 1;
    most = Math.max(most, level[i]);
  }
  return most;
}

const vmHwmMb = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;

const api = new CeligoClient({ baseUrl: args.baseUrl, token: DEMO_TOKEN, fetch: timedFetch, jobPaging: args.mode });
const home = mkdtempSync(join(tmpdir(), 'cm-bench-latency-'));
const ctx = { api, now: () => new Date(args.now), home };
const t0 = performance.now();
let out;
if (args.op === 'health' || args.op === 'health-untested') {
  const report = await healthCheck(ctx, args.op === 'health' ? {} : { testConnections: false });
  const wallMs = performance.now() - t0;
  const failing = report.integrations.find((i) => i.verdict === 'failing');
  const flows = report.integrations.reduce((n, i) => n + i.flows.length, 0);
  out = { wallMs, failing: failing && { id: failing.integrationId, name: failing.name }, summary: `${report.integrations.length} integrations, ${flows} flows, ${report.connections.length} connections tested, verdicts ${JSON.stringify(report.verdicts)}` };
} else if (args.op === 'jobs') {
  // The check's read of its jobs alone, added up as the health check does: what memory the jobs cost.
  const w = healthWindow(undefined, new Date(args.now));
  const toRow = rowMaker(w.from, w.to, w.days);
  const tally = new HealthTally(w.days.length);
  await api.jobs.forEach({ type_in: ['flow', 'retry', 'bulk_retry'], createdAt_gte: new Date(w.baseFrom).toISOString(), createdAt_lte: new Date(w.to - 1).toISOString() }, (j) => tally.add(toRow(j)));
  out = { wallMs: performance.now() - t0, summary: `${tally.read} jobs of ${tally.byFlow.size} flows` };
} else if (args.op === 'read') {
  // The same read with nothing kept but a count: what streaming the pages costs by itself.
  const w = healthWindow(undefined, new Date(args.now));
  let read = 0;
  await api.jobs.forEach({ type_in: ['flow', 'retry', 'bulk_retry'], createdAt_gte: new Date(w.baseFrom).toISOString(), createdAt_lte: new Date(w.to - 1).toISOString() }, () => void read++);
  out = { wallMs: performance.now() - t0, summary: `${read} jobs counted` };
} else {
  const report = await troubleshoot(ctx, { integration: args.integration });
  const wallMs = performance.now() - t0;
  out = { wallMs, summary: `${report.totalErrors} open errors in ${report.errorGroups.length} patterns, ${report.steps.length} steps examined` };
}
rmSync(home, { recursive: true, force: true });
// Live heap once the garbage is collected (the child runs with --expose-gc): what the operation keeps.
globalThis.gc?.();
const liveMb = process.memoryUsage().heapUsed / 2 ** 20;
out = { ...out, requests: timings.length, clientRequests: api.http.stats.requests, critical: criticalRoundTrips(timings), rssMb: vmHwmMb(), liveMb };
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
