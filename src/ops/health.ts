// Daily health check (issue 4 item 1): one paged read of the jobs by time range, the resource lists read
// alongside it, and a few connection tests; never one call per flow. Three parts: gathering (the reads,
// here), judging (pure functions: health-judge.ts) and reporting (health-assemble.ts). What it returns:
// health-report.ts; the figures computed from jobs: job-rows.ts.
import type { Connection, Flow, Integration } from '../core/schemas.js';
import type { OpContext } from './context.js';
import { mapPool } from './pool.js';
import { parseTimeRange } from './timerange.js';
import { counting, groupBy, nowOf, plural, report, testConnection } from './util.js';
import { rowMaker, type JobRow } from './job-rows.js';
import { prefetch, type Prefetch } from './prefetch.js';
import type { ConnectionCheck, HealthReport } from './health-report.js';
import {
  BASELINE_DAYS,
  checkBase,
  connectionsToTest,
  DAY,
  flowsToTest,
  groupRowsByIntegration,
  integrationGroups,
  judgeFlows,
  judgeIntegrations,
  openErrorsByFlow,
  withConnectionResults,
  type ConnectionToTest,
} from './health-judge.js';
import { assembleHealthReport, type HealthWindow } from './health-assemble.js';

export type * from './health-report.js';
export { scheduleIntervalMs, STANDALONE } from './health-judge.js';

/** Rows of a full page of jobs (celigo-api.md §1.7): progress counts pages of the jobs read. */
const JOBS_PAGE = 1000;

/** Connection tests run this many at a time (each hits a different remote system). */
export const PING_CONCURRENCY = 10;

