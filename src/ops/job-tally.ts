// What the health check keeps of a set of jobs (a flow's, an integration's, the account's): counts, sums,
// run times and the few runs it names, added up as the pages arrive (issue 14 item 3). No job is kept,
// so the check's memory does not grow with the number of jobs it reads, only with the flows it reports.
import type { JobCounts, RunTime } from './health-report.js';
import type { JobRow } from './job-rows.js';
import { num, percentiles } from './util.js';

const SUMS = ['numError', 'numExport', 'numSuccess', 'numIgnore'] as const;
export type SumField = (typeof SUMS)[number];

const newCounts = (): JobCounts => ({ total: 0, completed: 0, failed: 0, canceled: 0, active: 0, withErrors: 0 });

/** Counts, record sums and run times of some jobs. */
export class Part {
  readonly counts = newCounts();
  readonly sums: Record<SumField, number> = { numError: 0, numExport: 0, numSuccess: 0, numIgnore: 0 };
  /** Run times of the finished jobs with both timestamps, in ms. */
  readonly durations: number[] = [];

  add(r: JobRow): void {
    const j = r.job;
    const c = this.counts;
    c.total++;
    if (j.status === 'completed') {
      c.completed++;
      if (num(j.numError) > 0) c.withErrors++;
    } else if (j.status === 'failed') c.failed++;
    else if (j.status === 'canceled') c.canceled++;
    else c.active++;
    for (const f of SUMS) this.sums[f] += num(j[f]);
    if (r.durationMs !== undefined) this.durations.push(r.durationMs);
  }

  merge(o: Part): void {
    for (const k of Object.keys(this.counts) as (keyof JobCounts)[]) this.counts[k] += o.counts[k];
    for (const f of SUMS) this.sums[f] += o.sums[f];
    for (const d of o.durations) this.durations.push(d);
  }
}

/** A run the report names: the newest of a flow, or one of its last finished ones. */
export interface RunRef {
  t: number;
  jobId: string;
  status: string;
  at: string;
}

/** Of a set of jobs: the window's and the baseline's parts, one part per series day, the newest runs. */
export class JobTally {
  readonly win = new Part();
  readonly base = new Part();
  /** By index into the series' days; a day with no job has no part. */
  readonly days: (Part | undefined)[] = [];
  /** The window's newest run, and its two newest finished ones (newest first); the first read wins a tie. */
  newest?: RunRef;
  readonly lastFinished: RunRef[] = [];

  add(r: JobRow): void {
    (r.inWindow ? this.win : this.base).add(r);
    if (r.day !== undefined) (this.days[r.day] ??= new Part()).add(r);
    if (!r.inWindow) return;
    const run = { t: r.t, jobId: r.job._id, status: r.job.status, at: r.job.createdAt };
    if (!this.newest || r.t > this.newest.t) this.newest = run;
    if (r.job.status === 'completed' || r.job.status === 'failed') keepNewest(this.lastFinished, run, 2);
  }

  merge(o: JobTally): void {
    this.win.merge(o.win);
    this.base.merge(o.base);
    o.days.forEach((d, i) => d && (this.days[i] ??= new Part()).merge(d));
    if (o.newest && (!this.newest || o.newest.t > this.newest.t)) this.newest = o.newest;
    for (const run of o.lastFinished) keepNewest(this.lastFinished, run, 2);
  }
}

/** Inserts `run` into `list` (newest first, a tie after the runs already there), keeping at most `max`. */
export function keepNewest<T extends { t: number }>(list: T[], run: T, max: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1].t < run.t) i--;
  if (i >= max) return;
  list.splice(i, 0, run);
  if (list.length > max) list.length = max;
}

/** A tally of rows (tests, and callers that have the rows already). */
export function tallyOf(rows: Iterable<JobRow>): JobTally {
  const t = new JobTally();
  for (const r of rows) t.add(r);
  return t;
}

/** Several tallies added into a new one. */
export function mergedTally(parts: Iterable<JobTally>): JobTally {
  const t = new JobTally();
  for (const p of parts) t.merge(p);
  return t;
}

export function rateOf(c: JobCounts): number | null {
  const n = c.completed + c.failed;
  return n ? Math.round((c.completed / n) * 1000) / 1000 : null;
}

export function runTimeOf(t: JobTally): RunTime {
  const [p50Ms, p95Ms] = percentiles(t.win.durations, [50, 95]);
  const [baselineP50Ms, baselineP95Ms] = percentiles(t.base.durations, [50, 95]);
  return { p50Ms, p95Ms, baselineP50Ms, baselineP95Ms };
}
