// The reporting half of the daily health check (health.ts): the HealthReport put together from what was
// read and judged (health-judge.ts): the summary sentence, the most recent failed jobs, the daily series.
import type { Flow } from '../core/schemas.js';
import type { NextStep } from './outcome.js';
import { plural } from './util.js';
import { rateOf, type JobTally } from './job-tally.js';
import { FAILED_JOBS_LISTED, type FailedRun, type HealthTally } from './health-tally.js';
import { splitStandalone, STANDALONE, verdictCounts } from './health-judge.js';
import { FAILED_JOBS_SHOWN, worstFirst, type ConnectionCheck, type HealthReport, type HealthSeries, type IntegrationHealth, type JobCounts, type ScheduleIssue, type Verdict } from './health-report.js';

export { FAILED_JOBS_LISTED };

/** The check's time span: the window, and the baseline's start. Times in ms. */
export interface HealthWindow {
  from: number;
  to: number;
  baseFrom: number;
  label: string;
  /** The time zone the window was read in, when it decided it ("yesterday" in Europe/Paris). */
  timeZone?: string;
  /** UTC days of the series, oldest first (the baseline's, then the window's). */
  days: string[];
}

export interface HealthFindings {
  window: HealthWindow;
  /** How many integrations were listed (the standalone flows are not one). */
  integrationCount: number;
  /** Judged and sorted, the standalone flows' group among them. */
  integrations: IntegrationHealth[];
  /** What was kept of the jobs read. */
  tally: HealthTally;
  byIntegration: ReadonlyMap<string, JobTally>;
  flows: readonly Flow[];
  checks: ConnectionCheck[];
  scheduleIssues: ScheduleIssue[];
}

/** Daily figures of one integration's jobs (its tally, if it has jobs), one entry per series day. */
export function seriesOf(dayCount: number, jobs: JobTally | undefined): Omit<HealthSeries['integrations'][number], 'integrationId' | 'name'> {
  const perDay = Array.from({ length: dayCount }, (_, i) => jobs?.dayPart(i));
  const runTimes = perDay.map((d, i) => (d && jobs ? jobs.dayRunTime(i) : [undefined, undefined]));
  return {
    jobs: perDay.map((d) => d?.counts.total ?? 0),
    failed: perDay.map((d) => d?.counts.failed ?? 0),
    successRate: perDay.map((d) => (d ? rateOf(d.counts) : null)),
    p50Ms: runTimes.map(([p50]) => p50 ?? null),
    p95Ms: runTimes.map(([, p95]) => p95 ?? null),
    errors: perDay.map((d) => d?.sums.numError ?? 0),
  };
}

/** The window's failed jobs kept (most recent first), with their flows' names. */
export function failedJobsOf(failed: readonly FailedRun[], flows: readonly Flow[]): HealthReport['failedJobs'] {
  // The names of those flows only (the last listed of an id, as a map of every flow would give).
  const wanted = new Set(failed.map((j) => j.flowId));
  const nameOf = new Map<string, string>();
  for (const f of flows) if (wanted.has(f._id)) nameOf.set(f._id, f.name);
  return failed.map((j) => ({ jobId: j.jobId, flowId: j.flowId, flowName: nameOf.get(j.flowId) ?? j.flowId, integrationId: j.integrationId ?? STANDALONE, status: j.status, createdAt: j.createdAt, numError: j.numError }));
}

/** Names the summary gives of each list (the worst first); the rest are counted. The report's lists have them all. */
export const SUMMARY_NAMES = 5;

/** "A, B, C, D, E and 205 more": at most SUMMARY_NAMES names. */
function someNames(names: readonly string[]): string {
  if (names.length <= SUMMARY_NAMES) return names.join(', ');
  return `${names.slice(0, SUMMARY_NAMES).join(', ')} and ${names.length - SUMMARY_NAMES} more`;
}

/**
 * The report's summary: integrations by verdict with the names of the worst bad ones (the standalone
 * flows get their own verdict, not a count), runs and open errors, connections down, schedule problems.
 * A sentence, whatever the account's size: on a large account naming every degraded integration made
 * it most of what `health --json summary` printed.
 */
