// The judging half of the daily health check (health.ts): pure functions of what it read, with no I/O and
// no clock (the window arrives already applied to the job rows, and its length as `span`). Verdicts per
// flow and per integration (the standalone flows are judged as one more group), which connections to
// test, the error trend and the verdict counts.
import type { Connection, Flow, Integration } from '../core/schemas.js';
import { flowSteps } from '../core/flows.js';
import { hasTag, tagOf } from './tags.js';
import { groupBy, plural } from './util.js';
import { scheduleIntervalMs } from './schedule.js';
import { JobTally, mergedTally, rateOf, runTimeOf, TallyTable } from './job-tally.js';
import type { ConnectionCheck, ErrorTrend, FlowHealth, JobCounts, IntegrationHealth, ScheduleIssue, Verdict } from './health-report.js';

export const DAY = 86_400_000;
export const BASELINE_DAYS = 7;

/** A flow whose window has a success rate under this is failing. */
export const FAILING_SUCCESS_RATE = 0.5;
/** A flow whose p95 run time is over this many times the baseline's, and SLOWER_BY_MS longer, is degraded. */
export const SLOWER_FACTOR = 2;
export const SLOWER_BY_MS = 60_000;
/** A scheduled flow with no run in a window of at least this many schedule intervals (its longest gap between runs) did not run. */
export const NOT_RUN_INTERVALS = 1.5;

const VERDICT_ORDER: Record<Verdict, number> = { failing: 0, degraded: 1, healthy: 2 };

/** The integration id of flows outside any integration, and of their group. */
export const STANDALONE = '';
export const STANDALONE_NAME = 'Standalone flows';

// How often a schedule runs is read by croner, as where schedules are set (schedule.ts, issue 13 item 7).
export { scheduleIntervalMs };

// ---- per flow ----

/** A verdict and its reasons, built up check by check: a later check never makes it better. */
class Judgement {
  verdict: Verdict = 'healthy';
  readonly reasons: string[] = [];
  fail(reason: string): void {
    this.verdict = 'failing';
    this.reasons.push(reason);
  }
  /** At least as bad as `v`, with no reason of its own. */
  atLeast(v: Verdict): void {
    if (VERDICT_ORDER[v] < VERDICT_ORDER[this.verdict]) this.verdict = v;
  }
  degrade(reason: string): void {
    if (this.verdict === 'healthy') this.verdict = 'degraded';
    this.reasons.push(reason);
  }
}

/** What the runs say (`lastFinished`: the statuses of the window's newest finished runs, newest first): the last one or two failed, most failed, some failed. */
function judgeRuns(j: Judgement, c: JobCounts, lastFinished: readonly string[], recordErrors: number): void {
  const finished = c.completed + c.failed;
  const lastTwoFailed = finished >= 2 && lastFinished[0] === 'failed' && lastFinished[1] === 'failed';
  const sr = rateOf(c);
  if (lastTwoFailed || (finished === 1 && lastFinished[0] === 'failed')) j.fail(`last ${lastTwoFailed ? 'runs' : 'run'} failed`);
  else if (sr !== null && sr < FAILING_SUCCESS_RATE) j.fail(`${Math.round(sr * 100)}% of runs succeeded`);
  else if (c.failed > 0) j.degrade(`${plural(c.failed, 'failed run')}`);
  if (c.withErrors > 0) j.degrade(`${plural(c.withErrors, 'run')} with record errors (${recordErrors})`);
}

/** A flow's schedule problem: disabled, or no run in a window long enough for one and a half intervals. */
export function scheduleIssueOf(f: Flow, runsInWindow: number, span: number): ScheduleIssue | undefined {
  if (!f.schedule) return undefined;
  const issue = { flowId: f._id, name: f.name, integrationId: f._integrationId ?? STANDALONE, schedule: f.schedule };
  if (f.disabled) return { ...issue, issue: 'disabled' };
  if (runsInWindow === 0 && span >= scheduleIntervalMs(f.schedule) * NOT_RUN_INTERVALS) return { ...issue, issue: 'not run' };
  return undefined;
}

