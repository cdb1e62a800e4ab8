// The health check's judging, case by case: inputs -> verdict and reasons, with no emulator and no clock.
import { describe, expect, it } from 'vitest';
import type { Flow, Integration, Job } from '../../src/core/schemas.js';
import { rowMaker, type JobRow } from '../../src/ops/job-rows.js';
import { tallyOf } from '../../src/ops/job-tally.js';
import { HealthTally } from '../../src/ops/health-tally.js';
import type { ConnectionCheck, FlowHealth, Verdict } from '../../src/ops/health-report.js';
import {
  connectionsToTest,
  DAY,
  errorsBaselineOf,
  errorTrend,
  flowsToTest,
  integrationGroups,
  judgeFlow,
  judgeIntegration,
  judgeIntegrations,
  scheduleIntervalMs,
  splitStandalone,
  STANDALONE,
  verdictCounts,
  withConnectionResults,
} from '../../src/ops/health-judge.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-01-15T12:00:00.000Z');
const FROM = NOW - DAY;
const DAYS = ['2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11', '2026-01-12', '2026-01-13', '2026-01-14', '2026-01-15'];
const toRow = rowMaker(FROM, NOW, DAYS);
const iso = (t: number) => new Date(t).toISOString();

let seq = 0;
/** A flow job created `hoursAgo` before NOW (over 24: in the baseline) that ran for `runMs`. */
function job(status: string, hoursAgo: number, extra: Partial<Job> & { runMs?: number } = {}): JobRow {
  const { runMs = 60_000, ...rest } = extra;
  const t = NOW - hoursAgo * HOUR;
  return toRow({ _id: `j${++seq}`, type: 'flow', status, createdAt: iso(t), startedAt: iso(t), endedAt: iso(t + runMs), _flowId: 'f1', ...rest });
}
const ok = (hoursAgo: number, extra?: Parameters<typeof job>[2]) => job('completed', hoursAgo, extra);
const failed = (hoursAgo: number, extra?: Parameters<typeof job>[2]) => job('failed', hoursAgo, extra);

const flow = (extra: Partial<Flow> = {}): Flow => ({ _id: 'f1', name: 'Orders', _integrationId: 'i1', ...extra });
const HOURLY = '? 0 * ? * *';