export function summarySentence(f: Pick<HealthFindings, 'integrationCount' | 'integrations' | 'checks' | 'scheduleIssues'>, label: string, winJobs: JobCounts): string {
  const { integrations, standalone } = splitStandalone(f.integrations);
  const names = (verdict: Verdict) => someNames(integrations.filter((i) => i.verdict === verdict).sort(worstFirst).map((i) => i.name));
  const iv = verdictCounts(integrations);
  const sr = rateOf(winJobs);
  const totalOpen = f.integrations.reduce((n, i) => n + i.openErrors, 0);
  const down = f.checks.filter((c) => !c.ok);
  return [
    `${plural(f.integrationCount, 'integration')}: ${iv.failing} failing${iv.failing ? ` (${names('failing')})` : ''}, ${iv.degraded} degraded${iv.degraded ? ` (${names('degraded')})` : ''}, ${iv.healthy} healthy${standalone ? `; standalone flows ${standalone.verdict}` : ''}.`,
    `${plural(winJobs.total, 'run')} in ${label}${sr !== null ? `, ${Math.round(sr * 100)}% succeeded` : ''}, ${plural(winJobs.failed, 'failed run')}; ${plural(totalOpen, 'open error')}.`,
    f.checks.length ? `${plural(f.checks.length, 'connection')} tested, ${down.length} down${down.length ? ` (${someNames(down.map((d) => d.name ?? d.connectionId))})` : ''}.` : '',
    f.scheduleIssues.length ? `${plural(f.scheduleIssues.length, 'scheduled flow')} disabled or not run.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Everything of the report but the request count, which the caller reads last. */
export function assembleHealthReport(f: HealthFindings): Omit<HealthReport, 'requests'> {
  const { window: w } = f;
  const series: HealthSeries = {
    days: w.days,
    integrations: f.integrations.map((ih) => ({ integrationId: ih.integrationId, name: ih.name, ...seriesOf(w.days.length, f.byIntegration.get(ih.integrationId)) })),
  };
  return {
    window: { from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(), label: w.label, ...(w.timeZone ? { timeZone: w.timeZone } : {}) },
    baseline: { from: new Date(w.baseFrom).toISOString(), to: new Date(w.from).toISOString() },
    summary: summarySentence(f, w.timeZone ? `${w.label} (${w.timeZone})` : w.label, f.tally.allFlows.win.counts),
    verdicts: verdictCounts(f.integrations),
    integrations: f.integrations,
    failedJobs: failedJobsOf(f.tally.failed, f.flows),
    connections: f.checks,
    scheduleIssues: f.scheduleIssues,
    series,
  };
}

/**
 * What to do after a check (of one integration, or of the standalone flows' group, when `focus` is
 * given): troubleshoot the failing and degraded integrations (at most five; by name, or by id where two
 * share the name); see every failed run when the report lists only the newest; retry the window's failed
 * runs once the cause is fixed (account-wide, said explicitly as retry_failed_jobs requires). The
 * standalone flows have no integration to name, so their check suggests neither.
 */
/** The down connection an integration fails on, from its reasons ("connection down: X"), if any. */
function downConnectionOf(i: IntegrationHealth): string | undefined {
  return /connection down: ([^;]+)/.exec(i.reasons.join('; '))?.[1]?.trim();
}

/** The first integration of each cause, in order, with how many others share it. */
function oneEachCause(list: IntegrationHealth[]): { i: IntegrationHealth; alike: number }[] {
  const out: { i: IntegrationHealth; alike: number }[] = [];
  const byDown = new Map<string, { i: IntegrationHealth; alike: number }>();
  for (const i of list) {
    const down = downConnectionOf(i);
    const seen = down ? byDown.get(down) : undefined;
    if (seen) seen.alike++;
    else {
      const entry = { i, alike: 0 };
      out.push(entry);
      if (down) byDown.set(down, entry);
    }
  }
  return out;
}

export function nextAfterHealth(r: Pick<HealthReport, 'integrations' | 'failedJobs' | 'window'>, focus?: { integrationId: string }): NextStep[] {
  const shown = focus ? r.integrations.filter((i) => i.integrationId === focus.integrationId) : r.integrations;
  const failedJobs = focus ? r.failedJobs.filter((j) => j.integrationId === focus.integrationId) : r.failedJobs;
  // Worst first (as the report's table), one step per cause: integrations failing on the same down
  // connection share one troubleshoot (the others say how many more it explains).
  const bad = oneEachCause(shown.filter((i) => i.verdict !== 'healthy' && i.integrationId !== STANDALONE).sort(worstFirst));
  const shared = (name: string) => r.integrations.filter((i) => i.name.toLowerCase() === name.toLowerCase()).length > 1;
  const range = r.window.label;
  if (focus?.integrationId === STANDALONE) return [];
  const scope = focus ? { integration: focus.integrationId } : undefined;
  return [
    ...bad.slice(0, 5).map(({ i, alike }) => {
      const why = `${shared(i.name) ? `${i.name} is ${i.verdict}` : i.verdict}${alike ? `; ${alike} more ${alike === 1 ? 'integration fails' : 'integrations fail'} on the same down connection` : ''}`;
      return { op: 'troubleshoot', args: { integration: shared(i.name) ? i.integrationId : i.name }, why };
    }),
    ...(failedJobs.length > FAILED_JOBS_SHOWN ? [{ op: 'list_jobs', args: { status: 'failed', ...scope, range }, why: `every failed run of the window${focus ? ' in this integration' : ''}` }] : []),
    ...(bad.length && failedJobs.length ? [{ op: 'retry_failed_jobs', args: { range, ...(scope ?? { scope: 'account' }) }, why: 'after fixing the cause' }] : []),
  ];
}