/**
 * One flow's health from the tally of its flow jobs (window and baseline) and its open errors: failing
 * when its last run or two failed or under half its runs succeeded; degraded for failed runs, runs with
 * record errors, a p95 run time over twice the baseline's and a minute longer, or a schedule that did not run.
 */
export function judgeFlow(f: Flow, jobs: JobTally, openErrors: number, span: number): { health: FlowHealth; scheduleIssue?: ScheduleIssue } {
  // Each read of the tally's figures is a new object: the report keeps them as they come.
  const { win } = jobs;
  const c = win.counts;
  const last = jobs.newest;
  const recordErrors = win.sums.numError;
  const rt = runTimeOf(jobs);
  const j = new Judgement();
  judgeRuns(j, c, jobs.lastFinishedStatuses, recordErrors);
  if (rt.p95Ms !== undefined && rt.baselineP95Ms !== undefined && rt.p95Ms > SLOWER_FACTOR * rt.baselineP95Ms && rt.p95Ms - rt.baselineP95Ms > SLOWER_BY_MS) {
    j.degrade(`p95 run time ${Math.round(rt.p95Ms / 1000)} s vs ${Math.round(rt.baselineP95Ms / 1000)} s before`);
  }
  const scheduleIssue = scheduleIssueOf(f, c.total, span);
  if (scheduleIssue?.issue === 'not run') j.degrade('scheduled but did not run');
  const health: FlowHealth = {
    flowId: f._id,
    name: f.name,
    integrationId: f._integrationId ?? STANDALONE,
    disabled: !!f.disabled,
    schedule: f.schedule,
    jobs: c,
    successRate: rateOf(c),
    records: {
      exported: win.sums.numExport,
      succeeded: win.sums.numSuccess,
      errors: recordErrors,
      ignored: win.sums.numIgnore,
    },
    openErrors,
    lastRun: last ? { jobId: last.jobId, status: last.status, at: last.at } : undefined,
    runTime: rt,
    verdict: j.verdict,
    reasons: j.reasons,
  };
  return { health, scheduleIssue };
}

/** Every flow judged, in the order listed, with the schedule problems found on the way. */
export function judgeFlows(flows: readonly Flow[], byFlow: ReadonlyMap<string, JobTally>, openByFlow: ReadonlyMap<string, number>, span: number) {
  const flowHealth: FlowHealth[] = [];
  const scheduleIssues: ScheduleIssue[] = [];
  const none = new JobTally();
  for (const f of flows) {
    const { health, scheduleIssue } = judgeFlow(f, byFlow.get(f._id) ?? none, openByFlow.get(f._id) ?? 0, span);
    flowHealth.push(health);
    if (scheduleIssue) scheduleIssues.push(scheduleIssue);
  }
  return { flowHealth, scheduleIssues };
}

// ---- connections ----

/**
 * The flows whose connections are to be tested, and why: enabled flows judged failing or degraded, then
 * the enabled flows of integrations tagged critical. None: no connection test, and no need to know which
 * connection each export and import uses.
 */
export function flowsToTest(flowHealth: readonly FlowHealth[], flows: readonly Flow[], integrations: readonly Integration[]): { flow: Flow; why: string }[] {
  const flowOf = flowLookup(flowHealth, flows);
  const critical = new Set(integrations.filter((i) => hasTag(i, 'critical')).map((i) => i._id));
  return [
    ...flowHealth.flatMap((fh, i) => (fh.verdict !== 'healthy' && !fh.disabled ? [{ flow: flowOf(fh, i), why: `used by ${fh.verdict} flow` }] : [])),
    ...flows.filter((f) => f._integrationId && critical.has(f._integrationId) && !f.disabled).map((f) => ({ flow: f, why: 'integration tagged critical' })),
  ];
}

/**
 * The flow each judged flow was judged from. judgeFlows keeps the order of the flows, so the flow of the
 * i-th judgement is the i-th flow; a map of every flow (a megabyte on a large account) only when not.
 */
