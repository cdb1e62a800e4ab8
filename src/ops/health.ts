// Daily health check (issue 4 item 1): one paged read of the jobs by time range, the resource lists read
// alongside it, and a few connection tests; never one call per flow. What it returns: health-report.ts;
// the figures computed from jobs: job-rows.ts.
import type { Connection, Flow, Integration } from '../core/schemas.js';
import { flowSteps } from '../core/flows.js';
import type { OpContext } from './context.js';
import { mapPool } from './pool.js';
import { hasTag, tagOf } from './tags.js';
import { parseTimeRange } from './timerange.js';
import { groupBy, nowOf, num, percentiles, plural, report, testConnection } from './util.js';
import { counts, durations, rate, rowMaker, runTime, splitByWindow, sumOf, type JobRow } from './job-rows.js';
import { prefetch } from './prefetch.js';
import type { ConnectionCheck, FlowHealth, HealthReport, HealthSeries, IntegrationHealth, ScheduleIssue, Verdict } from './health-report.js';

export type * from './health-report.js';

const DAY = 86_400_000;
const BASELINE_DAYS = 7;

export const STANDALONE = '';

/** Connection tests run this many at a time (each hits a different remote system). */
export const PING_CONCURRENCY = 10;

/** Approximate interval between scheduled runs from a 6-field cron ("? m h ? * *"), in ms. */
export function scheduleIntervalMs(schedule: string): number {
  const f = schedule.trim().split(/\s+/);
  if (f.length < 6) return DAY;
  const countOf = (field: string, span: number): number => {
    if (field === '*' || field === '?') return span;
    const step = /^\*\/(\d+)$/.exec(field);
    if (step) return Math.max(1, Math.floor(span / Number(step[1])));
    return field.split(',').reduce((n, part) => {
      const r = /^(\d+)-(\d+)$/.exec(part);
      return n + (r ? Number(r[2]) - Number(r[1]) + 1 : 1);
    }, 0);
  };
  const minutes = countOf(f[1], 60);
  const hours = countOf(f[2], 24);
  const restricted = (f[3] !== '?' && f[3] !== '*') || (f[5] !== '?' && f[5] !== '*');
  const perDay = minutes * hours;
  return restricted ? 7 * DAY : Math.max(60_000, DAY / Math.max(1, perDay));
}

function trendOf(now: number, base: number): 'up' | 'down' | 'flat' {
  if (now > base * 1.5 + 2) return 'up';
  if (now < base / 1.5 - 2) return 'down';
  return 'flat';
}

