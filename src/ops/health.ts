// Daily health check (issue 4 item 1): one pass over the bulk endpoints (jobs by time range, error summaries
// per integration, the resource lists) and a few connection tests; never one call per flow.
import type { Connection, Flow, Integration, Job } from '../core/schemas.js';
import { flowSteps } from '../core/flows.js';
import type { OpContext } from './context.js';
import { mapPool } from './pool.js';
import { testConnection } from './util.js';
import { readTagMap } from './tags.js';
import { parseTimeRange } from './timerange.js';
import { ms, nowOf, percentile, plural, report } from './util.js';

const DAY = 86_400_000;
const BASELINE_DAYS = 7;

export type Verdict = 'healthy' | 'degraded' | 'failing';

export interface JobCounts {
  total: number;
  completed: number;
  failed: number;
  canceled: number;
  /** queued or running now */
  active: number;
  /** completed, but with record errors */
  withErrors: number;
}

export interface FlowHealth {
  flowId: string;
  name: string;
  integrationId: string;
  disabled: boolean;
  schedule?: string;
  jobs: JobCounts;
  /** completed / (completed + failed) in the window; null without finished jobs. */
  successRate: number | null;
  records: { exported: number; succeeded: number; errors: number; ignored: number };
  openErrors: number;
  lastRun?: { jobId: string; status: string; at: string };
  runTime: RunTime;
  verdict: Verdict;
  reasons: string[];
}

export interface RunTime {
  p50Ms?: number;
  p95Ms?: number;
  baselineP50Ms?: number;
  baselineP95Ms?: number;
}

export interface IntegrationHealth {
  integrationId: string;
  name: string;
  verdict: Verdict;
  reasons: string[];
  tags: string[];
  jobs: JobCounts;
  successRate: number | null;
  openErrors: number;
  /** Record errors in the window, and the average for a window of the same length over the previous 7 days. */
  errorsInWindow: number;
  errorsBaseline: number;
  errorTrend: 'up' | 'down' | 'flat';
  runTime: RunTime;
  flows: FlowHealth[];
}

export interface ConnectionCheck {
  connectionId: string;
  name?: string;
  type?: string;
  ok: boolean;
  code?: number;
  message?: string;
  latencyMs?: number;
  /** Why it was tested: used by a failing or degraded flow, or by an integration tagged critical. */
  reasons: string[];
  usedByFlows: string[];
}

export interface ScheduleIssue {
  flowId: string;
  name: string;
  integrationId: string;
  schedule: string;
  issue: 'disabled' | 'not run';
}

export interface HealthSeries {
  /** UTC days, oldest first (the 7-day baseline, then the window). */
  days: string[];
  integrations: {
    integrationId: string;
    name: string;
    jobs: number[];
    failed: number[];
    /** null on days without finished jobs */
    successRate: (number | null)[];
    p50Ms: (number | null)[];
    p95Ms: (number | null)[];
    errors: number[];
  }[];
}

export interface HealthReport {
  window: { from: string; to: string; label: string };
  baseline: { from: string; to: string };
  summary: string;
  verdicts: { healthy: number; degraded: number; failing: number };
  integrations: IntegrationHealth[];
  failedJobs: { jobId: string; flowId: string; flowName: string; integrationId: string; status: string; createdAt: string; numError: number }[];
  connections: ConnectionCheck[];
  scheduleIssues: ScheduleIssue[];
  series: HealthSeries;
  /** Requests this check made (the client's counter). */
  requests: number;
}

export const STANDALONE = '';

/** Connection tests run this many at a time (each hits a different remote system). */
export const PING_CONCURRENCY = 10;

function counts(jobs: Job[]): JobCounts {
  const c: JobCounts = { total: jobs.length, completed: 0, failed: 0, canceled: 0, active: 0, withErrors: 0 };
  for (const j of jobs) {
    if (j.status === 'completed') {
      c.completed++;
      if ((j.numError ?? 0) > 0) c.withErrors++;
    } else if (j.status === 'failed') c.failed++;
    else if (j.status === 'canceled') c.canceled++;
    else c.active++;
  }
  return c;
}

function rate(c: JobCounts): number | null {
  const n = c.completed + c.failed;
  return n ? Math.round((c.completed / n) * 1000) / 1000 : null;
}