function flowLookup(flowHealth: readonly FlowHealth[], flows: readonly Flow[]): (fh: FlowHealth, i: number) => Flow {
  const aligned = flowHealth.length === flows.length && flowHealth.every((fh, i) => flows[i]!._id === fh.flowId);
  if (aligned) return (_fh, i) => flows[i]!;
  const flowById = new Map(flows.map((f) => [f._id, f]));
  return (fh) => flowById.get(fh.flowId)!;
}

export interface ConnectionToTest {
  reasons: Set<string>;
  flows: Set<string>;
}

/** The connections those flows' steps use (by export or import id), each with its reasons and flows. */
export function connectionsToTest(candidates: readonly { flow: Flow; why: string }[], connectionOf: ReadonlyMap<string, string>): Map<string, ConnectionToTest> {
  const toTest = new Map<string, ConnectionToTest>();
  for (const { flow, why } of candidates) {
    for (const st of flowSteps(flow)) {
      const cid = connectionOf.get(st.id);
      if (!cid) continue;
      let e = toTest.get(cid);
      if (!e) toTest.set(cid, (e = { reasons: new Set(), flows: new Set() }));
      e.reasons.add(why);
      e.flows.add(flow._id);
    }
  }
  return toTest;
}

/** The part of a connection check known before the test: which connection, and why it is tested. */
export function checkBase(cid: string, why: ConnectionToTest, c: Pick<Connection, 'name' | 'type'> | undefined): Omit<ConnectionCheck, 'ok'> {
  return { connectionId: cid, name: c?.name, type: c?.type, reasons: [...why.reasons], usedByFlows: [...why.flows] };
}

/** The flows again, with those that use a connection found down now failing for that reason first. */
export function withConnectionResults(flowHealth: readonly FlowHealth[], checks: readonly ConnectionCheck[]): FlowHealth[] {
  const downFlows = new Map<string, string[]>();
  for (const ch of checks) if (!ch.ok) for (const fid of ch.usedByFlows) downFlows.set(fid, [...(downFlows.get(fid) ?? []), ch.name ?? ch.connectionId]);
  return flowHealth.map((fh) => {
    const down = downFlows.get(fh.flowId);
    return down ? { ...fh, verdict: 'failing', reasons: [`connection down: ${down.join(', ')}`, ...fh.reasons] } : fh;
  });
}

// ---- per integration ----

/** Record errors in the window against those of an average window of the same length in the baseline. */
export function errorTrend(inWindow: number, baseline: number): 'up' | 'down' | 'flat' {
  if (inWindow > baseline * 1.5 + 2) return 'up';
  if (inWindow < baseline / 1.5 - 2) return 'down';
  return 'flat';
}

/** Baseline record errors (`baseErrors`, over BASELINE_DAYS) scaled to a window of `span` ms. */
export function errorsBaselineOf(baseErrors: number, span: number): number {
  return Math.round((baseErrors * span) / (BASELINE_DAYS * DAY));
}

export interface IntegrationGroup {
  id: string;
  name: string;
  integ?: Integration;
}

/** The integrations as listed, then the standalone flows as one more group when there are any. */
export function integrationGroups(integrations: readonly Integration[], flowHealth: readonly FlowHealth[]): IntegrationGroup[] {
  const groups: IntegrationGroup[] = integrations.map((i) => ({ id: i._id, name: i.name, integ: i }));
  if (flowHealth.some((f) => f.integrationId === STANDALONE)) groups.push({ id: STANDALONE, name: STANDALONE_NAME });
  return groups;
}

/**
 * The jobs of each integration, through their flows: the tallies of its flows added up. Jobs of a flow
 * not listed belong to no integration.
 */
