// The tallies of many flows side by side in one TallyTable (job-tally.ts) say exactly what the jobs say:
// each flow's counts, record sums, series days, run times and named runs, checked against the rows
// themselves, for random jobs spread over many flows in any order (ties in time included), and merged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/core/schemas.js';
import { rowMaker, type JobRow } from '../../src/ops/job-rows.js';
import { JobTally, mergedTally, TallyTable } from '../../src/ops/job-tally.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-01-15T12:00:00.000Z');
const FROM = NOW - DAY;
const DAYS = Array.from({ length: 9 }, (_, i) => new Date(Date.parse('2026-01-07') + i * DAY).toISOString().slice(0, 10));
const STATUSES = ['completed', 'failed', 'canceled', 'running'] as const;

const jobArb = fc.record({
  flow: fc.integer({ min: 0, max: 5 }),
  // Whole minutes over the window and the baseline: many jobs share a time.
  minutesAgo: fc.integer({ min: 0, max: 8 * 24 * 60 }),
  status: fc.constantFrom(...STATUSES),
  runMs: fc.option(fc.integer({ min: 0, max: 5 * 3_600_000 }), { nil: undefined }),
  numError: fc.integer({ min: 0, max: 3 }),
  numExport: fc.integer({ min: 0, max: 50 }),
});

type JobSpec = { flow: number; minutesAgo: number; status: (typeof STATUSES)[number]; runMs?: number; numError: number; numExport: number };

function rowsOf(specs: JobSpec[], dayCount: number): { flow: number; row: JobRow }[] {
  const toRow = rowMaker(FROM, NOW, DAYS.slice(DAYS.length - dayCount));
  return specs.map((s, i) => {
    const t = NOW - s.minutesAgo * 60_000;
    const iso = new Date(t).toISOString();
    const timed = s.runMs !== undefined ? { startedAt: iso, endedAt: new Date(t + s.runMs).toISOString() } : {};
    // Ids of every kind a run keeps: short, Celigo's 24 hex digits, longer than that, not ASCII.
    const _id = [`j${i}`, (0x665f0000 + i).toString(16).padStart(24, '0'), `a-very-long-job-identifier-${i}`, `jöb-${i}`][i % 4]!;
    const job = { _id, type: 'flow', status: s.status, createdAt: iso, _flowId: `f${s.flow}`, numError: s.numError, numExport: s.numExport, ...timed } as Job;
    return { flow: s.flow, row: toRow(job) };
  });
}

/** What a tally must say of `rows`, worked out from the rows alone. */
function expected(rows: JobRow[]) {
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const win = rows.filter((r) => r.inWindow);
  const base = rows.filter((r) => !r.inWindow);
  const counts = (rs: JobRow[]) => ({
    total: rs.length,
    completed: rs.filter((r) => r.job.status === 'completed').length,
    failed: rs.filter((r) => r.job.status === 'failed').length,
    canceled: rs.filter((r) => r.job.status === 'canceled').length,
    active: rs.filter((r) => r.job.status === 'running').length,
    withErrors: rs.filter((r) => r.job.status === 'completed' && (r.job.numError as number) > 0).length,
  });
  const durations = (rs: JobRow[]) => sorted(rs.flatMap((r) => (r.durationMs !== undefined ? [r.durationMs] : [])));
  // Newest first; of runs created in the same millisecond, the one read first.
  const newestFirst = (rs: JobRow[]) => rs.map((r, i) => ({ r, i })).sort((a, b) => b.r.t - a.r.t || a.i - b.i).map((x) => x.r.job._id);
  const finished = win.filter((r) => r.job.status === 'completed' || r.job.status === 'failed');
  return {
    win: counts(win),
    base: counts(base),
    winErrors: win.reduce((n, r) => n + (r.job.numError as number), 0),
    baseExport: base.reduce((n, r) => n + (r.job.numExport as number), 0),
    winDurations: durations(win),
    baseDurations: durations(base),
    days: DAYS.map((_, d) => rows.filter((r) => r.day === d)).map((rs) => (rs.length ? { total: rs.length, failed: counts(rs).failed, errors: rs.reduce((n, r) => n + (r.job.numError as number), 0), durations: durations(rs) } : undefined)),
    newest: newestFirst(win)[0],
    lastFinished: newestFirst(finished).slice(0, 2),
  };
}

