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
import { Blocks } from './typed-blocks.js';
import { FIRST, NEWEST, RunSlots, SECOND, type RunRef } from './run-slots.js';

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

export type { RunRef } from './run-slots.js';

/**
 * A number read from a typed array, as V8 keeps a small integer: in the object that holds it, not boxed.
 * A double stored into a report's field makes V8 box that field in every object of the same shape (16
 * bytes more per number, a few megabytes over a large account's flows).
 */
const whole = (x: number): number => (Number.isInteger(x) && x < 2 ** 30 && x > -(2 ** 30) ? x | 0 : x);

/** Tallies a block of the table holds (2**10), and run times a block of its lists holds (2**14). */
const SLOT_SHIFT = 10;
const RUN_TIME_SHIFT = 14;

/**
 * The tallies of one check side by side. A slot is one tally: its numbers a row of `n` (core/typed-blocks:
 * blocks of fixed size, so a large account's table grows without copies); its run times a list from
 * `head` through `next`, each with its duration (`dur`) and where it fell (`tag`: its day index + 1, or
 * 0, times two, plus one when in the window); its newest run and its two newest finished ones in three
 * arrays of references.
 */
export class TallyTable {
  private readonly n: Blocks<Float64Array>;
  private slots = 0;
  private readonly head = new Blocks((k) => new Int32Array(k), 1, SLOT_SHIFT, NONE);
  private readonly dur = new Blocks((k) => new Float64Array(k), 1, RUN_TIME_SHIFT);
  private readonly tag = new Blocks((k) => new Int32Array(k), 1, RUN_TIME_SHIFT);
  private readonly next = new Blocks((k) => new Int32Array(k), 1, RUN_TIME_SHIFT);
  private durCount = 0;
  private readonly runs = new RunSlots();

  /**
   * `dayCount`: the series days the rows can fall on (more are made room for when they come);
   * `durations: false`: a table whose tallies count and never report run times keeps none.
   */
  constructor(dayCount = 0, private readonly keepDurations = true) {
    this.n = new Blocks((k) => new Float64Array(k), DAYS + dayCount * DAY_WIDTH, SLOT_SHIFT);
  }

  /** A new, empty tally's slot. */
  slot(): number {
    const s = this.slots++;
    this.n.reserve(s);
    this.head.reserve(s);
    this.runs.reserve(s);
    return s;
  }

  add(slot: number, r: JobRow): void {
    const j = r.job;
    const n = this.n.block(slot);
    const at = this.n.offset(slot) + (r.inWindow ? WIN : BASE);
    n[at]++;
    const k = j.status === 'completed' ? 1 : j.status === 'failed' ? 2 : j.status === 'canceled' ? 3 : 4;
    n[at + k]++;
    if (k === 1 && num(j.numError) > 0) n[at + 5]++;
    for (let i = 0; i < SUMS.length; i++) n[at + COUNTS.length + i] += num(j[SUMS[i]]);
    if (r.day !== undefined) {
      const d = this.dayAt(slot, r.day);
      const m = this.n.block(slot);
      m[d]++;
      if (k === 1 || k === 2) m[d + k]++;
      m[d + 3] += num(j.numError);
    }
    if (r.durationMs !== undefined) this.pushDuration(slot, r.durationMs, (r.day === undefined ? 0 : r.day + 1) * 2 + (r.inWindow ? 1 : 0));
    if (!r.inWindow) return;
    // A run is named only when it is among the newest (a run's time is at least 0; none is -1).
    if (r.t > this.runs.time(slot, NEWEST)) this.runs.set(slot, NEWEST, r.t, j._id, j.status);
    if ((k === 1 || k === 2) && r.t > this.runs.time(slot, SECOND)) this.keepFinished(slot, r.t, j._id, j.status);
  }

