// The health report's summary sentence and failed-jobs list, from judged figures (no emulator).
import { describe, expect, it } from 'vitest';
import { rowMaker, type JobRow } from '../../src/ops/job-rows.js';
import { HealthTally } from '../../src/ops/health-tally.js';
import { failedJobsOf, FAILED_JOBS_LISTED, nextAfterHealth, summarySentence } from '../../src/ops/health-assemble.js';
import { STANDALONE } from '../../src/ops/health-judge.js';
import { FAILED_JOBS_SHOWN, type ConnectionCheck, type HealthReport, type IntegrationHealth, type ScheduleIssue, type Verdict } from '../../src/ops/health-report.js';
import { nextForModel } from '../../src/operations/next.js';

const NOW = Date.parse('2026-01-15T12:00:00.000Z');
const toRow = rowMaker(NOW - 86_400_000, NOW, []);
const tallied = (rows: JobRow[]) => {
  const t = new HealthTally();
  for (const r of rows) t.add(r);
  return t;
};
const row = (i: number, status: string) => toRow({ _id: `j${i}`, type: 'flow', status, createdAt: new Date(NOW - i * 60_000).toISOString(), _flowId: i % 2 ? 'f1' : 'gone', numError: i });
const ih = (name: string, verdict: Verdict, openErrors = 0, integrationId = name, failed = 0, reasons: string[] = []) =>
  ({ integrationId, name, verdict, openErrors, jobs: { total: 10, failed }, reasons }) as IntegrationHealth;
const issue = { flowId: 'f', name: 'F', integrationId: 'i', schedule: '? 0 1 ? * *', issue: 'disabled' } as ScheduleIssue;
const conn = (name: string, ok: boolean): ConnectionCheck => ({ connectionId: `id-${name}`, name, ok, reasons: [], usedByFlows: [] });

describe('summarySentence', () => {
  it.each([
    { name: 'an empty account', count: 0, integrations: [], rows: [], expected: '0 integrations: 0 failing, 0 degraded, 0 healthy. 0 runs in last 24 hours, 0 failed runs; 0 open errors.' },
    {
      name: 'failing and degraded named, standalone flows apart',
      count: 3,
      integrations: [ih('B', 'failing', 2), ih('C', 'degraded', 1), ih('A', 'healthy'), ih('Standalone flows', 'degraded', 4, STANDALONE)],
      rows: [row(1, 'completed'), row(2, 'failed'), row(3, 'completed'), row(4, 'running')],
      expected: '3 integrations: 1 failing (B), 1 degraded (C), 1 healthy; standalone flows degraded. 4 runs in last 24 hours, 67% succeeded, 1 failed run; 7 open errors.',
    },
    {
      name: 'connections down and schedule problems',
      count: 1,
      integrations: [ih('A', 'healthy', 1)],
      rows: [row(1, 'completed')],
      checks: [conn('SF', false), conn('NS', true)],
      issues: [issue, issue],
      expected: '1 integration: 0 failing, 0 degraded, 1 healthy. 1 run in last 24 hours, 100% succeeded, 0 failed runs; 1 open error. 2 connections tested, 1 down (SF). 2 scheduled flows disabled or not run.',
    },
    {
      name: 'a large account: the five worst of each verdict named, the rest counted (the report lists them all)',
      count: 215,
      integrations: [
        ...Array.from({ length: 7 }, (_, i) => ih(`F${i}`, 'failing', i, `F${i}`, i)),
        ...Array.from({ length: 208 }, (_, i) => ih(`D${String(i).padStart(3, '0')}`, 'degraded', i % 10)),
      ],
      rows: [row(1, 'completed')],
      checks: Array.from({ length: 9 }, (_, i) => conn(`C${i}`, false)),
      expected:
        '215 integrations: 7 failing (F6, F5, F4, F3, F2 and 2 more), 208 degraded (D009, D019, D029, D039, D049 and 203 more), 0 healthy. 1 run in last 24 hours, 100% succeeded, 0 failed runs; 949 open errors. 9 connections tested, 9 down (C0, C1, C2, C3, C4 and 4 more).',
    },
  ])('$name', (c) => {
    const text = summarySentence({ integrationCount: c.count, integrations: c.integrations, checks: c.checks ?? [], scheduleIssues: c.issues ?? [] }, 'last 24 hours', tallied(c.rows).allFlows.win.counts);
    expect(text).toBe(c.expected);
  });
});

