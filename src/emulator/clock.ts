// Time for the emulator. Everything that stamps or schedules (ids aside) reads an injectable Clock,
// so tests can drive the job state machine with ManualClock.advance().

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** 2026-01-15T12:00:00.000Z: the default start of a ManualClock, so seeds are reproducible. */
export const DEFAULT_MANUAL_START = Date.UTC(2026, 0, 15, 12, 0, 0, 0);

export class ManualClock implements Clock {
  private t: number;
  constructor(start: number = DEFAULT_MANUAL_START) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  set(ms: number): void {
    this.t = ms;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

interface Settable {
  set(ms: number): void;
  advance(ms: number): void;
}

function isSettable(c: Clock): c is Clock & Settable {
  const x = c as Partial<Settable>;
  return typeof x.set === 'function' && typeof x.advance === 'function';
}

/**
 * The clock the emulator actually reads. It lets `POST /__emulator/clock` move time whatever clock was
 * injected: a settable clock (ManualClock) is moved itself, any other clock gets an offset.
 */
export class ControlledClock implements Clock {
  private offset = 0;
  constructor(readonly base: Clock) {}
  now(): number {
    return this.base.now() + this.offset;
  }
  set(ms: number): void {
    if (isSettable(this.base)) this.base.set(ms - this.offset);
    else this.offset = ms - this.base.now();
  }
  advance(ms: number): void {
    if (isSettable(this.base)) this.base.advance(ms);
    else this.offset += ms;
  }
}

const P2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const P3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAYS = new Map<number, string>();
const DAY_MS = 86_400_000;

/** ISO-8601 with milliseconds and Z, like Date#toISOString but without a Date per call (jobs render many). */
export function iso(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let d = DAYS.get(day);
  if (d === undefined) {
    const full = new Date(day * DAY_MS).toISOString();
    if (full.length !== 24) return new Date(ms).toISOString();
    d = full.slice(0, 11);
    if (DAYS.size > 10_000) DAYS.clear();
    DAYS.set(day, d);
  }
  let r = Math.floor(ms) - day * DAY_MS;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const s = Math.floor(r / 1000);
  return `${d}${P2[h]}:${P2[m]}:${P2[s]}.${P3[r - s * 1000]}Z`;
}
