// The runs a tally names (its newest, and its two newest finished ones), kept for many tallies side by
// side without an object per run (issue 14 item 3). An object for each run a flow's tally named, with the
// job's id and time strings it held, was replaced as newer pages came, and on a large account those
// objects outlived the young generation and piled up as old garbage: a seventh of the jobs read's peak
// memory. Here a run is its time, its status's number and its id's characters in typed arrays (one byte
// each: Celigo's ids are hex digits; an id with a character past U+00FF is kept as a string); a RunRef
// is made only when asked for. Its `at` is its creation time written as ISO 8601 in UTC, with milliseconds.
import { Blocks } from './typed-blocks.js';

/** A run the report names: the newest of a flow, or one of its last finished ones. */
export interface RunRef {
  t: number;
  jobId: string;
  status: string;
  at: string;
}

/** Which run of a tally: its newest, its newest finished, the one finished before. */
export const NEWEST = 0;
export const FIRST = 1;
export const SECOND = 2;
const RUNS = 3;
/** An id of up to this many characters (Celigo's are 24 hex digits), each up to U+00FF, is kept in the arrays; another in a map. */
const ID_UNITS = 24;
const SHIFT = 10;
/** The time of no run: every run's is at least 0. */
const NONE = -1;

export class RunSlots {
  private readonly t = new Blocks((k) => new Float64Array(k), RUNS, SHIFT, NONE);
  private readonly statusOf = new Blocks((k) => new Int32Array(k), RUNS, SHIFT);
  /** Per run: the id's length (ID_UNITS + 1: kept in `longIds`), then its characters. */
  private readonly ids = new Blocks((k) => new Uint8Array(k), RUNS * (ID_UNITS + 1), SHIFT);
  private readonly longIds = new Map<number, string>();
  private readonly statuses: string[] = [];
  private readonly codes = new Map<string, number>();

  reserve(slot: number): void {
    this.t.reserve(slot);
    this.statusOf.reserve(slot);
    this.ids.reserve(slot);
  }

  /** The time of run `k` of a tally, or -1 when it has none. */
  time(slot: number, k: number): number {
    return this.t.block(slot)[this.t.offset(slot) + k]!;
  }

  set(slot: number, k: number, t: number, id: string, status: string): void {
    this.t.block(slot)[this.t.offset(slot) + k] = t;
    this.statusOf.block(slot)[this.statusOf.offset(slot) + k] = this.code(status);
    const units = this.ids.block(slot);
    const at = this.ids.offset(slot) + k * (ID_UNITS + 1);
    if (id.length > ID_UNITS || !oneByte(id)) {
      units[at] = ID_UNITS + 1;
      this.longIds.set(slot * RUNS + k, id);
      return;
    }
    this.longIds.delete(slot * RUNS + k);
    units[at] = id.length;
    for (let i = 0; i < id.length; i++) units[at + 1 + i] = id.charCodeAt(i);
  }

  /** Run `k` of a tally made a copy of run `fromK` of slot `from` of `src` (another table's runs). */
  copyFrom(slot: number, k: number, src: RunSlots, from: number, fromK: number): void {
    this.t.block(slot)[this.t.offset(slot) + k] = src.time(from, fromK);
    this.statusOf.block(slot)[this.statusOf.offset(slot) + k] = this.code(src.status(from, fromK)!);
    const [units, at] = [this.ids.block(slot), this.ids.offset(slot) + k * (ID_UNITS + 1)];
    const [theirs, their] = [src.ids.block(from), src.ids.offset(from) + fromK * (ID_UNITS + 1)];
    units.set(theirs.subarray(their, their + ID_UNITS + 1), at);
    const long = src.longIds.get(from * RUNS + fromK);
    if (long !== undefined) this.longIds.set(slot * RUNS + k, long);
    else this.longIds.delete(slot * RUNS + k);
  }

  /** The status of run `k` of a tally, or undefined when it has none. */
  status(slot: number, k: number): string | undefined {
    if (this.time(slot, k) === NONE) return undefined;
    return this.statuses[this.statusOf.block(slot)[this.statusOf.offset(slot) + k]!];
  }

  private code(status: string): number {
    let code = this.codes.get(status);
    if (code === undefined) this.codes.set(status, (code = this.statuses.push(status) - 1));
    return code;
  }

  /** Run `from` of a tally copied over its run `to`, number for number (no string made on the way). */
  copy(slot: number, from: number, to: number): void {
    const [t, at] = [this.t.block(slot), this.t.offset(slot)];
    t[at + to] = t[at + from]!;
    const [codes, c] = [this.statusOf.block(slot), this.statusOf.offset(slot)];
    codes[c + to] = codes[c + from]!;
    const [units, u] = [this.ids.block(slot), this.ids.offset(slot)];
    units.copyWithin(u + to * (ID_UNITS + 1), u + from * (ID_UNITS + 1), u + (from + 1) * (ID_UNITS + 1));
    const long = this.longIds.get(slot * RUNS + from);
    if (long !== undefined) this.longIds.set(slot * RUNS + to, long);
    else this.longIds.delete(slot * RUNS + to);
  }

  get(slot: number, k: number): RunRef | undefined {
    const t = this.time(slot, k);
    if (t === NONE) return undefined;
    const units = this.ids.block(slot);
    const at = this.ids.offset(slot) + k * (ID_UNITS + 1);
    const length = units[at]!;
    const jobId = length > ID_UNITS ? this.longIds.get(slot * RUNS + k)! : String.fromCharCode.apply(null, units.subarray(at + 1, at + 1 + length) as unknown as number[]);
    const status = this.statuses[this.statusOf.block(slot)[this.statusOf.offset(slot) + k]!]!;
    return { t, jobId, status, at: new Date(t).toISOString() };
  }
}

/** Every character of `s` fits in one byte (U+0000 to U+00FF). */
function oneByte(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}