describe('failedJobsOf', () => {
  it(`lists the failed jobs, newest first, at most ${FAILED_JOBS_LISTED}, with their flow's name when the flow is known`, () => {
    // Read oldest first: the tally keeps the newest whatever the order the pages come in.
    const rows = Array.from({ length: 120 }, (_, i) => row(120 - i, (119 - i) % 3 ? 'failed' : 'completed'));
    const list = failedJobsOf(tallied(rows).failed, [{ _id: 'f1', name: 'Orders' }]);
    expect(list).toHaveLength(FAILED_JOBS_LISTED);
    expect(list.map((j) => j.jobId).slice(0, 3)).toEqual(['j2', 'j3', 'j5']);
    expect(list[0]).toMatchObject({ flowId: 'gone', flowName: 'gone', integrationId: STANDALONE, numError: 2 });
    expect(list[1]).toMatchObject({ flowId: 'f1', flowName: 'Orders' });
  });
});

describe('nextAfterHealth', () => {
  const window = { from: '', to: '', label: 'yesterday' };
  const failed = (n: number) => Array.from({ length: n }, (_, i) => ({ jobId: `j${i}` })) as HealthReport['failedJobs'];

  it('nothing to do on a healthy account', () => {
    expect(nextAfterHealth({ integrations: [ih('A', 'healthy')], failedJobs: failed(3), window })).toEqual([]);
  });

  it('troubleshoots at most five bad integrations (not the standalone flows), by name unless two share it; then all failed runs, then a retry', () => {
    const integrations = [ih('B', 'failing', 0, 'i-b'), ih('C', 'degraded', 0, 'i-c1'), ih('c', 'healthy', 0, 'i-c2'), ih('Standalone flows', 'failing', 0, STANDALONE), ...['D', 'E', 'F', 'G'].map((n) => ih(n, 'degraded'))];
    const next = nextAfterHealth({ integrations, failedJobs: failed(FAILED_JOBS_SHOWN + 1), window });
    expect(nextForModel(next)).toEqual([
      '- troubleshoot {"integration":"B"}: failing',
      '- troubleshoot {"integration":"i-c1"}: C is degraded',
      '- troubleshoot {"integration":"D"}: degraded',
      '- troubleshoot {"integration":"E"}: degraded',
      '- troubleshoot {"integration":"F"}: degraded',
      '- list_jobs {"status":"failed","range":"yesterday"}: every failed run of the window',
      '- retry_failed_jobs {"range":"yesterday","scope":"account"}: after fixing the cause',
    ]);
    expect(nextAfterHealth({ integrations, failedJobs: [], window }).map((s) => s.op)).toEqual(Array(5).fill('troubleshoot'));
  });

  it('worst first, one step per down connection (the others counted in its reason)', () => {
    const down = (c: string) => [`Flow x: connection down: ${c}`];
    const integrations = [
      ih('A1', 'failing', 5, 'a1', 2, down('SFTP 37')),
      ih('A2', 'failing', 50, 'a2', 9, down('SFTP 37')),
      ih('B1', 'failing', 1, 'b1', 3, down('S3 37')),
      ih('C1', 'degraded', 99, 'c1', 0, ['Flow y: 99 open errors']),
      ih('A3', 'failing', 0, 'a3', 1, down('SFTP 37')),
    ];
    expect(nextForModel(nextAfterHealth({ integrations, failedJobs: [], window }))).toEqual([
      '- troubleshoot {"integration":"A2"}: failing; 2 more integrations fail on the same down connection',
      '- troubleshoot {"integration":"B1"}: failing',
      '- troubleshoot {"integration":"C1"}: degraded',
    ]);
  });

  it('of one integration: troubleshoot it, its failed runs and retry scoped to it; the standalone flows suggest none', () => {
    const integrations = [ih('B', 'failing', 0, 'i-b'), ih('D', 'degraded', 0, 'i-d'), ih('Standalone flows', 'failing', 0, STANDALONE)];
    const failedJobs = Array.from({ length: FAILED_JOBS_SHOWN + 1 }, (_, i) => ({ jobId: `j${i}`, integrationId: i % 2 ? 'i-b' : 'i-d' }));
    expect(nextForModel(nextAfterHealth({ integrations, failedJobs: failedJobs as HealthReport['failedJobs'], window }, { integrationId: 'i-d' }))).toEqual([
      '- troubleshoot {"integration":"D"}: degraded',
      '- retry_failed_jobs {"range":"yesterday","integration":"i-d"}: after fixing the cause',
    ]);
    const many = Array.from({ length: 2 * FAILED_JOBS_SHOWN }, (_, i) => ({ jobId: `j${i}`, integrationId: 'i-b' })) as HealthReport['failedJobs'];
    expect(nextForModel(nextAfterHealth({ integrations, failedJobs: many, window }, { integrationId: 'i-b' }))).toContain('- list_jobs {"status":"failed","integration":"i-b","range":"yesterday"}: every failed run of the window in this integration');
    expect(nextAfterHealth({ integrations, failedJobs: many, window }, { integrationId: STANDALONE })).toEqual([]);
  });
});
