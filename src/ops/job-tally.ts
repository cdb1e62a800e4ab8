// What the health check keeps of a set of jobs (a flow's, an integration's): counts, record sums, run
// times and the few runs it names, added up as the pages arrive (issue 14 item 3). No job is kept. The
// tallies of a check live side by side in one TallyTable: their numbers in one typed array, a fixed
// stride each, and their run times in one list per tally threaded through three more typed arrays, so a
// flow's tally costs a few hundred bytes and no object of its own but a two-field view (JobTally), and
// adding a job allocates nothing but, now and then, the run it names. The check's memory grows with the
// flows it reports, not with the jobs it reads, and not by a dozen small arrays a flow.
import type { JobCounts, RunTime } from './health-report.js';
import type { JobRow } from './job-rows.js';
import { num } from './util.js';
import { Blocks } from './typed-blocks.js';
import { FIRST, NEWEST, RunSlots, SECOND, type RunRef } from './run-slots.js';

const COUNTS = ['total', 'completed', 'failed', 'canceled', 'active', 'withErrors'] as const;
const SUMS = ['numError', 'numExport', 'numSuccess', 'numIgnore'] as const;
export type SumField = (typeof SUMS)[number];

// A tally's numbers are two rows: its counts (whole numbers of jobs, 32-bit) and its record sums (which
// can pass 2**31 on a busy flow, 64-bit floats). Each row: the window's, then the baseline's, then one
// group per series day (counts: total, completed, failed; sums: record errors).
const WIN = 0;
const BASE = 1;
const DAY_COUNTS = 3;
const DAY_SUMS = 1;
const countsAt = (at: number) => at * COUNTS.length;
const sumsAt = (at: number) => at * SUMS.length;
const C_DAYS = 2 * COUNTS.length;
const S_DAYS = 2 * SUMS.length;
/** No run time in a tally's list (`head`), or none after this one (`next`). */
const NONE = -1;
/** A run time is kept in 32 bits of milliseconds (49 days); a longer one is kept as that. */
const LONGEST_RUN_MS = 0xffff_ffff;