function dayKey(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The window asked for (default: the 24 hours up to now), read in `zone`, its end excluded; its 7-day
 * baseline and the series' days.
 */
export function healthWindow(range: string | undefined, now: Date, zone?: string): HealthWindow & { span: number } {
  const r = parseTimeRange(range, now, 'last 24 hours', zone);
  const to = (r.to ?? now).getTime();
  const from = (r.from ?? new Date(to - DAY)).getTime();
  const baseFrom = from - BASELINE_DAYS * DAY;
  const days: string[] = [];
  for (let t = Date.parse(dayKey(baseFrom)); t < to; t += DAY) days.push(dayKey(t));
  return { from, to, baseFrom, label: r.label, ...(r.zoned ? { timeZone: r.zone } : {}), days, span: Math.max(60_000, to - from) };
}

/** Which export or import uses which connection, and the connections: what choosing the tests needs. */
interface ConnectionSources {
  connectionOf: Map<string, string>;
  connections: Connection[];
}

async function readConnectionSources(api: OpContext['api'], signal?: AbortSignal): Promise<ConnectionSources> {
  // Of the exports and imports only the connection is used: `include` keeps those pages small
  // (celigo-api.md §1.7, Projection). `name` is in every projection; asked for since the schema needs it.
  const fields = { include: 'name,_connectionId' };
  const [exps, imps, connections] = await Promise.all([
    api.exports.list(fields, { signal }),
    api.imports.list(fields, { signal }),
    api.connections.list({}, { signal }),
  ]);
  const connectionOf = new Map<string, string>();
  for (const r of [...exps, ...imps]) if (typeof r._connectionId === 'string') connectionOf.set(r._id, r._connectionId);
  return { connectionOf, connections };
}

interface Reads {
  integrations: Integration[];
  flows: Flow[];
  /** Flow, retry and bulk_retry jobs of the window and the baseline. */
  allRows: JobRow[];
  /** Which connection each export and import uses, still being read; absent when no connection is to be tested. */
  connectionSources?: Prefetch<ConnectionSources>;
}

/**
 * One paged read of every flow and retry job of the window and the 7-day baseline: run counts, run
 * times and open errors all come from it (a retry job holds the errors it retried), so there is no
 * per-integration or per-flow call. Its pages form a chain, the longest part of the check, so every
 * other read that does not need the jobs goes alongside it: the integrations (each carries its one tag,
 * celigo-api.md W5), the flows, and (when connections are to be tested) which connection each export
 * and import uses. On an account with nothing failing and nothing critical that last read is not
 * needed, but it costs no wall time, while waiting for the verdicts to decide would add a round of
 * requests after the chain.
 */
async function readAll(ctx: OpContext, w: HealthWindow, testConnections: boolean): Promise<Reads> {
  const { api, signal } = ctx;
  // Progress per page of jobs (the chain of pages is the long part): `done` counts the pages read.
  const onPage = (n: number) => void report(ctx, n / JOBS_PAGE, undefined, `reading jobs: ${n} read`);
  const connectionSources = testConnections ? prefetch(signal, (s) => readConnectionSources(api, s)) : undefined;
  const [integrations, flows, allRows] = await Promise.all([
    api.integrations.list({}, { signal }),
    api.flows.list({}, { signal }),
    api.jobs.list(
      // The window's end is excluded: the API's `_lte` includes, so a millisecond before it.
      { type_in: ['flow', 'retry', 'bulk_retry'], createdAt_gte: new Date(w.baseFrom).toISOString(), createdAt_lte: new Date(w.to - 1).toISOString() },
      { signal, map: counting(rowMaker(w.from, w.to, w.days), JOBS_PAGE, onPage) },
    ),
  ]).catch((err: unknown) => {
    connectionSources?.cancel();
    throw err;
  });
  return { integrations, flows, allRows, connectionSources };
}

/** Tests the connections, PING_CONCURRENCY at a time; a test that throws is a connection down. */
function testAll(ctx: OpContext, toTest: ReadonlyMap<string, ConnectionToTest>, connections: readonly Connection[], onTested?: () => Promise<void>): Promise<ConnectionCheck[]> {
  const connById = new Map(connections.map((c) => [c._id, c]));
  return mapPool([...toTest.entries()], PING_CONCURRENCY, async ([cid, why]) => {
    const base = checkBase(cid, why, connById.get(cid));
    try {
      const r = await testConnection(ctx, cid);
      return { ...base, ok: r.ok, code: r.code, message: r.message, latencyMs: r.latencyMs };
    } catch (err) {
      return { ...base, ok: false, message: (err as Error).message };
    } finally {
      await onTested?.();
    }
  }, ctx.signal);
}

/**
 * The account's health over a window (default last 24 hours) against the previous 7 days: per integration
 * and flow, failed jobs, open errors and their trend, run times, connection tests, schedule problems, a
 * verdict per integration, and daily series for charts.
 */
export async function healthCheck(ctx: OpContext, input: { range?: string; testConnections?: boolean } = {}): Promise<HealthReport> {
  const startRequests = ctx.api.http.stats.requests;
  const w = healthWindow(input.range, nowOf(ctx), ctx.timeZone);

  // Progress: `done` counts the pages of jobs read, then one per step and per connection tested, about one
  // per request (it must grow with every report); the total is known once the connections to test are.
  await report(ctx, 0, undefined, 'reading integrations, flows and jobs');
  const { integrations, flows, allRows, connectionSources } = await readAll(ctx, w, input.testConnections ?? true);
  const read = Math.ceil(allRows.length / JOBS_PAGE);
  await report(ctx, read + 1, undefined, 'judging each flow');
  const rows = allRows.filter((r) => r.job.type === 'flow');
  const rowsByFlow = groupBy(rows, (r) => r.job._flowId || undefined);
  const judged = judgeFlows(flows, rowsByFlow, openErrorsByFlow(allRows), w.span);

  // Connections: those of failing or degraded flows, and of integrations tagged critical.
  const candidates = flowsToTest(judged.flowHealth, flows, integrations);
  let toTest = new Map<string, ConnectionToTest>();
  let connections: Connection[] = [];
  if (!candidates.length) connectionSources?.cancel();
  else if (connectionSources) {
    await report(ctx, read + 2, undefined, 'finding the connections to test');
    const sources = await connectionSources.result();
    connections = sources.connections;
    toTest = connectionsToTest(candidates, sources.connectionOf);
  }
  const total = read + 4 + toTest.size;
  let tested = 0;
  await report(ctx, read + 3, total, `testing ${plural(toTest.size, 'connection')}`);
  const checks = await testAll(ctx, toTest, connections, () => report(ctx, read + 3 + ++tested, total, `tested ${tested} of ${plural(toTest.size, 'connection')}`));
  const flowHealth = withConnectionResults(judged.flowHealth, checks);

  // Flows and jobs (through their flow) grouped by integration once, so nothing scans them per integration.
  const rowsByIntegration = groupRowsByIntegration(flowHealth, rowsByFlow);
  const integrationHealth = judgeIntegrations(integrationGroups(integrations, flowHealth), flowHealth, rowsByIntegration, w.span);
  const body = assembleHealthReport({
    window: w,
    integrationCount: integrations.length,
    integrations: integrationHealth,
    rows,
    rowsByIntegration,
    flows,
    checks,
    scheduleIssues: judged.scheduleIssues,
  });
  await report(ctx, total, total, 'done');
  return { ...body, requests: ctx.api.http.stats.requests - startRequests };
}