  /** Tally `from` (of `src`) added into tally `into` of this table. */
  merge(into: number, src: TallyTable, from: number): void {
    const width = src.n.width;
    const days = (width - DAYS) / DAY_WIDTH;
    if (days > 0) this.dayAt(into, days - 1);
    const [a, an] = [this.n.offset(into), this.n.block(into)];
    const [b, bn] = [src.n.offset(from), src.n.block(from)];
    for (let i = 0; i < width; i++) an[a + i] += bn[b + i]!;
    if (this.keepDurations) for (let e = src.head.get(from); e !== NONE; e = src.next.get(e)) this.pushDuration(into, src.dur.get(e), src.tag.get(e));
    const newest = src.runs.get(from, NEWEST);
    if (newest && newest.t > this.runs.time(into, NEWEST)) this.runs.set(into, NEWEST, newest.t, newest.jobId, newest.status);
    for (const run of src.lastFinished(from)) if (run.t > this.runs.time(into, SECOND)) this.keepFinished(into, run.t, run.jobId, run.status);
  }

  /** The counts and sums at `at` (WIN or BASE) of a tally, and the run times `which` picks by tag. */
  part(slot: number, at: number, which: (tag: number) => boolean): Part {
    const o = this.n.offset(slot) + at;
    const n = this.n.block(slot);
    const counts = {} as JobCounts;
    COUNTS.forEach((c, i) => (counts[c] = whole(n[o + i]!)));
    const sums = {} as Record<SumField, number>;
    SUMS.forEach((s, i) => (sums[s] = whole(n[o + COUNTS.length + i]!)));
    return { counts, sums, durations: this.durations(slot, which) };
  }

  /** Day `i` of a tally's series; undefined when none of its jobs fell on it. */
  dayPart(slot: number, i: number): Part | undefined {
    if (DAYS + (i + 1) * DAY_WIDTH > this.n.width) return undefined;
    const d = this.n.offset(slot) + DAYS + i * DAY_WIDTH;
    const n = this.n.block(slot);
    if (n[d] === 0) return undefined;
    const counts = { total: whole(n[d]!), completed: whole(n[d + 1]!), failed: whole(n[d + 2]!), canceled: 0, active: 0, withErrors: 0 };
    return { counts, sums: { numError: whole(n[d + 3]!), numExport: 0, numSuccess: 0, numIgnore: 0 }, durations: this.durations(slot, (tag) => tag >> 1 === i + 1) };
  }

  newest(slot: number): RunRef | undefined {
    return this.runs.get(slot, NEWEST);
  }

  /** The window's two newest finished runs, newest first. */
  lastFinished(slot: number): RunRef[] {
    const out: RunRef[] = [];
    for (const k of [FIRST, SECOND]) {
      const run = this.runs.get(slot, k);
      if (run) out.push(run);
    }
    return out;
  }

  /** A finished run newer than the tally's second newest, kept among its two newest (a tie goes after the runs already there). */
  private keepFinished(slot: number, t: number, id: string, status: string): void {
    if (t > this.runs.time(slot, FIRST)) {
      this.runs.copy(slot, FIRST, SECOND);
      this.runs.set(slot, FIRST, t, id, status);
    } else this.runs.set(slot, SECOND, t, id, status);
  }

  private pushDuration(slot: number, ms: number, tag: number): void {
    if (!this.keepDurations) return;
    const e = this.durCount++;
    this.dur.reserve(e);
    this.tag.reserve(e);
    this.next.reserve(e);
    this.dur.set(e, ms);
    this.tag.set(e, tag);
    this.next.set(e, this.head.get(slot));
    this.head.set(slot, e);
  }

  private durations(slot: number, which: (tag: number) => boolean): number[] {
    const out: number[] = [];
    for (let e = this.head.get(slot); e !== NONE; e = this.next.get(e)) if (which(this.tag.get(e))) out.push(whole(this.dur.get(e)));
    return out;
  }

  /** The offset of day `i` of a tally's numbers in its block, widening every tally when it has no room for it. */
  private dayAt(slot: number, i: number): number {
    const need = DAYS + (i + 1) * DAY_WIDTH;
    if (need > this.n.width) this.n.widen(need, this.slots);
    return this.n.offset(slot) + DAYS + i * DAY_WIDTH;
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