describe('judgeFlow', () => {
  const cases: { name: string; flow?: Partial<Flow>; rows: JobRow[]; span?: number; verdict: Verdict; reasons: string[]; issue?: 'disabled' | 'not run' }[] = [
    { name: 'no runs', rows: [], verdict: 'healthy', reasons: [] },
    { name: 'all failed', rows: [failed(3), failed(2), failed(1)], verdict: 'failing', reasons: ['last runs failed'] },
    { name: 'its one run failed', rows: [failed(1)], verdict: 'failing', reasons: ['last run failed'] },
    { name: 'a failure then a success (50%: not under half)', rows: [failed(2), ok(1)], verdict: 'degraded', reasons: ['1 failed run'] },
    { name: 'a success then a failure', rows: [ok(2), failed(1)], verdict: 'degraded', reasons: ['1 failed run'] },
    { name: 'the last two failed after successes', rows: [ok(4), ok(3), failed(2), failed(1)], verdict: 'failing', reasons: ['last runs failed'] },
    { name: 'under half succeeded though the last two did', rows: [failed(5), failed(4), failed(3), ok(2), ok(1)], verdict: 'failing', reasons: ['40% of runs succeeded'] },
    { name: 'runs with record errors', rows: [ok(3, { numError: 3 }), ok(2, { numError: 2 }), ok(1)], verdict: 'degraded', reasons: ['2 runs with record errors (5)'] },
    { name: 'a failed run and a run with record errors', rows: [failed(3, { numError: 1 }), ok(2, { numError: 4 }), ok(1)], verdict: 'degraded', reasons: ['1 failed run', '1 run with record errors (5)'] },
    { name: 'failing and record errors: stays failing', rows: [ok(3, { numError: 4 }), failed(2), failed(1)], verdict: 'failing', reasons: ['last runs failed', '1 run with record errors (4)'] },
    { name: 'only running and canceled jobs', rows: [job('canceled', 2), job('running', 1)], verdict: 'healthy', reasons: [] },
    { name: 'failures in the baseline only', rows: [failed(50), failed(49), ok(1)], verdict: 'healthy', reasons: [] },
    { name: 'p95 over twice the baseline and a minute longer', rows: [ok(50, { runMs: 60_000 }), ok(1, { runMs: 120_001 })], verdict: 'degraded', reasons: ['p95 run time 120 s vs 60 s before'] },
    { name: 'p95 exactly twice the baseline', rows: [ok(50, { runMs: 60_000 }), ok(1, { runMs: 120_000 })], verdict: 'healthy', reasons: [] },
    { name: 'p95 seven times the baseline but exactly a minute longer', rows: [ok(50, { runMs: 10_000 }), ok(1, { runMs: 70_000 })], verdict: 'healthy', reasons: [] },
    { name: 'p95 seven times the baseline and a minute and 1 ms longer', rows: [ok(50, { runMs: 10_000 }), ok(1, { runMs: 70_001 })], verdict: 'degraded', reasons: ['p95 run time 70 s vs 10 s before'] },
    { name: 'p95 slower without a baseline', rows: [ok(1, { runMs: 900_000 })], verdict: 'healthy', reasons: [] },
    { name: 'disabled scheduled flow', flow: { schedule: HOURLY, disabled: true }, rows: [], verdict: 'healthy', reasons: [], issue: 'disabled' },
    { name: 'disabled scheduled flow that failed', flow: { schedule: HOURLY, disabled: true }, rows: [failed(1)], verdict: 'failing', reasons: ['last run failed'], issue: 'disabled' },
    { name: 'scheduled, no run, window exactly 1.5 intervals', flow: { schedule: HOURLY }, rows: [], span: 1.5 * HOUR, verdict: 'degraded', reasons: ['scheduled but did not run'], issue: 'not run' },
    { name: 'scheduled, no run, window just under 1.5 intervals', flow: { schedule: HOURLY }, rows: [], span: 1.5 * HOUR - 1, verdict: 'healthy', reasons: [] },
    { name: 'scheduled, no run in the window, runs in the baseline', flow: { schedule: HOURLY }, rows: [ok(30)], verdict: 'degraded', reasons: ['scheduled but did not run'], issue: 'not run' },
    { name: 'scheduled and ran', flow: { schedule: HOURLY }, rows: [ok(1)], verdict: 'healthy', reasons: [] },
    { name: 'scheduled, failed and not run elsewhere: failed wins', flow: { schedule: HOURLY }, rows: [failed(1)], verdict: 'failing', reasons: ['last run failed'] },
    { name: 'standalone flow', flow: { _integrationId: undefined }, rows: [failed(1)], verdict: 'failing', reasons: ['last run failed'] },
  ];

  it.each(cases)('$name -> $verdict', (c) => {
    const f = flow(c.flow);
    const { health, scheduleIssue } = judgeFlow(f, tallyOf(c.rows), 7, c.span ?? DAY);
    expect({ verdict: health.verdict, reasons: health.reasons, issue: scheduleIssue?.issue }).toEqual({ verdict: c.verdict, reasons: c.reasons, issue: c.issue });
    expect(health.integrationId).toBe(f._integrationId ?? STANDALONE);
    expect(health.openErrors).toBe(7);
    const inWindow = c.rows.filter((r) => r.inWindow);
    expect(health.jobs.total).toBe(inWindow.length);
    expect(health.lastRun?.jobId).toBe([...inWindow].sort((a, b) => b.t - a.t)[0]?.job._id);
  });

  it('figures: success rate, records, run times', () => {
    const { health } = judgeFlow(flow(), tallyOf([ok(3, { numExport: 10, numSuccess: 8, numError: 2, numIgnore: 1 } as Partial<Job>), failed(2), ok(50, { runMs: 30_000 })]), 0, DAY);
    expect(health.successRate).toBe(0.5);
    expect(health.records).toEqual({ exported: 10, succeeded: 8, errors: 2, ignored: 1 });
    expect(health.runTime).toEqual({ p50Ms: 60_000, p95Ms: 60_000, baselineP50Ms: 30_000, baselineP95Ms: 30_000 });
    expect(judgeFlow(flow(), tallyOf([]), 0, DAY).health.successRate).toBeNull();
  });
});