function dayKey(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
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

/**
 * Jobs by integration, through their flow. A flow's jobs are already together, so this looks up each
 * flow rather than each job. The order of jobs inside a group differs from the read's, which nothing
 * computed from a group depends on (counts, sums, percentiles, days).
 */
function groupRowsByIntegration(flowHealth: readonly FlowHealth[], rowsByFlow: ReadonlyMap<string, JobRow[]>): Map<string, JobRow[]> {
  // One integration per flow id (the last flow listed with that id wins, as a Map built from them would).
  const integrationOfFlow = new Map(flowHealth.map((f) => [f.flowId, f.integrationId]));
  const groups = new Map<string, JobRow[]>();
  for (const [flowId, integrationId] of integrationOfFlow) {
    const flowRows = rowsByFlow.get(flowId);
    if (!flowRows) continue;
    let l = groups.get(integrationId);
    if (!l) groups.set(integrationId, (l = []));
    for (const r of flowRows) l.push(r);
  }
  return groups;
}

/** Daily figures of one integration's jobs, one entry per series day. */
function seriesOf(dayCount: number, rows: readonly JobRow[]): Omit<HealthSeries['integrations'][number], 'integrationId' | 'name'> {
  const perDay = Array.from({ length: dayCount }, (): JobRow[] => []);
  for (const r of rows) if (r.day !== undefined) perDay[r.day].push(r);
  const dayCounts = perDay.map(counts);
  const runTimes = perDay.map((l) => percentiles(durations(l), [50, 95]));
  return {
    jobs: perDay.map((l) => l.length),
    failed: dayCounts.map((c) => c.failed),
    successRate: dayCounts.map(rate),
    p50Ms: runTimes.map(([p50]) => p50 ?? null),
    p95Ms: runTimes.map(([, p95]) => p95 ?? null),
    errors: perDay.map((l) => sumOf(l, 'numError')),
  };
}

/**
 * The account's health over a window (default last 24 hours) against the previous 7 days: per integration
 * and flow, failed jobs, open errors and their trend, run times, connection tests, schedule problems, a
 * verdict per integration, and daily series for charts.
 */
export async function healthCheck(ctx: OpContext, input: { range?: string; testConnections?: boolean } = {}): Promise<HealthReport> {
  const { api, signal } = ctx;
  const startRequests = api.http.stats.requests;
  const now = nowOf(ctx);
  const range = parseTimeRange(input.range, now, 'last 24 hours');
  const to = (range.to ?? now).getTime();
  const from = (range.from ?? new Date(to - DAY)).getTime();
  const span = Math.max(60_000, to - from);
  const baseFrom = from - BASELINE_DAYS * DAY;
  const days: string[] = [];
  for (let t = Date.parse(dayKey(baseFrom)); t <= to; t += DAY) days.push(dayKey(t));

  await report(ctx, 0, 4, 'reading integrations, flows and jobs');
  // One paged read of every flow and retry job of the window and the 7-day baseline: run counts, run
  // times and open errors all come from it (a retry job holds the errors it retried), so there is no
  // per-integration or per-flow call. Its pages form a chain, the longest part of the check, so every
  // other read that does not need the jobs goes alongside it: the integrations (each carries its one tag,
  // celigo-api.md W5), the flows, and (when connections are to be tested) which connection each export
  // and import uses. On an account with nothing failing and nothing critical that last read is not
  // needed, but it costs no wall time, while waiting for the verdicts to decide would add a round of
  // requests after the chain.
  const connectionSources = (input.testConnections ?? true) ? prefetch(signal, (s) => readConnectionSources(api, s)) : undefined;
  const [integrations, flows, allRows] = await Promise.all([
    api.integrations.list({}, { signal }),
    api.flows.list({}, { signal }),
    api.jobs.list(
      { type_in: ['flow', 'retry', 'bulk_retry'], createdAt_gte: new Date(baseFrom).toISOString(), createdAt_lte: new Date(to).toISOString() },
      { signal, map: rowMaker(from, to, days) },
    ),
  ]).catch((err: unknown) => {
    connectionSources?.cancel();
    throw err;
  });
  await report(ctx, 1, 4, 'judging each flow');
  const rows = allRows.filter((r) => r.job.type === 'flow');
  const openByFlow = new Map<string, number>();
  for (const { job: j } of allRows) if (j._flowId) openByFlow.set(j._flowId, (openByFlow.get(j._flowId) ?? 0) + num(j.numOpenError));

  // ---- per flow ----
  const rowsByFlow = groupBy(rows, (r) => r.job._flowId || undefined);
  const flowHealth: FlowHealth[] = [];
  const scheduleIssues: ScheduleIssue[] = [];
  const flowById = new Map(flows.map((f) => [f._id, f]));
  for (const f of flows) {
    const { win, base } = splitByWindow(rowsByFlow.get(f._id) ?? []);
    const c = counts(win);
    const sorted = [...win].sort((a, b) => b.t - a.t).map((r) => r.job);
    const last = sorted[0];
    const openErrors = openByFlow.get(f._id) ?? 0;
    const rt = runTime(win, base);
    const reasons: string[] = [];
    let verdict: Verdict = 'healthy';
    const finished = sorted.filter((j) => j.status === 'completed' || j.status === 'failed');
    const lastTwoFailed = finished.length >= 2 && finished[0].status === 'failed' && finished[1].status === 'failed';
    const sr = rate(c);
    if (lastTwoFailed || (finished.length === 1 && finished[0].status === 'failed')) {
      verdict = 'failing';
      reasons.push(`last ${lastTwoFailed ? 'runs' : 'run'} failed`);
    } else if (sr !== null && sr < 0.5) {
      verdict = 'failing';
      reasons.push(`${Math.round(sr * 100)}% of runs succeeded`);
    } else if (c.failed > 0) {
      verdict = 'degraded';
      reasons.push(`${plural(c.failed, 'failed run')}`);
    }
    const recErrors = sumOf(win, 'numError');
    if (c.withErrors > 0) {
      if (verdict === 'healthy') verdict = 'degraded';
      reasons.push(`${plural(c.withErrors, 'run')} with record errors (${recErrors})`);
    }
    if (rt.p95Ms !== undefined && rt.baselineP95Ms !== undefined && rt.p95Ms > 2 * rt.baselineP95Ms && rt.p95Ms - rt.baselineP95Ms > 60_000) {
      if (verdict === 'healthy') verdict = 'degraded';
      reasons.push(`p95 run time ${Math.round(rt.p95Ms / 1000)} s vs ${Math.round(rt.baselineP95Ms / 1000)} s before`);
    }
    if (f.schedule) {
      if (f.disabled) scheduleIssues.push({ flowId: f._id, name: f.name, integrationId: f._integrationId ?? STANDALONE, schedule: f.schedule, issue: 'disabled' });
      else if (win.length === 0 && span >= scheduleIntervalMs(f.schedule) * 1.5) {
        scheduleIssues.push({ flowId: f._id, name: f.name, integrationId: f._integrationId ?? STANDALONE, schedule: f.schedule, issue: 'not run' });
        if (verdict === 'healthy') verdict = 'degraded';
        reasons.push('scheduled but did not run');
      }
    }
    flowHealth.push({
      flowId: f._id,
      name: f.name,
      integrationId: f._integrationId ?? STANDALONE,
      disabled: !!f.disabled,
      schedule: f.schedule,
      jobs: c,
      successRate: sr,
      records: {
        exported: sumOf(win, 'numExport'),
        succeeded: sumOf(win, 'numSuccess'),
        errors: recErrors,
        ignored: sumOf(win, 'numIgnore'),
      },
      openErrors,
      lastRun: last ? { jobId: last._id, status: last.status, at: last.createdAt } : undefined,
      runTime: rt,
      verdict,
      reasons,
    });
  }

  // ---- connections: those of failing or degraded flows, and of integrations tagged critical ----
  const critical = new Set(integrations.filter((i) => hasTag(i, 'critical')).map((i) => i._id));
  const toTest = new Map<string, { reasons: Set<string>; flows: Set<string> }>();
  const problemFlows = flowHealth.filter((f) => f.verdict !== 'healthy' && !f.disabled);
  const criticalFlows = flows.filter((f) => f._integrationId && critical.has(f._integrationId) && !f.disabled);
  let connections: Connection[] = [];
  if (!problemFlows.length && !criticalFlows.length) connectionSources?.cancel();
  else if (connectionSources) {
    await report(ctx, 2, 4, 'finding the connections to test');
    const sources = await connectionSources.result();
    connections = sources.connections;
    const add = (f: Flow, why: string) => {
      for (const st of flowSteps(f)) {
        const cid = sources.connectionOf.get(st.id);
        if (!cid) continue;
        let e = toTest.get(cid);
        if (!e) toTest.set(cid, (e = { reasons: new Set(), flows: new Set() }));
        e.reasons.add(why);
        e.flows.add(f._id);
      }
    };
    for (const fh of problemFlows) add(flowById.get(fh.flowId)!, `used by ${fh.verdict} flow`);
    for (const f of criticalFlows) add(f, 'integration tagged critical');
  }
  await report(ctx, 3, 4, `testing ${plural(toTest.size, 'connection')}`);
  const connById = new Map(connections.map((c) => [c._id, c]));
  const checks: ConnectionCheck[] = await mapPool([...toTest.entries()], PING_CONCURRENCY, async ([cid, why]) => {
    const c = connById.get(cid);
    const base = { connectionId: cid, name: c?.name, type: c?.type, reasons: [...why.reasons], usedByFlows: [...why.flows] };
    try {
      const r = await testConnection(ctx, cid);
      return { ...base, ok: r.ok, code: r.code, message: r.message, latencyMs: r.latencyMs };
    } catch (err) {
      return { ...base, ok: false, message: (err as Error).message };
    }
  }, signal);
  const downFlows = new Map<string, string[]>();
  for (const ch of checks.filter((x) => !x.ok)) for (const fid of ch.usedByFlows) downFlows.set(fid, [...(downFlows.get(fid) ?? []), ch.name ?? ch.connectionId]);
  for (const fh of flowHealth) {
    const down = downFlows.get(fh.flowId);
    if (down) {
      fh.verdict = 'failing';
      fh.reasons.unshift(`connection down: ${down.join(', ')}`);
    }
  }

  // ---- per integration ----
  const groups: { id: string; name: string; integ?: Integration }[] = integrations.map((i) => ({ id: i._id, name: i.name, integ: i }));
  if (flowHealth.some((f) => f.integrationId === STANDALONE)) groups.push({ id: STANDALONE, name: 'Standalone flows' });
  // Group once: flows, and jobs (through their flow), by integration, so nothing below scans them per integration.
  const flowsByIntegration = groupBy(flowHealth, (f) => f.integrationId);
  const rowsByIntegration = groupRowsByIntegration(flowHealth, rowsByFlow);
  const integrationHealth: IntegrationHealth[] = groups.map((g) => {
    const fl = flowsByIntegration.get(g.id) ?? [];
    const { win, base } = splitByWindow(rowsByIntegration.get(g.id) ?? []);
    const c = counts(win);
    const errorsInWindow = sumOf(win, 'numError');
    const errorsBaseline = Math.round((sumOf(base, 'numError') * span) / (BASELINE_DAYS * DAY));
    const trend = trendOf(errorsInWindow, errorsBaseline);
    const openErrors = fl.reduce((n, f) => n + f.openErrors, 0);
    const reasons: string[] = [];
    let verdict: Verdict = 'healthy';
    for (const f of fl) {
      if (f.verdict === 'failing') verdict = 'failing';
      else if (f.verdict === 'degraded' && verdict === 'healthy') verdict = 'degraded';
      if (f.verdict !== 'healthy') reasons.push(`${f.name}: ${f.reasons.join('; ')}`);
    }
    if (trend === 'up' && errorsInWindow > 0) {
      if (verdict === 'healthy') verdict = 'degraded';
      reasons.push(`errors up: ${errorsInWindow} vs ${errorsBaseline} in a typical window of the previous 7 days`);
    }
    return {
      integrationId: g.id,
      name: g.name,
      verdict,
      reasons,
      ...(g.integ && tagOf(g.integ) !== undefined ? { tag: tagOf(g.integ) } : {}),
      jobs: c,
      successRate: rate(c),
      openErrors,
      errorsInWindow,
      errorsBaseline,
      errorTrend: trend,
      runTime: runTime(win, base),
      flows: fl,
    };
  });
  const order: Record<Verdict, number> = { failing: 0, degraded: 1, healthy: 2 };
  integrationHealth.sort((a, b) => order[a.verdict] - order[b.verdict] || a.name.localeCompare(b.name));

  // ---- daily series ----
  const series: HealthSeries = {
    days,
    integrations: integrationHealth.map((ih) => ({ integrationId: ih.integrationId, name: ih.name, ...seriesOf(days.length, rowsByIntegration.get(ih.integrationId) ?? []) })),
  };

  const winRows = rows.filter((r) => r.inWindow);
  const failedJobs = winRows
    .filter((r) => r.job.status === 'failed')
    .map((r) => r.job)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 50)
    .map((j) => ({ jobId: j._id, flowId: j._flowId ?? '', flowName: flowById.get(j._flowId ?? '')?.name ?? j._flowId ?? '', integrationId: j._integrationId ?? STANDALONE, status: j.status, createdAt: j.createdAt, numError: num(j.numError) }));

  const v = { healthy: 0, degraded: 0, failing: 0 };
  for (const i of integrationHealth) v[i.verdict]++;
  const winJobs = counts(winRows);
  const sr = rate(winJobs);
  const totalOpen = integrationHealth.reduce((n, i) => n + i.openErrors, 0);
  const down = checks.filter((c) => !c.ok);
  // The first sentence counts integrations; flows outside any integration get their own verdict.
  const standalone = integrationHealth.find((i) => i.integrationId === STANDALONE);
  const names = (verdict: Verdict) => integrationHealth.filter((i) => i !== standalone && i.verdict === verdict).map((i) => i.name);
  const iv = { healthy: 0, degraded: 0, failing: 0 };
  for (const i of integrationHealth) if (i !== standalone) iv[i.verdict]++;
  const summary = [
    `${plural(integrations.length, 'integration')}: ${iv.failing} failing${iv.failing ? ` (${names('failing').join(', ')})` : ''}, ${iv.degraded} degraded${iv.degraded ? ` (${names('degraded').join(', ')})` : ''}, ${iv.healthy} healthy${standalone ? `; standalone flows ${standalone.verdict}` : ''}.`,
    `${plural(winJobs.total, 'run')} in ${range.label}${sr !== null ? `, ${Math.round(sr * 100)}% succeeded` : ''}, ${plural(winJobs.failed, 'failed run')}; ${plural(totalOpen, 'open error')}.`,
    checks.length ? `${plural(checks.length, 'connection')} tested, ${down.length} down${down.length ? ` (${down.map((d) => d.name ?? d.connectionId).join(', ')})` : ''}.` : '',
    scheduleIssues.length ? `${plural(scheduleIssues.length, 'scheduled flow')} disabled or not run.` : '',
  ].filter(Boolean).join(' ');
  await report(ctx, 4, 4, 'done');

  return {
    window: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), label: range.label },
    baseline: { from: new Date(baseFrom).toISOString(), to: new Date(from).toISOString() },
    summary,
    verdicts: v,
    integrations: integrationHealth,
    failedJobs,
    connections: checks,
    scheduleIssues,
    series,
    requests: api.http.stats.requests - startRequests,
  };
}
