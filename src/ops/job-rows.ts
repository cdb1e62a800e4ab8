// Jobs as the health check reads them: each job's times parsed once, as the page it came in is read; what
// it keeps of them is added up in job-tally.ts.
import type { Job } from '../core/schemas.js';
import { ms } from './util.js';

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

/** What each job is read into as its page arrives; the tallies take it, and nothing keeps it. */
export function rowMaker(from: number, to: number, days: readonly string[]): (job: Job) => JobRow {
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  return (job) => {
    const t = ms(job.createdAt) ?? 0;
    return { job, t, inWindow: t >= from && t < to, durationMs: duration(job), day: dayIndex.get(job.createdAt.slice(0, 10)) };
  };
}

function duration(j: Job): number | undefined {
  if (j.status !== 'completed' && j.status !== 'failed') return undefined;
  const a = ms(typeof j.startedAt === 'string' ? j.startedAt : undefined);
  const b = ms(typeof j.endedAt === 'string' ? j.endedAt : undefined);
  return a !== undefined && b !== undefined && b >= a ? b - a : undefined;
}