describe('scheduleIntervalMs', () => {
  it.each([
    ['? 0 * ? * *', HOUR],
    ['? */15 * ? * *', 15 * 60_000],
    ['? 0 1 ? * *', DAY],
    ['? 0 1,13 ? * *', DAY / 2],
    // The longest gap between runs (croner, issue 13 item 7): the night, not an average.
    ['? 0 9-17 ? * *', 16 * HOUR],
    ['? * * ? * *', 60_000],
    ['? 0 1 ? * 1', 7 * DAY],
    ['? 0 1 15 * ?', 31 * DAY],
    ['0 * * * *', HOUR],
  ])('%s -> %d ms', (schedule, ms) => expect(scheduleIntervalMs(schedule)).toBe(ms));
});

describe('errorTrend and errorsBaselineOf', () => {
  it.each([
    [0, 0, 'flat'],
    [2, 0, 'flat'],
    [3, 0, 'up'],
    [17, 10, 'flat'],
    [18, 10, 'up'],
    [5, 10, 'flat'],
    [4, 10, 'down'],
    [0, 3, 'flat'],
    [0, 4, 'down'],
  ] as const)('%d in the window vs %d typical -> %s', (inWindow, baseline, trend) => expect(errorTrend(inWindow, baseline)).toBe(trend));

  it.each([
    [70, DAY, 10],
    [70, DAY / 2, 5],
    [3, DAY, 0],
    [4, DAY, 1],
    [0, DAY, 0],
  ])('%d baseline errors scaled to a window of %d ms -> %d', (errors, span, expected) => {
    expect(errorsBaselineOf(tallyOf([ok(50, { numError: errors })]).base.sums.numError, span)).toBe(expected);
  });
});

const fh = (name: string, verdict: Verdict, reasons: string[] = [], extra: Partial<FlowHealth> = {}): FlowHealth => ({
  flowId: name,
  name,
  integrationId: 'i1',
  disabled: false,
  jobs: { total: 0, completed: 0, failed: 0, canceled: 0, active: 0, withErrors: 0 },
  successRate: null,
  records: { exported: 0, succeeded: 0, errors: 0, ignored: 0 },
  openErrors: 1,
  runTime: {},
  verdict,
  reasons,
  ...extra,
});
const integ = (extra: Partial<Integration> = {}): Integration => ({ _id: 'i1', name: 'Shop', ...extra });
// A clean run in the baseline (50 hours ago): 10 errors now against a usual of none is up.
const errorsUp = [ok(2, { numError: 10 }), ok(50)];
const errorsDown = [ok(50, { numError: 70 })];

