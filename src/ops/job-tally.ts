// What the health check keeps of a set of jobs (a flow's, an integration's): counts, record sums, run
// times and the few runs it names, added up as the pages arrive (issue 14 item 3). No job is kept, and a
// tally is a few numbers in one typed array plus its run times, so the check's memory grows with the
// flows it reports (one tally each), not with the jobs it reads.
import type { JobCounts, RunTime } from './health-report.js';
import type { JobRow } from './job-rows.js';
import { num, percentiles } from './util.js';

const COUNTS = ['total', 'completed', 'failed', 'canceled', 'active', 'withErrors'] as const;
const SUMS = ['numError', 'numExport', 'numSuccess', 'numIgnore'] as const;
export type SumField = (typeof SUMS)[number];

/** Numbers of the window, then of the baseline: the counts, then the record sums. */
const WIDTH = COUNTS.length + SUMS.length;
const WIN = 0;
const BASE = WIDTH;
/** Then per series day: total, completed, failed, record errors. */
const DAYS = 2 * WIDTH;
const DAY_WIDTH = 4;

/** Counts, record sums and run times of some jobs (the window's, the baseline's, one day's). */
export interface Part {
  counts: JobCounts;
  sums: Record<SumField, number>;
  /** Run times of the finished jobs with both timestamps, in ms. */
  durations: number[];
}

/** A run the report names: the newest of a flow, or one of its last finished ones. */
export interface RunRef {
  t: number;
  jobId: string;
  status: string;
  at: string;
}

export class JobTally {
  private n = new Float64Array(DAYS);
  /** Run times, and for each: its day index + 1 (0: none) times two, plus one when in the window. */
  private readonly durs: number[] = [];
  private readonly tags: number[] = [];
  /** The window's newest run, and its two newest finished ones (newest first); the first read wins a tie. */
  newest?: RunRef;
  readonly lastFinished: RunRef[] = [];

  add(r: JobRow): void {
    const j = r.job;
    const at = r.inWindow ? WIN : BASE;
    const n = this.n;
    n[at]++;
    const k = j.status === 'completed' ? 1 : j.status === 'failed' ? 2 : j.status === 'canceled' ? 3 : 4;
    n[at + k]++;
    if (k === 1 && num(j.numError) > 0) n[at + 5]++;
    for (let i = 0; i < SUMS.length; i++) n[at + COUNTS.length + i] += num(j[SUMS[i]]);
    if (r.day !== undefined) {
      const d = this.day(r.day);
      this.n[d]++;
      if (k === 1 || k === 2) this.n[d + k]++;
      this.n[d + 3] += num(j.numError);
    }
    if (r.durationMs !== undefined) {
      this.durs.push(r.durationMs);
      this.tags.push((r.day === undefined ? 0 : r.day + 1) * 2 + (r.inWindow ? 1 : 0));
    }
    if (!r.inWindow) return;
    // A run is named only when it is among the newest (no object for every job read).
    const newer = !this.newest || r.t > this.newest.t;
    const finished = (k === 1 || k === 2) && (this.lastFinished.length < 2 || r.t > this.lastFinished[1].t);
    if (!newer && !finished) return;
    const run = { t: r.t, jobId: j._id, status: j.status, at: j.createdAt };
    if (newer) this.newest = run;
    if (finished) keepNewest(this.lastFinished, run, 2);
  }

  merge(o: JobTally): void {
    if (o.n.length > this.n.length) this.day((o.n.length - DAYS) / DAY_WIDTH - 1);
    for (let i = 0; i < o.n.length; i++) this.n[i] += o.n[i];
    for (let i = 0; i < o.durs.length; i++) {
      this.durs.push(o.durs[i]);
      this.tags.push(o.tags[i]);
    }
    if (o.newest && (!this.newest || o.newest.t > this.newest.t)) this.newest = o.newest;
    for (const run of o.lastFinished) keepNewest(this.lastFinished, run, 2);
  }

  get win(): Part {
    return this.part(WIN, (tag) => (tag & 1) === 1);
  }

  get base(): Part {
    return this.part(BASE, (tag) => (tag & 1) === 0);
  }

  /** Day `i` of the series; undefined when no job of this tally fell on it. */
  dayPart(i: number): Part | undefined {
    const d = DAYS + i * DAY_WIDTH;
    if (d >= this.n.length || this.n[d] === 0) return undefined;
    const n = this.n;
    const counts = { total: n[d], completed: n[d + 1], failed: n[d + 2], canceled: 0, active: 0, withErrors: 0 };
    return { counts, sums: { numError: n[d + 3], numExport: 0, numSuccess: 0, numIgnore: 0 }, durations: this.durations((tag) => tag >> 1 === i + 1) };
  }

  /** The offset of day `i`'s numbers, growing the array to hold it. */
  private day(i: number): number {
    const d = DAYS + i * DAY_WIDTH;
    if (d + DAY_WIDTH > this.n.length) {
      const grown = new Float64Array(d + DAY_WIDTH);
      grown.set(this.n);
      this.n = grown;
    }
    return d;
  }

  private part(at: number, which: (tag: number) => boolean): Part {
    const counts = {} as JobCounts;
    COUNTS.forEach((c, i) => (counts[c] = this.n[at + i]));
    const sums = {} as Record<SumField, number>;
    SUMS.forEach((s, i) => (sums[s] = this.n[at + COUNTS.length + i]));
    return { counts, sums, durations: this.durations(which) };
  }

  private durations(which: (tag: number) => boolean): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.durs.length; i++) if (which(this.tags[i])) out.push(this.durs[i]);
    return out;
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
