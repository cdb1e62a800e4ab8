// What the health check keeps of a set of jobs (a flow's, an integration's): counts, record sums, run
// times and the few runs it names, added up as the pages arrive (issue 14 item 3). No job is kept. The
// tallies of a check live side by side in one TallyTable: their numbers in one typed array, a fixed
// stride each, and their run times in one list per tally threaded through three more typed arrays, so a
// flow's tally costs a few hundred bytes and no object of its own but a two-field view (JobTally), and
// adding a job allocates nothing but, now and then, the run it names. The check's memory grows with the
// flows it reports, not with the jobs it reads, and not by a dozen small arrays a flow.
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
/** No run time in a tally's list (`head`), or none after this one (`next`). */
const NONE = -1;

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

/**
 * A number read from a typed array, as V8 keeps a small integer: in the object that holds it, not boxed.
 * A double stored into a report's field makes V8 box that field in every object of the same shape (16
 * bytes more per number, a few megabytes over a large account's flows).
 */
const whole = (x: number): number => (Number.isInteger(x) && x < 2 ** 30 && x > -(2 ** 30) ? x | 0 : x);

/** A typed array at least `size` long, its contents kept (doubling, so growth costs a few copies in all). */
function grown<A extends Float64Array | Int32Array>(a: A, size: number, make: (n: number) => A): A {
  if (size <= a.length) return a;
  const b = make(Math.max(size, a.length * 2));
  b.set(a);
  return b;
}

/**
 * The tallies of one check side by side. A slot is one tally: its numbers at `slot * stride` in `n`; its
 * run times a list from `head[slot]` through `next`, each with its duration (`dur`) and where it fell
 * (`tag`: its day index + 1, or 0, times two, plus one when in the window); its newest run and its two
 * newest finished ones in three arrays of references.
 */
export class TallyTable {
  private stride: number;
  private n: Float64Array;
  private slots = 0;
  private head = new Int32Array(1).fill(NONE);
  private dur = new Float64Array(16);
  private tag = new Int32Array(16);
  private next = new Int32Array(16);
  private durCount = 0;
  private readonly newestRun: (RunRef | undefined)[] = [];
  private readonly finished0: (RunRef | undefined)[] = [];
  private readonly finished1: (RunRef | undefined)[] = [];

  /**
   * `dayCount`: the series days the rows can fall on (more are made room for when they come);
   * `durations: false`: a table whose tallies count and never report run times keeps none.
   */
  constructor(dayCount = 0, private readonly keepDurations = true) {
    this.stride = DAYS + dayCount * DAY_WIDTH;
    this.n = new Float64Array(this.stride);
  }

  /** A new, empty tally's slot. */
  slot(): number {
    const s = this.slots++;
    this.n = grown(this.n, this.slots * this.stride, (k) => new Float64Array(k));
    if (s >= this.head.length) {
      const h = new Int32Array(this.head.length * 2).fill(NONE);
      h.set(this.head);
      this.head = h;
    }
    return s;
  }

  add(slot: number, r: JobRow): void {
    const j = r.job;
    const n = this.n;
    const at = slot * this.stride + (r.inWindow ? WIN : BASE);
    n[at]++;
    const k = j.status === 'completed' ? 1 : j.status === 'failed' ? 2 : j.status === 'canceled' ? 3 : 4;
    n[at + k]++;
    if (k === 1 && num(j.numError) > 0) n[at + 5]++;
    for (let i = 0; i < SUMS.length; i++) n[at + COUNTS.length + i] += num(j[SUMS[i]]);
    if (r.day !== undefined) {
      const d = this.dayAt(slot, r.day);
      const m = this.n;
      m[d]++;
      if (k === 1 || k === 2) m[d + k]++;
      m[d + 3] += num(j.numError);
    }
    if (r.durationMs !== undefined) this.pushDuration(slot, r.durationMs, (r.day === undefined ? 0 : r.day + 1) * 2 + (r.inWindow ? 1 : 0));
    if (!r.inWindow) return;
    // A run is named only when it is among the newest (no object for every job read).
    const newest = this.newestRun[slot];
    const newer = !newest || r.t > newest.t;
    const last = this.finished1[slot];
    const finished = (k === 1 || k === 2) && (!last || r.t > last.t);
    if (!newer && !finished) return;
    const run = { t: r.t, jobId: j._id, status: j.status, at: j.createdAt };
    if (newer) this.newestRun[slot] = run;
    if (finished) this.keepFinished(slot, run);
  }

  /** Tally `from` (of `src`) added into tally `into` of this table. */
  merge(into: number, src: TallyTable, from: number): void {
    const days = (src.stride - DAYS) / DAY_WIDTH;
    if (days > 0) this.dayAt(into, days - 1);
    const a = into * this.stride;
    const b = from * src.stride;
    for (let i = 0; i < src.stride; i++) this.n[a + i] += src.n[b + i];
    if (this.keepDurations) for (let e = src.head[from]!; e !== NONE; e = src.next[e]!) this.pushDuration(into, src.dur[e]!, src.tag[e]!);
    const newest = src.newestRun[from];
    if (newest && (!this.newestRun[into] || newest.t > this.newestRun[into]!.t)) this.newestRun[into] = newest;
    for (const run of src.lastFinished(from)) this.keepFinished(into, run);
  }