export function tallyByIntegration(flowHealth: readonly FlowHealth[], byFlow: ReadonlyMap<string, JobTally>): Map<string, JobTally> {
  // One integration per flow id (the last flow listed with that id wins, as a Map built from them would).
  const integrationOfFlow = new Map(flowHealth.map((f) => [f.flowId, f.integrationId]));
  const flowsOf = new Map<string, JobTally[]>();
  for (const [flowId, integrationId] of integrationOfFlow) {
    const t = byFlow.get(flowId);
    if (!t) continue;
    let l = flowsOf.get(integrationId);
    if (!l) flowsOf.set(integrationId, (l = []));
    l.push(t);
  }
  // Their run times are read from the flows' tallies when asked for, not copied (a large account's are millions of numbers).
  const table = new TallyTable(0, 'link');
  return new Map([...flowsOf].map(([id, tallies]) => [id, mergedTally(tallies, table)]));
}

/**
 * One integration (or the standalone flows) from its judged flows and its jobs: as bad as its worst flow,
 * and at least degraded when its record errors are up on the baseline.
 */
export function judgeIntegration(g: IntegrationGroup, flows: FlowHealth[], jobs: JobTally, span: number): IntegrationHealth {
  const c = jobs.win.counts;
  const errorsInWindow = jobs.win.sums.numError;
  const errorsBaseline = errorsBaselineOf(jobs.base.sums.numError, span);
  // No run at all in the baseline: "errors up, 196 vs 0" would compare with nothing.
  const trend: ErrorTrend = jobs.base.counts.total === 0 && c.total > 0 ? 'new' : errorTrend(errorsInWindow, errorsBaseline);
  const j = new Judgement();
  for (const f of flows) {
    j.atLeast(f.verdict);
    if (f.verdict !== 'healthy') j.reasons.push(`${f.name}: ${f.reasons.join('; ')}`);
  }
  if (trend === 'up' && errorsInWindow > 0) j.degrade(`errors up: ${errorsInWindow} vs ${errorsBaseline} in a typical window of the previous 7 days`);
  const tag = g.integ ? tagOf(g.integ) : undefined;
  return {
    integrationId: g.id,
    name: g.name,
    verdict: j.verdict,
    reasons: j.reasons,
    ...(tag !== undefined ? { tag } : {}),
    jobs: c,
    successRate: rateOf(c),
    openErrors: flows.reduce((n, f) => n + f.openErrors, 0),
    errorsInWindow,
    errorsBaseline,
    errorTrend: trend,
    runTime: runTimeOf(jobs),
    flows,
  };
}

/** Every group judged, failing first, then degraded, then healthy, by name within each. */
export function judgeIntegrations(groups: readonly IntegrationGroup[], flowHealth: readonly FlowHealth[], byIntegration: ReadonlyMap<string, JobTally>, span: number): IntegrationHealth[] {
  const flowsByIntegration = groupBy(flowHealth, (f) => f.integrationId);
  const none = new JobTally();
  return groups
    .map((g) => judgeIntegration(g, flowsByIntegration.get(g.id) ?? [], byIntegration.get(g.id) ?? none, span))
    .sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || a.name.localeCompare(b.name));
}

// ---- counts ----

export type VerdictCounts = Record<Verdict, number>;

export function verdictCounts(list: readonly { verdict: Verdict }[]): VerdictCounts {
  const v = { healthy: 0, degraded: 0, failing: 0 };
  for (const i of list) v[i.verdict]++;
  return v;
}

/** The integrations proper (counted in the summary) apart from the standalone flows' group. */
export function splitStandalone(integrationHealth: readonly IntegrationHealth[]): { integrations: IntegrationHealth[]; standalone?: IntegrationHealth } {
  const standalone = integrationHealth.find((i) => i.integrationId === STANDALONE);
  return { integrations: integrationHealth.filter((i) => i !== standalone), standalone };
}

/**
 * Verdicts as the summary sentence counts them: integrations proper, and the standalone flows' own
 * verdict apart (the report's `verdicts` counts the standalone group among them).
 */
export function integrationVerdicts(integrationHealth: readonly IntegrationHealth[]): VerdictCounts & { standalone?: Verdict } {
  const { integrations, standalone } = splitStandalone(integrationHealth);
  return { ...verdictCounts(integrations), ...(standalone ? { standalone: standalone.verdict } : {}) };
}
