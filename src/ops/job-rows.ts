// Jobs as the health check reads them: each job's times parsed once, and the counts, rates, run-time
// percentiles and groupings computed from them.
import type { Job } from '../core/schemas.js';
import type { JobCounts, RunTime } from './health-report.js';
import { ms, num, percentiles } from './util.js';

/**
 * A job with its times read once. Date.parse over every job, repeated per flow, per integration, per day
 * and in sort comparators, used to be most of the check's CPU time; everything below reads these fields.
 */
export interface JobRow {
  job: Job;
  /** createdAt in ms; 0 when unreadable, which puts the job outside any window. */
  t: number;
  inWindow: boolean;
  /** Run time of a finished job with both timestamps. */
  durationMs?: number;
  /** Index of its UTC day (createdAt's date) in the series' days; undefined outside them. */
  day?: number;
}

/** What each job is read into: built page by page while the jobs are read (JobsApi.list's `map`). */
export function rowMaker(from: number, to: number, days: readonly string[]): (job: Job) => JobRow {
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  return (job) => {
    const t = ms(job.createdAt) ?? 0;
    return { job, t, inWindow: t >= from && t < to, durationMs: duration(job), day: dayIndex.get(job.createdAt.slice(0, 10)) };
  };
}

export function counts(rows: readonly JobRow[]): JobCounts {
  const c: JobCounts = { total: rows.length, completed: 0, failed: 0, canceled: 0, active: 0, withErrors: 0 };
  for (const { job: j } of rows) {
    if (j.status === 'completed') {
      c.completed++;
      if ((j.numError ?? 0) > 0) c.withErrors++;
    } else if (j.status === 'failed') c.failed++;
    else if (j.status === 'canceled') c.canceled++;
    else c.active++;
  }
  return c;
}

export function rate(c: JobCounts): number | null {
  const n = c.completed + c.failed;
  return n ? Math.round((c.completed / n) * 1000) / 1000 : null;
}

function duration(j: Job): number | undefined {
  if (j.status !== 'completed' && j.status !== 'failed') return undefined;
  const a = ms(typeof j.startedAt === 'string' ? j.startedAt : undefined);
  const b = ms(typeof j.endedAt === 'string' ? j.endedAt : undefined);
  return a !== undefined && b !== undefined && b >= a ? b - a : undefined;
}

export function durations(rows: readonly JobRow[]): number[] {
  const out: number[] = [];
  for (const r of rows) if (r.durationMs !== undefined) out.push(r.durationMs);
  return out;
}

export function runTime(win: readonly JobRow[], base: readonly JobRow[]): RunTime {
  const [p50Ms, p95Ms] = percentiles(durations(win), [50, 95]);
  const [baselineP50Ms, baselineP95Ms] = percentiles(durations(base), [50, 95]);
  return { p50Ms, p95Ms, baselineP50Ms, baselineP95Ms };
}

/** Rows in the window and rows of the baseline, in their original order. */
export function splitByWindow(rows: readonly JobRow[]): { win: JobRow[]; base: JobRow[] } {
  const win: JobRow[] = [];
  const base: JobRow[] = [];
  for (const r of rows) (r.inWindow ? win : base).push(r);
  return { win, base };
}

export const sumOf = (rows: readonly JobRow[], field: 'numError' | 'numExport' | 'numSuccess' | 'numIgnore') => rows.reduce((n, r) => n + num(r.job[field]), 0);