  /** The counts and sums at `at` (WIN or BASE) of a tally, and the run times `which` picks by tag. */
  part(slot: number, at: number, which: (tag: number) => boolean): Part {
    const o = slot * this.stride + at;
    const counts = {} as JobCounts;
    COUNTS.forEach((c, i) => (counts[c] = whole(this.n[o + i]!)));
    const sums = {} as Record<SumField, number>;
    SUMS.forEach((s, i) => (sums[s] = whole(this.n[o + COUNTS.length + i]!)));
    return { counts, sums, durations: this.durations(slot, which) };
  }

  /** Day `i` of a tally's series; undefined when none of its jobs fell on it. */
  dayPart(slot: number, i: number): Part | undefined {
    if (DAYS + (i + 1) * DAY_WIDTH > this.stride) return undefined;
    const d = slot * this.stride + DAYS + i * DAY_WIDTH;
    const n = this.n;
    if (n[d] === 0) return undefined;
    const counts = { total: whole(n[d]!), completed: whole(n[d + 1]!), failed: whole(n[d + 2]!), canceled: 0, active: 0, withErrors: 0 };
    return { counts, sums: { numError: whole(n[d + 3]!), numExport: 0, numSuccess: 0, numIgnore: 0 }, durations: this.durations(slot, (tag) => tag >> 1 === i + 1) };
  }

  newest(slot: number): RunRef | undefined {
    return this.newestRun[slot];
  }

  /** The window's two newest finished runs, newest first. */
  lastFinished(slot: number): RunRef[] {
    const out: RunRef[] = [];
    if (this.finished0[slot]) out.push(this.finished0[slot]!);
    if (this.finished1[slot]) out.push(this.finished1[slot]!);
    return out;
  }

  /** Keeps `run` among a tally's two newest finished runs (a tie goes after the runs already there). */
  private keepFinished(slot: number, run: RunRef): void {
    const first = this.finished0[slot];
    if (!first || run.t > first.t) {
      this.finished1[slot] = first;
      this.finished0[slot] = run;
    } else if (!this.finished1[slot] || run.t > this.finished1[slot]!.t) this.finished1[slot] = run;
  }

  private pushDuration(slot: number, ms: number, tag: number): void {
    if (!this.keepDurations) return;
    const e = this.durCount++;
    if (e >= this.dur.length) {
      this.dur = grown(this.dur, e + 1, (k) => new Float64Array(k));
      this.tag = grown(this.tag, e + 1, (k) => new Int32Array(k));
      this.next = grown(this.next, e + 1, (k) => new Int32Array(k));
    }
    this.dur[e] = ms;
    this.tag[e] = tag;
    this.next[e] = this.head[slot]!;
    this.head[slot] = e;
  }

  private durations(slot: number, which: (tag: number) => boolean): number[] {
    const out: number[] = [];
    for (let e = this.head[slot]!; e !== NONE; e = this.next[e]!) if (which(this.tag[e]!)) out.push(whole(this.dur[e]!));
    return out;
  }

  /** The offset of day `i` of a tally's numbers, widening every tally's stride when it has no room for it. */
  private dayAt(slot: number, i: number): number {
    const need = DAYS + (i + 1) * DAY_WIDTH;
    if (need > this.stride) {
      const wider = new Float64Array(Math.max(1, this.n.length / this.stride) * need);
      for (let s = 0; s < this.slots; s++) wider.set(this.n.subarray(s * this.stride, (s + 1) * this.stride), s * need);
      [this.n, this.stride] = [wider, need];
    }
    return slot * this.stride + DAYS + i * DAY_WIDTH;
  }
}

/**
 * One tally: a slot of a TallyTable. `new JobTally()` is a tally on its own (a table of one); the health
 * check's flows share one table (HealthTally), and a flow's JobTally is only the view of its slot.
 */
export class JobTally {
  constructor(
    private readonly table: TallyTable = new TallyTable(),
    private readonly slot: number = table.slot(),
  ) {}

  add(r: JobRow): void {
    this.table.add(this.slot, r);
  }

  merge(o: JobTally): void {
    this.table.merge(this.slot, o.table, o.slot);
  }

  get win(): Part {
    return this.table.part(this.slot, WIN, (tag) => (tag & 1) === 1);
  }

  get base(): Part {
    return this.table.part(this.slot, BASE, (tag) => (tag & 1) === 0);
  }

  /** Day `i` of the series; undefined when no job of this tally fell on it. */
  dayPart(i: number): Part | undefined {
    return this.table.dayPart(this.slot, i);
  }

  /** The window's newest run. */
  get newest(): RunRef | undefined {
    return this.table.newest(this.slot);
  }

  /** The window's two newest finished runs, newest first; the first read wins a tie. */
  get lastFinished(): RunRef[] {
    return this.table.lastFinished(this.slot);
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

/** Several tallies added into a new one (a slot of `table` when given: many merged tallies side by side). */
export function mergedTally(parts: Iterable<JobTally>, table?: TallyTable): JobTally {
  const t = new JobTally(table);
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