describe('judgeIntegration', () => {
  const cases: { name: string; group?: { id: string; name: string; integ?: Integration }; flows: FlowHealth[]; rows?: JobRow[]; verdict: Verdict; reasons: string[]; trend?: string; tag?: string }[] = [
    { name: 'no flows, no jobs', flows: [], verdict: 'healthy', reasons: [] },
    { name: 'healthy flows', flows: [fh('A', 'healthy'), fh('B', 'healthy')], verdict: 'healthy', reasons: [] },
    { name: 'a failing flow among healthy ones', flows: [fh('A', 'healthy'), fh('B', 'failing', ['last run failed'])], verdict: 'failing', reasons: ['B: last run failed'] },
    { name: 'a degraded flow', flows: [fh('A', 'degraded', ['1 failed run', 'p95 slow'])], verdict: 'degraded', reasons: ['A: 1 failed run; p95 slow'] },
    { name: 'failing then degraded: failing', flows: [fh('A', 'failing', ['x']), fh('B', 'degraded', ['y'])], verdict: 'failing', reasons: ['A: x', 'B: y'] },
    { name: 'errors up with healthy flows', flows: [fh('A', 'healthy')], rows: errorsUp, verdict: 'degraded', reasons: ['errors up: 10 vs 0 in a typical window of the previous 7 days'], trend: 'up' },
    { name: 'errors up and a failing flow', flows: [fh('A', 'failing', ['x'])], rows: errorsUp, verdict: 'failing', reasons: ['A: x', 'errors up: 10 vs 0 in a typical window of the previous 7 days'], trend: 'up' },
    { name: 'errors down', flows: [fh('A', 'healthy')], rows: errorsDown, verdict: 'healthy', reasons: [], trend: 'down' },
    { name: 'errors with nothing run before: new, not up', flows: [fh('A', 'healthy')], rows: [ok(2, { numError: 10 })], verdict: 'healthy', reasons: [], trend: 'new' },
    { name: 'errors at the boundary (3 vs 1 is flat)', flows: [], rows: [ok(2, { numError: 3 }), ok(50, { numError: 7 })], verdict: 'healthy', reasons: [], trend: 'flat' },
    { name: 'a critical-tagged integration: judged the same, tag shown', group: { id: 'i1', name: 'Shop', integ: integ({ tag: 'critical' }) }, flows: [fh('A', 'healthy')], verdict: 'healthy', reasons: [], tag: 'critical' },
    { name: 'a blank tag is no tag', group: { id: 'i1', name: 'Shop', integ: integ({ tag: ' ' }) }, flows: [], verdict: 'healthy', reasons: [] },
    { name: 'the standalone flows', group: { id: STANDALONE, name: 'Standalone flows' }, flows: [fh('S', 'degraded', ['z'], { integrationId: STANDALONE })], verdict: 'degraded', reasons: ['S: z'] },
  ];

  it.each(cases)('$name -> $verdict', (c) => {
    const g = c.group ?? { id: 'i1', name: 'Shop', integ: integ() };
    const r = judgeIntegration(g, c.flows, tallyOf(c.rows ?? []), DAY);
    expect({ verdict: r.verdict, reasons: r.reasons, trend: r.errorTrend, tag: r.tag }).toEqual({ verdict: c.verdict, reasons: c.reasons, trend: c.trend ?? 'flat', tag: c.tag });
    expect('tag' in r).toBe(c.tag !== undefined);
    expect(r.integrationId).toBe(g.id);
    expect(r.openErrors).toBe(c.flows.length);
    expect(r.flows).toBe(c.flows);
  });

  it('sorts failing, degraded, healthy, by name within each; groups the standalone flows last when there are any', () => {
    const flows = [fh('a', 'healthy', [], { integrationId: 'i1' }), fh('b', 'failing', ['x'], { integrationId: 'i3' }), fh('c', 'healthy', [], { integrationId: STANDALONE })];
    const integrations = [integ({ _id: 'i1', name: 'Zed' }), integ({ _id: 'i2', name: 'Alpha' }), integ({ _id: 'i3', name: 'Mid' })];
    const groups = integrationGroups(integrations, flows);
    expect(groups.map((g) => g.name)).toEqual(['Zed', 'Alpha', 'Mid', 'Standalone flows']);
    expect(integrationGroups(integrations, flows.slice(0, 2)).map((g) => g.id)).toEqual(['i1', 'i2', 'i3']);
    const judged = judgeIntegrations(groups, flows, new Map(), DAY);
    expect(judged.map((i) => `${i.name}:${i.verdict}`)).toEqual(['Mid:failing', 'Alpha:healthy', 'Standalone flows:healthy', 'Zed:healthy']);
    expect(verdictCounts(judged)).toEqual({ healthy: 3, degraded: 0, failing: 1 });
    const { integrations: proper, standalone } = splitStandalone(judged);
    expect(proper.map((i) => i.name)).toEqual(['Mid', 'Alpha', 'Zed']);
    expect(standalone?.name).toBe('Standalone flows');
    expect(verdictCounts(proper)).toEqual({ healthy: 2, degraded: 0, failing: 1 });
  });
});