/** Counts, record sums and run times of some jobs (the window's, the baseline's, one day's). */
export interface Part {
  counts: JobCounts;
  sums: Record<SumField, number>;
  /** Run times of the finished jobs with both timestamps, in ms (made when read). */
  readonly durations: number[];
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
 * What a table does with the run times of the tallies merged into it: `keep` copies them into its own
 * lists, `none` keeps none (a tally that only counts), `link` notes which tallies were merged and reads
 * their lists when asked (the health check's per-integration tallies: no second copy of every run time).
 */
export type RunTimes = 'keep' | 'none' | 'link';

/** The window's or the baseline's figures of a tally; its run times read from the table only if asked for. */
class TallyPart implements Part {
  constructor(
    readonly counts: JobCounts,
    readonly sums: Record<SumField, number>,
    private readonly table: TallyTable,
    private readonly slot: number,
    private readonly which: (tag: number) => boolean,
  ) {}

  get durations(): number[] {
    const out: number[] = [];
    this.table.eachRunTime(this.slot, this.which, (ms) => void out.push(ms));
    return out;
  }
}

const inWindow = (tag: number) => (tag & 1) === 1;
const inBaseline = (tag: number) => (tag & 1) === 0;
const onDay = (i: number) => (tag: number) => tag >> 1 === i + 1;

/**
 * The tallies of one check side by side. A slot is one tally: its counts a row of `c` and its sums a row
 * of `n` (core/typed-blocks: blocks of fixed size, so a large account's table grows without copies); its
 * run times a list from `head` through `next`, each with its duration (`dur`) and where it fell (`tag`:
 * its day index + 1, or 0, times two, plus one when in the window); its newest run and its two newest
 * finished ones in `runs`.
 */
export class TallyTable {
  private readonly c: Blocks<Int32Array>;
  private readonly n: Blocks<Float64Array>;
  private slots = 0;
  private readonly head = new Blocks((k) => new Int32Array(k), 1, SLOT_SHIFT, NONE);
  private readonly dur = new Blocks((k) => new Uint32Array(k), 1, RUN_TIME_SHIFT);
  private readonly tag = new Blocks((k) => new Uint16Array(k), 1, RUN_TIME_SHIFT);
  private readonly next = new Blocks((k) => new Int32Array(k), 1, RUN_TIME_SHIFT);
  private durCount = 0;
  private readonly runs = new RunSlots();
  /** In `link` mode: per slot, the tallies merged into it, whose run times are its own. */
  private readonly linked: [TallyTable, number][][] = [];

  /**
   * `dayCount`: the series days the rows can fall on (more are made room for when they come);
   * `runTimes`: what is kept of run times (RunTimes).
   */
  constructor(
    dayCount = 0,
    private readonly runTimes: RunTimes = 'keep',
  ) {
    this.c = new Blocks((k) => new Int32Array(k), C_DAYS + dayCount * DAY_COUNTS, SLOT_SHIFT);
    this.n = new Blocks((k) => new Float64Array(k), S_DAYS + dayCount * DAY_SUMS, SLOT_SHIFT);
  }

  /** A new, empty tally's slot. */
  slot(): number {
    const s = this.slots++;
    this.c.reserve(s);
    this.n.reserve(s);
    this.head.reserve(s);
    this.runs.reserve(s);
    return s;
  }

  add(slot: number, r: JobRow): void {
    const j = r.job;
    const c = this.c.block(slot);
    const ca = this.c.offset(slot) + countsAt(r.inWindow ? WIN : BASE);
    c[ca]++;
    const k = j.status === 'completed' ? 1 : j.status === 'failed' ? 2 : j.status === 'canceled' ? 3 : 4;
    c[ca + k]++;
    if (k === 1 && num(j.numError) > 0) c[ca + 5]++;
    const n = this.n.block(slot);
    const na = this.n.offset(slot) + sumsAt(r.inWindow ? WIN : BASE);
    for (let i = 0; i < SUMS.length; i++) n[na + i] += num(j[SUMS[i]]);
    if (r.day !== undefined) {
      this.widenFor(r.day);
      const [dc, dn] = [this.c.block(slot), this.n.block(slot)];
      const d = this.c.offset(slot) + C_DAYS + r.day * DAY_COUNTS;
      dc[d]++;
      if (k === 1 || k === 2) dc[d + k]++;
      dn[this.n.offset(slot) + S_DAYS + r.day * DAY_SUMS] += num(j.numError);
    }
    if (r.durationMs !== undefined) this.pushDuration(slot, r.durationMs, (r.day === undefined ? 0 : r.day + 1) * 2 + (r.inWindow ? 1 : 0));
    if (!r.inWindow) return;
    // A run is named only when it is among the newest (a run's time is at least 0; none is -1).
    if (r.t > this.runs.time(slot, NEWEST)) this.runs.set(slot, NEWEST, r.t, j._id, j.status);
    if ((k === 1 || k === 2) && r.t > this.runs.time(slot, SECOND)) this.keepFinished(slot, r.t, j._id, j.status);
  }

  /** Tally `from` (of `src`) added into tally `into` of this table. */
  merge(into: number, src: TallyTable, from: number): void {
    const days = (src.c.width - C_DAYS) / DAY_COUNTS;
    if (days > 0) this.widenFor(days - 1);
    addRow(this.c, into, src.c, from);
    addRow(this.n, into, src.n, from);
    if (this.runTimes === 'keep') src.eachRunTime(from, () => true, (ms, tag) => this.pushDuration(into, ms, tag));
    else if (this.runTimes === 'link') (this.linked[into] ??= []).push([src, from]);
    const newest = src.runs.time(from, NEWEST);
    if (newest > this.runs.time(into, NEWEST)) this.runs.copyFrom(into, NEWEST, src.runs, from, NEWEST);
    for (const k of [FIRST, SECOND]) {
      const t = src.runs.time(from, k);
      if (t !== NONE && t > this.runs.time(into, SECOND)) this.keepFinishedFrom(into, t, src.runs, from, k);
    }
  }

  /** The counts and sums at `at` (WIN or BASE) of a tally; its run times those `which` picks by tag. */
  private part(slot: number, at: number, which: (tag: number) => boolean): Part {
    const [c, co] = [this.c.block(slot), this.c.offset(slot) + countsAt(at)];
    const [n, no] = [this.n.block(slot), this.n.offset(slot) + sumsAt(at)];
    const counts = { total: c[co]!, completed: c[co + 1]!, failed: c[co + 2]!, canceled: c[co + 3]!, active: c[co + 4]!, withErrors: c[co + 5]! };
    const sums = { numError: whole(n[no]!), numExport: whole(n[no + 1]!), numSuccess: whole(n[no + 2]!), numIgnore: whole(n[no + 3]!) };
    return new TallyPart(counts, sums, this, slot, which);
  }

  win(slot: number): Part {
    return this.part(slot, WIN, inWindow);
  }

  base(slot: number): Part {
    return this.part(slot, BASE, inBaseline);
  }

  /** Day `i` of a tally's series; undefined when none of its jobs fell on it. */
  dayPart(slot: number, i: number): Part | undefined {
    if (C_DAYS + (i + 1) * DAY_COUNTS > this.c.width) return undefined;
    const [c, d] = [this.c.block(slot), this.c.offset(slot) + C_DAYS + i * DAY_COUNTS];
    if (c[d] === 0) return undefined;
    const counts = { total: c[d]!, completed: c[d + 1]!, failed: c[d + 2]!, canceled: 0, active: 0, withErrors: 0 };
    const numError = whole(this.n.block(slot)[this.n.offset(slot) + S_DAYS + i * DAY_SUMS]!);
    return new TallyPart(counts, { numError, numExport: 0, numSuccess: 0, numIgnore: 0 }, this, slot, onDay(i));
  }

  /** p50 and p95 run times (nearest rank) of the window and of the baseline, read without a list of them. */
  runTime(slot: number): RunTime {
    const [p50Ms, p95Ms] = this.percentiles(slot, inWindow);
    const [baselineP50Ms, baselineP95Ms] = this.percentiles(slot, inBaseline);
    return { p50Ms, p95Ms, baselineP50Ms, baselineP95Ms };
  }

  /** p50 and p95 run times of day `i` of the series. */
  dayRunTime(slot: number, i: number): [number | undefined, number | undefined] {
    return this.percentiles(slot, onDay(i));
  }

  newest(slot: number): RunRef | undefined {
    return this.runs.get(slot, NEWEST);
  }

  /** The window's two newest finished runs, newest first. */
  lastFinished(slot: number): RunRef[] {
    return this.finished((k) => this.runs.get(slot, k));
  }

  /** The statuses of the window's two newest finished runs, newest first (no run made to read them). */
  lastFinishedStatuses(slot: number): string[] {
    return this.finished((k) => this.runs.status(slot, k));
  }

  /** What `read` gives of the newest finished run and the one before, those the tally has. */
  private finished<T>(read: (k: number) => T | undefined): T[] {
    const out: T[] = [];
    for (const k of [FIRST, SECOND]) {
      const v = read(k);
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  /** Each run time of a tally that `which` picks by its tag (a linked tally's: those of the tallies merged into it). */
  eachRunTime(slot: number, which: (tag: number) => boolean, fn: (ms: number, tag: number) => void): void {
    if (this.runTimes === 'link') {
      for (const [t, s] of this.linked[slot] ?? []) t.eachRunTime(s, which, fn);
      return;
    }
    for (let e = this.head.get(slot); e !== NONE; e = this.next.get(e)) {
      const tag = this.tag.get(e);
      if (which(tag)) fn(this.dur.get(e), tag);
    }
  }

  /** Run times picked into a scratch array sorted in place: nearest-rank p50 and p95 as util.percentiles gives them. */
  private percentiles(slot: number, which: (tag: number) => boolean): [number | undefined, number | undefined] {
    let count = 0;
    this.eachRunTime(slot, which, (ms) => {
      if (count === scratch.length) scratch = growScratch(scratch);
      scratch[count++] = ms;
    });
    if (count === 0) return [undefined, undefined];
    const sorted = scratch.subarray(0, count).sort();
    const rank = (p: number) => whole(sorted[Math.min(count, Math.max(1, Math.ceil((p / 100) * count))) - 1]!);
    return [rank(50), rank(95)];
  }

  /** A finished run newer than the tally's second newest, kept among its two newest (a tie goes after the runs already there). */
  private keepFinished(slot: number, t: number, id: string, status: string): void {
    this.runs.set(slot, this.finishedPlace(slot, t), t, id, status);
  }

  /** As keepFinished, the run being run `k` of slot `from` of `src`. */
  private keepFinishedFrom(slot: number, t: number, src: RunSlots, from: number, k: number): void {
    this.runs.copyFrom(slot, this.finishedPlace(slot, t), src, from, k);
  }

  /** Where a finished run of time `t` goes: first (the first moved to second) when newer than it, else second. */
  private finishedPlace(slot: number, t: number): number {
    if (t <= this.runs.time(slot, FIRST)) return SECOND;
    this.runs.copy(slot, FIRST, SECOND);
    return FIRST;
  }

  private pushDuration(slot: number, ms: number, tag: number): void {
    if (this.runTimes !== 'keep') return;
    const e = this.durCount++;
    this.dur.reserve(e);
    this.tag.reserve(e);
    this.next.reserve(e);
    this.dur.set(e, Math.min(ms, LONGEST_RUN_MS));
    this.tag.set(e, tag);
    this.next.set(e, this.head.get(slot));
    this.head.set(slot, e);
  }

  /** Room for day `i` in every tally's rows, widening them all when there is none. */
  private widenFor(i: number): void {
    const need = C_DAYS + (i + 1) * DAY_COUNTS;
    if (need <= this.c.width) return;
    this.c.widen(need, this.slots);
    this.n.widen(S_DAYS + (i + 1) * DAY_SUMS, this.slots);
  }
}

/** Row `from` of `src` added into row `into` of `dst`, number by number (`dst` at least as wide). */
function addRow<A extends Int32Array | Float64Array>(dst: Blocks<A>, into: number, src: Blocks<A>, from: number): void {
  const [a, an] = [dst.offset(into), dst.block(into)];
  const [b, bn] = [src.offset(from), src.block(from)];
  for (let i = 0; i < src.width; i++) an[a + i]! += bn[b + i]!;
}

/** One array the percentiles of every tally are sorted in (the check reads one tally at a time). */
let scratch: Float64Array = new Float64Array(1024);
function growScratch(old: Float64Array): Float64Array {
  const bigger = new Float64Array(old.length * 2);
  bigger.set(old);
  return bigger;
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
    return this.table.win(this.slot);
  }

  get base(): Part {
    return this.table.base(this.slot);
  }

  /** p50 and p95 run times of the window and the baseline. */
  get runTime(): RunTime {
    return this.table.runTime(this.slot);
  }

  /** p50 and p95 run times of day `i` of the series. */
  dayRunTime(i: number): [number | undefined, number | undefined] {
    return this.table.dayRunTime(this.slot, i);
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

  /** The statuses of those runs, newest first. */
  get lastFinishedStatuses(): string[] {
    return this.table.lastFinishedStatuses(this.slot);
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
  return t.runTime;
}