function duration(j: Job): number | undefined {
  const a = ms(typeof j.startedAt === 'string' ? j.startedAt : undefined);
  const b = ms(typeof j.endedAt === 'string' ? j.endedAt : undefined);
  return a !== undefined && b !== undefined && b >= a && (j.status === 'completed' || j.status === 'failed') ? b - a : undefined;
}

function runTime(win: Job[], base: Job[]): RunTime {
  const d = win.map(duration).filter((x): x is number => x !== undefined);
  const b = base.map(duration).filter((x): x is number => x !== undefined);
  return { p50Ms: percentile(d, 50), p95Ms: percentile(d, 95), baselineP50Ms: percentile(b, 50), baselineP95Ms: percentile(b, 95) };
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

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

  await report(ctx, 0, 4, 'reading integrations, flows and jobs');
  // One paged read of every flow and retry job of the window and the 7-day baseline: run counts, run
  // times and open errors all come from it (a retry job holds the errors it retried), so there is no
  // per-integration or per-flow call.
  const [integrations, flows, allJobs, tagMap] = await Promise.all([
    api.integrations.list({}, { signal }),
    api.flows.list({}, { signal }),
    api.jobs.list({ type_in: ['flow', 'retry'], createdAt_gte: new Date(baseFrom).toISOString(), createdAt_lte: new Date(to).toISOString() }, { signal }),
    readTagMap(api, signal).catch(() => ({}) as Record<string, string[]>),
  ]);
  await report(ctx, 1, 4, 'reading tags');
  const tagged = Object.values(tagMap).some((ids) => ids.length > 0);
  const tags = tagged ? await api.tags.list({}, { signal }).catch(() => []) : [];
  const tagName = new Map(tags.map((t) => [t._id, t.tag]));
  const jobs = allJobs.filter((j) => j.type === 'flow');
  const openByFlow = new Map<string, number>();
  for (const j of allJobs) if (j._flowId) openByFlow.set(j._flowId, (openByFlow.get(j._flowId) ?? 0) + num(j.numOpenError));

  // ---- per flow ----
  const jobsByFlow = new Map<string, Job[]>();
  for (const j of jobs) {
    if (!j._flowId) continue;
    let l = jobsByFlow.get(j._flowId);
    if (!l) jobsByFlow.set(j._flowId, (l = []));
    l.push(j);
  }
  const inWindow = (j: Job) => {
    const t = ms(j.createdAt) ?? 0;
    return t >= from && t <= to;
  };
  const flowHealth: FlowHealth[] = [];
  const scheduleIssues: ScheduleIssue[] = [];
  const flowById = new Map(flows.map((f) => [f._id, f]));
  for (const f of flows) {
    const all = jobsByFlow.get(f._id) ?? [];
    const win = all.filter(inWindow);
    const base = all.filter((j) => !inWindow(j));
    const c = counts(win);
    const sorted = [...win].sort((a, b) => (ms(b.createdAt) ?? 0) - (ms(a.createdAt) ?? 0));
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
    const recErrors = win.reduce((n, j) => n + num(j.numError), 0);
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
        exported: win.reduce((n, j) => n + num(j.numExport), 0),
        succeeded: win.reduce((n, j) => n + num(j.numSuccess), 0),
        errors: recErrors,
        ignored: win.reduce((n, j) => n + num(j.numIgnore), 0),
      },
      openErrors,
      lastRun: last ? { jobId: last._id, status: last.status, at: last.createdAt } : undefined,
      runTime: rt,
      verdict,
      reasons,
    });
  }

  // ---- connections: those of failing or degraded flows, and of integrations tagged critical ----
  const critical = new Set(Object.entries(tagMap).filter(([, ids]) => ids.some((id) => /^critical$/i.test(tagName.get(id) ?? ''))).map(([i]) => i));
  const toTest = new Map<string, { reasons: Set<string>; flows: Set<string> }>();
  const problemFlows = flowHealth.filter((f) => f.verdict !== 'healthy' && !f.disabled);
  const criticalFlows = flows.filter((f) => f._integrationId && critical.has(f._integrationId) && !f.disabled);
  let connections: Connection[] = [];
  if ((input.testConnections ?? true) && (problemFlows.length || criticalFlows.length)) {
    await report(ctx, 2, 4, 'finding the connections to test');
    const [exps, imps, conns] = await Promise.all([api.exports.list({}, { signal }), api.imports.list({}, { signal }), api.connections.list({}, { signal })]);
    connections = conns;
    const connOf = new Map<string, string>();
    for (const r of [...exps, ...imps]) if (typeof r._connectionId === 'string') connOf.set(r._id, r._connectionId);
    const add = (f: Flow, why: string) => {
      for (const st of flowSteps(f)) {
        const cid = connOf.get(st.id);
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
  // Group once: jobs by integration (through their flow), so nothing below scans all jobs per integration.
  const integrationOfFlow = new Map(flowHealth.map((f) => [f.flowId, f.integrationId]));
  const jobsByIntegration = new Map<string, Job[]>();
  for (const j of jobs) {
    const g = j._flowId ? integrationOfFlow.get(j._flowId) : undefined;
    if (g === undefined) continue;
    let l = jobsByIntegration.get(g);
    if (!l) jobsByIntegration.set(g, (l = []));
    l.push(j);
  }
  const integrationHealth: IntegrationHealth[] = groups.map((g) => {
    const fl = flowHealth.filter((f) => f.integrationId === g.id);
    const all = jobsByIntegration.get(g.id) ?? [];
    const win = all.filter(inWindow);
    const base = all.filter((j) => !inWindow(j));
    const c = counts(win);
    const errorsInWindow = win.reduce((n, j) => n + num(j.numError), 0);
    const errorsBaseline = Math.round((base.reduce((n, j) => n + num(j.numError), 0) * span) / (BASELINE_DAYS * DAY));
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
      tags: (tagMap[g.id] ?? []).map((id) => tagName.get(id) ?? id),
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
  const days: string[] = [];
  for (let t = Date.parse(dayKey(baseFrom)); t <= to; t += DAY) days.push(dayKey(t));
  const series: HealthSeries = {
    days,
    integrations: integrationHealth.map((ih) => {
      const byDay = new Map<string, Job[]>(days.map((d) => [d, []]));
      for (const j of jobsByIntegration.get(ih.integrationId) ?? []) byDay.get(j.createdAt.slice(0, 10))?.push(j);
      const perDay = days.map((d) => byDay.get(d)!);
      return {
        integrationId: ih.integrationId,
        name: ih.name,
        jobs: perDay.map((l) => l.length),
        failed: perDay.map((l) => l.filter((j) => j.status === 'failed').length),
        successRate: perDay.map((l) => rate(counts(l))),
        p50Ms: perDay.map((l) => percentile(l.map(duration).filter((x): x is number => x !== undefined), 50) ?? null),
        p95Ms: perDay.map((l) => percentile(l.map(duration).filter((x): x is number => x !== undefined), 95) ?? null),
        errors: perDay.map((l) => l.reduce((n, j) => n + num(j.numError), 0)),
      };
    }),
  };

  const failedJobs = jobs
    .filter((j) => inWindow(j) && j.status === 'failed')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 50)
    .map((j) => ({ jobId: j._id, flowId: j._flowId ?? '', flowName: flowById.get(j._flowId ?? '')?.name ?? j._flowId ?? '', integrationId: j._integrationId ?? STANDALONE, status: j.status, createdAt: j.createdAt, numError: num(j.numError) }));

  const v = { healthy: 0, degraded: 0, failing: 0 };
  for (const i of integrationHealth) v[i.verdict]++;
  const winJobs = counts(jobs.filter(inWindow));
  const sr = rate(winJobs);
  const totalOpen = integrationHealth.reduce((n, i) => n + i.openErrors, 0);
  const down = checks.filter((c) => !c.ok);
  const names = (verdict: Verdict) => integrationHealth.filter((i) => i.verdict === verdict).map((i) => i.name);
  const summary = [
    `${plural(integrations.length, 'integration')}${groups.length > integrations.length ? ' (and standalone flows)' : ''}: ${v.failing} failing${v.failing ? ` (${names('failing').join(', ')})` : ''}, ${v.degraded} degraded${v.degraded ? ` (${names('degraded').join(', ')})` : ''}, ${v.healthy} healthy.`,
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