describe('which connections to test', () => {
  const steps = (id: string, ...exps: string[]): Partial<Flow> => ({ _id: id, pageGenerators: exps.map((e) => ({ _exportId: e })) });
  const flows: Flow[] = [
    flow({ ...steps('f1', 'e1'), _integrationId: 'i1' }),
    flow({ ...steps('f2', 'e2'), _integrationId: 'i2' }),
    flow({ ...steps('f3', 'e3'), _integrationId: 'i2', disabled: true }),
  ];
  const cases: { name: string; verdicts: Verdict[]; disabled?: boolean[]; tags?: (string | undefined)[]; expected: string[] }[] = [
    { name: 'all healthy, nothing critical: none', verdicts: ['healthy', 'healthy', 'healthy'], expected: [] },
    { name: 'a failing flow', verdicts: ['failing', 'healthy', 'healthy'], expected: ['f1: used by failing flow'] },
    { name: 'a degraded flow', verdicts: ['healthy', 'degraded', 'healthy'], expected: ['f2: used by degraded flow'] },
    { name: 'a failing but disabled flow: none', verdicts: ['healthy', 'healthy', 'failing'], disabled: [false, false, true], expected: [] },
    { name: 'a critical-tagged integration: its enabled flows', verdicts: ['healthy', 'healthy', 'healthy'], tags: [undefined, 'critical'], expected: ['f2: integration tagged critical'] },
    { name: 'the tag compared case-insensitively, blanks ignored', verdicts: ['healthy', 'healthy', 'healthy'], tags: [' Critical ', undefined], expected: ['f1: integration tagged critical'] },
    { name: 'another tag: none', verdicts: ['healthy', 'healthy', 'healthy'], tags: ['crit', 'important'], expected: [] },
    { name: 'a failing flow of a critical integration: both reasons, problems first', verdicts: ['healthy', 'failing', 'healthy'], tags: [undefined, 'critical'], expected: ['f2: used by failing flow', 'f2: integration tagged critical'] },
  ];

  it.each(cases)('$name', (c) => {
    const health = flows.map((f, i) => fh(f._id, c.verdicts[i], [], { flowId: f._id, disabled: c.disabled?.[i] ?? !!f.disabled }));
    const integrations = [integ({ _id: 'i1', tag: c.tags?.[0] }), integ({ _id: 'i2', tag: c.tags?.[1] })];
    expect(flowsToTest(health, flows, integrations).map((x) => `${x.flow._id}: ${x.why}`)).toEqual(c.expected);
  });

  it('collects the connections of those flows with every reason and flow, skipping steps of unknown connection', () => {
    const both = flow({ _id: 'f4', pageGenerators: [{ _exportId: 'e1' }], pageProcessors: [{ _importId: 'm1' }, { _importId: 'unknown' }] });
    const toTest = connectionsToTest(
      [{ flow: flows[0], why: 'used by failing flow' }, { flow: both, why: 'integration tagged critical' }],
      new Map([['e1', 'c1'], ['m1', 'c2']]),
    );
    expect([...toTest].map(([cid, e]) => [cid, [...e.reasons], [...e.flows]])).toEqual([
      ['c1', ['used by failing flow', 'integration tagged critical'], ['f1', 'f4']],
      ['c2', ['integration tagged critical'], ['f4']],
    ]);
  });
});

describe('withConnectionResults', () => {
  const check = (id: string, ok: boolean, flows: string[], name?: string): ConnectionCheck => ({ connectionId: id, name, ok, reasons: [], usedByFlows: flows });
  const cases: { name: string; checks: ConnectionCheck[]; expected: [Verdict, string[]][] }[] = [
    { name: 'no checks', checks: [], expected: [['healthy', []], ['degraded', ['1 failed run']]] },
    { name: 'a connection up', checks: [check('c1', true, ['A', 'B'], 'SF')], expected: [['healthy', []], ['degraded', ['1 failed run']]] },
    { name: 'a connection down', checks: [check('c1', false, ['B'], 'SF')], expected: [['healthy', []], ['failing', ['connection down: SF', '1 failed run']]] },
    { name: 'two down, one unnamed', checks: [check('c1', false, ['A'], 'SF'), check('c2', false, ['A'])], expected: [['failing', ['connection down: SF, c2']], ['degraded', ['1 failed run']]] },
  ];
  it.each(cases)('$name', (c) => {
    const before = [fh('A', 'healthy'), fh('B', 'degraded', ['1 failed run'])];
    const after = withConnectionResults(before, c.checks);
    expect(after.map((f) => [f.verdict, f.reasons])).toEqual(c.expected);
    expect(before.map((f) => f.verdict)).toEqual(['healthy', 'degraded']);
  });
});

describe('HealthTally', () => {
  it('adds the open errors of flow and retry jobs by flow; jobs without a flow are left out', () => {
    const rows = [ok(1, { numOpenError: 3 }), job('completed', 2, { type: 'retry', numOpenError: 2 }), ok(3, { _flowId: 'f2' }), ok(4, { _flowId: undefined, numOpenError: 9 })];
    const t = new HealthTally();
    for (const r of rows) t.add(r);
    expect([...t.openByFlow]).toEqual([['f1', 5], ['f2', 0]]);
    expect([...t.byFlow.keys()]).toEqual(['f1', 'f2']);
    expect(t.allFlows.win.counts.total).toBe(3);
  });

  it('keeps the newest failed runs of the window only, newest first, and no job', () => {
    const t = new HealthTally();
    for (let h = 1; h <= 60; h++) t.add(failed(h / 3));
    t.add(failed(30));
    expect(t.failed).toHaveLength(50);
    expect(t.failed[0].createdAt > t.failed[1].createdAt).toBe(true);
    expect(t.failed.every((f) => f.t >= FROM)).toBe(true);
    expect(t.read).toBe(61);
  });
});
