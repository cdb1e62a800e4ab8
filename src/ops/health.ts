// Daily health check (issue 4 item 1): one read of the jobs by time range (in parallel time slices,
// core/job-slices.ts), the resource lists read alongside it, and the connection tests, each started as
// soon as it is known to be needed; never one call per flow. Three parts: gathering (the reads, here),
// judging (pure functions: health-judge.ts) and reporting (health-assemble.ts). What it returns:
// health-report.ts; what it keeps of the jobs (never the jobs themselves): health-tally.ts.
import type { Connection, Flow, Integration } from '../core/schemas.js';
import { flowOutline } from '../core/flows.js';
import { interner } from './interner.js';
import type { OpContext } from './context.js';
import { parseTimeRange } from './timerange.js';
import { counting, nowOf, plural, report } from './util.js';
import { rowMaker } from './job-rows.js';
import { prefetch, type Prefetch } from './prefetch.js';
import { HealthTally, showsTrouble } from './health-tally.js';
import { ConnectionTests } from './health-tests.js';
import type { ConnectionCheck, HealthReport } from './health-report.js';
import {
  BASELINE_DAYS,
  checkBase,
  connectionsToTest,
  DAY,
  flowsToTest,
  integrationGroups,
  judgeFlows,
  judgeIntegrations,
  tallyByIntegration,
  withConnectionResults,
  type ConnectionToTest,
} from './health-judge.js';
import { hasTag } from './tags.js';
import { assembleHealthReport, type HealthWindow } from './health-assemble.js';

export type * from './health-report.js';
export { scheduleIntervalMs, STANDALONE } from './health-judge.js';

/** Rows of a full page of jobs (celigo-api.md §1.7): progress counts pages of the jobs read. */
const JOBS_PAGE = 1000;

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

/** An export or import as far as choosing the tests goes (a server may ignore `include` and send the whole object). */
const connectionUse = (intern: (s: string) => string) => (r: { _id: string; _connectionId?: unknown }) => ({
  _id: intern(r._id),
  _connectionId: typeof r._connectionId === 'string' ? intern(r._connectionId) : r._connectionId,
});

async function readConnectionSources(api: OpContext['api'], intern: (s: string) => string, signal?: AbortSignal): Promise<ConnectionSources> {
  // Of the exports and imports only the connection is used: `include` keeps those pages small
  // (celigo-api.md §1.7, Projection). `name` is in every projection; asked for since the schema needs it.
  const fields = { include: 'name,_connectionId' };
  const keep = connectionUse(intern);
  // Row by row as each page arrives, as the flows: no page of a large account's list is held whole.
  const [exps, imps, connections] = await Promise.all([
    api.exports.list(fields, { signal, keep, stream: true }),
    api.imports.list(fields, { signal, keep, stream: true }),
    api.connections.list({}, { signal }),
  ]);
  const connectionOf = new Map<string, string>();
  for (const r of [...exps, ...imps]) if (typeof r._connectionId === 'string') connectionOf.set(r._id, r._connectionId);
  return { connectionOf, connections };
}

interface Reads {
  integrations: Integration[];
  flows: Flow[];
  /** What was kept of the flow, retry and bulk retry jobs of the window and the 7-day baseline. */
  tally: HealthTally;
  /** Which connection each export and import uses, still being read; absent when no connection is to be tested. */
  connectionSources?: Prefetch<ConnectionSources>;
}

/**
 * One read of every flow and retry job of the window and the 7-day baseline: run counts, run times and
 * open errors all come from it (a retry job holds the errors it retried), so there is no per-integration
 * or per-flow call. It is read in time slices side by side (core/job-slices.ts) and added up as its
 * pages arrive; every other read goes alongside it: the integrations (each carries its one tag,
 * celigo-api.md W5), the flows, and (when connections are to be tested) which connection each export and
 * import uses. As soon as the flows and those are known, the connections of the flows of integrations
 * tagged critical, and of flows whose runs already show trouble, are tested (`tests`), before the last
 * page of jobs is in.
 */