function said(t: JobTally) {
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return {
    win: t.win.counts,
    base: t.base.counts,
    winErrors: t.win.sums.numError,
    baseExport: t.base.sums.numExport,
    winDurations: sorted(t.win.durations),
    baseDurations: sorted(t.base.durations),
    days: DAYS.map((_, d) => t.dayPart(d)).map((p) => (p ? { total: p.counts.total, failed: p.counts.failed, errors: p.sums.numError, durations: sorted(p.durations) } : undefined)),
    newest: t.newest?.jobId,
    lastFinished: t.lastFinished.map((r) => r.jobId),
  };
}

describe('TallyTable: many tallies side by side', () => {
  it('each flow of a shared table says what its own jobs say, whatever their order and however wide the table was made', () => {
    fc.assert(
      fc.property(fc.array(jobArb, { maxLength: 200 }), fc.constantFrom(0, 9), (specs, dayCount) => {
        const rows = rowsOf(specs, 9);
        // A table made for no days widens as the rows' days come (every slot kept); one made for 9 never has to.
        const table = new TallyTable(dayCount);
        const byFlow = new Map<number, JobTally>();
        for (const { flow, row } of rows) {
          let t = byFlow.get(flow);
          if (!t) byFlow.set(flow, (t = new JobTally(table)));
          t.add(row);
        }
        for (const [flow, t] of byFlow) expect(said(t)).toEqual(expected(rows.filter((r) => r.flow === flow).map((r) => r.row)));
        // Merged into one tally of another table (as per integration): what all the jobs say, run times included.
        const all = mergedTally(byFlow.values(), new TallyTable());
        const merged = said(all);
        const whole = expected(rows.map((r) => r.row));
        expect({ ...merged, newest: undefined, lastFinished: undefined }).toEqual({ ...whole, newest: undefined, lastFinished: undefined });
        // Ties between flows are broken by merge order, not read order: the times named are the newest.
        const times = (ids: (string | undefined)[]) => ids.map((id) => rows.find((r) => r.row.job._id === id)?.row.t);
        expect(times([merged.newest])).toEqual(times([whole.newest]));
        expect(times(merged.lastFinished)).toEqual(times(whole.lastFinished));
      }),
      { numRuns: 150 },
    );
  });

  it('a table that keeps no run times still counts', () => {
    const [{ row }] = rowsOf([{ flow: 0, minutesAgo: 10, status: 'completed', runMs: 5000, numError: 0, numExport: 1 }], 9);
    const t = new JobTally(new TallyTable(9, 'none'));
    t.add(row);
    expect(t.win.counts.completed).toBe(1);
    expect(t.win.durations).toEqual([]);
  });

  it('holds thousands of tallies across the blocks of its table, widened for new days part way', () => {
    // 2,500 flows (three blocks of slots); the baseline's days come only after every flow has a tally,
    // so the table, made for no day, widens with all of them in it.
    const specs: JobSpec[] = [];
    for (const minutesAgo of [30, 3 * 24 * 60, 6 * 24 * 60]) for (let f = 0; f < 2500; f++) specs.push({ flow: f, minutesAgo: minutesAgo + (f % 50), status: f % 3 ? 'completed' : 'failed', runMs: 1000 + f, numError: f % 4, numExport: f % 7 });
    const rows = rowsOf(specs, 9);
    const table = new TallyTable(0);
    const byFlow = new Map<number, JobTally>();
    for (const { flow, row } of rows) {
      let t = byFlow.get(flow);
      if (!t) byFlow.set(flow, (t = new JobTally(table)));
      t.add(row);
    }
    for (const f of [0, 1, 1023, 1024, 2047, 2048, 2499]) expect(said(byFlow.get(f)!)).toEqual(expected(rows.filter((r) => r.flow === f).map((r) => r.row)));
  });
});