async function readAll(ctx: OpContext, w: HealthWindow, tests?: ConnectionTests): Promise<Reads> {
  const { api, signal } = ctx;
  // Progress per thousand jobs read: `done` counts them in pages (the slices arrive in any order).
  const onPage = (n: number) => void report(ctx, n / JOBS_PAGE, undefined, `reading jobs: ${n} read`);
  // One copy of each id and schedule, wherever it was read (jobs, flows, exports, imports).
  const intern = interner();
  const connectionSources = tests ? prefetch(signal, (s) => readConnectionSources(api, intern, s)) : undefined;
  const toRow = rowMaker(w.from, w.to, w.days);
  const tally = new HealthTally(w.days.length, intern);
  const add = counting((job: Parameters<typeof toRow>[0]) => {
    const r = toRow(job);
    tally.add(r);
    if (tests && showsTrouble(r)) tests.flow(r.job._flowId!);
  }, JOBS_PAGE, onPage);
  const integrationsRead = api.integrations.list({}, { signal });
  // Each flow's outline only (its steps, name, schedule): a large account's mappings and settings are not kept.
  const flowsRead = api.flows.list({}, { signal, keep: (f: Flow) => flowOutline(f, intern), stream: true });
  if (tests && connectionSources) startTests(tests, integrationsRead, flowsRead, connectionSources);
  const [integrations, flows] = await Promise.all([
    integrationsRead,
    flowsRead,
    // The window's end is excluded: the API's `_lte` includes, so a millisecond before it.
    api.jobs.forEach({ type_in: ['flow', 'retry', 'bulk_retry'], createdAt_gte: new Date(w.baseFrom).toISOString(), createdAt_lte: new Date(w.to - 1).toISOString() }, add, { signal }),
  ]).catch((err: unknown) => {
    connectionSources?.cancel();
    tests?.cancel();
    throw err;
  });
  return { integrations, flows, tally, connectionSources };
}

/** Once the lists are in: the critical integrations' flows are to be tested, and the tests named so far start. */
function startTests(tests: ConnectionTests, integrations: Promise<Integration[]>, flows: Promise<Flow[]>, sources: Prefetch<ConnectionSources>): void {
  Promise.all([integrations, flows, sources.result()]).then(
    ([is, fs, src]) => {
      const critical = new Set(is.filter((i) => hasTag(i, 'critical')).map((i) => i._id));
      for (const f of fs) if (f._integrationId && critical.has(f._integrationId)) tests.flow(f._id);
      tests.ready(fs, src.connectionOf);
    },
    // A failed read surfaces where it is awaited (readAll, the check); nothing starts early.
    () => undefined,
  );
}

/** The outcome of every connection to test (started already, or now), in order; a test that throws is a connection down. */
function testAll(tests: ConnectionTests, toTest: ReadonlyMap<string, ConnectionToTest>, connections: readonly Connection[], onTested?: () => Promise<void>): Promise<ConnectionCheck[]> {
  const connById = new Map(connections.map((c) => [c._id, c]));
  return Promise.all(
    [...toTest.entries()].map(async ([cid, why]): Promise<ConnectionCheck> => {
      const r = await tests.result(cid);
      await onTested?.();
      return { ...checkBase(cid, why, connById.get(cid)), ...r };
    }),
  );
}

/**
 * The account's health over a window (default last 24 hours) against the previous 7 days: per integration
 * and flow, failed jobs, open errors and their trend, run times, connection tests, schedule problems, a
 * verdict per integration, and daily series for charts.
 */
export async function healthCheck(ctx: OpContext, input: { range?: string; testConnections?: boolean } = {}): Promise<HealthReport> {
  const startRequests = ctx.api.http.stats.requests;
  const w = healthWindow(input.range, nowOf(ctx), ctx.timeZone);

  // Progress: `done` counts the jobs read in pages, then one per step and per connection tested, about one
  // per request (it must grow with every report); the total is known once the connections to test are.
  await report(ctx, 0, undefined, 'reading integrations, flows and jobs');
  const tests = (input.testConnections ?? true) ? new ConnectionTests(ctx) : undefined;
  const { integrations, flows, tally, connectionSources } = await readAll(ctx, w, tests);
  const read = Math.ceil(tally.read / JOBS_PAGE);
  await report(ctx, read + 1, undefined, 'judging each flow');
  const judged = judgeFlows(flows, tally.byFlow, tally.openByFlow, w.span);

  // Connections: those of failing or degraded flows, and of integrations tagged critical (most already under test).
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
  const checks = tests ? await testAll(tests, toTest, connections, () => report(ctx, read + 3 + ++tested, total, `tested ${tested} of ${plural(toTest.size, 'connection')}`)) : [];
  const flowHealth = withConnectionResults(judged.flowHealth, checks);

  // The jobs of each integration: its flows' tallies added up once.
  const byIntegration = tallyByIntegration(flowHealth, tally.byFlow);
  const integrationHealth = judgeIntegrations(integrationGroups(integrations, flowHealth), flowHealth, byIntegration, w.span);
  const body = assembleHealthReport({
    window: w,
    integrationCount: integrations.length,
    integrations: integrationHealth,
    tally,
    byIntegration,
    flows,
    checks,
    scheduleIssues: judged.scheduleIssues,
  });
  await report(ctx, total, total, 'done');
  return { ...body, requests: ctx.api.http.stats.requests - startRequests };
}
