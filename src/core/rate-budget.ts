// One account's request budget (celigo-api.md §1.6: a leaky bucket of 1000 requests, 300/s per account).
// Everything that talks to the account through one HttpClient shares it: every MCP session of a server
// process, every worker of a bulk retry. Requests take turns, first come first served, at most `limit` in
// flight; after a 429 nobody starts a request until its Retry-After has passed, and then one request at a
// time starts, one more for each answer (slow start, as TCP after a loss), so hundreds of callers queue
// instead of failing on 429s and the account is not hammered with requests it will refuse.
// A request that cannot get its turn before its deadline is refused with a TurnTimeout.
// Turns go by the start of the call a request belongs to (inCallOrder; else the request's own arrival):
// the requests of a call that started earlier go first, so calls finish in the order they came, and a
// call that has not had its first answer yet holds no data while it waits.
import { AsyncLocalStorage } from 'node:async_hooks';

const callStart = new AsyncLocalStorage<number>();

/** Runs `fn` as one call that started at `startedAt`: its requests take turns by that time. */
export function inCallOrder<T>(startedAt: number, fn: () => Promise<T>): Promise<T> {
  return callStart.run(startedAt, fn);
}

export interface RateBudgetOptions {
  /** Requests in flight at once (default 32). */
  maxInFlight?: number;
  /** How pauses are slept; the HttpClient passes its own (tests inject one). */
  sleep?: (ms: number) => Promise<void>;
}

/** No turn before the deadline: requests in flight and queued ahead, or a pause that outlasts it. */
export class TurnTimeout extends Error {
  constructor(
    readonly waitedMs: number,
    readonly ahead: number,
    readonly inFlight: number,
  ) {
    super(`No turn within ${Math.round(waitedMs / 1000)} s (${inFlight} request(s) in flight, ${ahead} queued ahead)`);
    this.name = 'TurnTimeout';
  }
}

export type Release = () => void;

interface Waiter {
  /** Turn order: the call's start (ms), -Infinity for a request that was turned away by a 429. */
  key: number;
  grant(release: Release): void;
  fail(err: unknown): void;
}

export const DEFAULT_MAX_IN_FLIGHT = 32;

export class RateBudget {
  readonly maxInFlight: number;
  private limit: number;
  private inFlight = 0;
  private readonly queue: Waiter[] = [];
  private paused?: Promise<void>;
  private pausedUntil = 0;
  private readonly sleep: (ms: number) => Promise<void>;
  /** For benchmarks and reports: the longest queue seen, and how often a 429 paused everyone. */
  readonly stats = { maxQueued: 0, pauses: 0 };

  constructor(o: RateBudgetOptions = {}) {
    this.maxInFlight = Math.max(1, o.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.limit = this.maxInFlight;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /**
   * Waits for a turn; the returned function ends it (call it once the answer is read). `first` puts a
   * request that was already turned away (429) at the head of the queue. Rejects with a TurnTimeout at
   * `deadline` (ms since the epoch), or with the signal's reason when it aborts.
   */
  acquire(o: { deadline: number; signal?: AbortSignal; first?: boolean }): Promise<Release> {
    o.signal?.throwIfAborted();
    const now = this.tryTake();
    if (now) return Promise.resolve(now);
    const started = Date.now();
    if (this.paused && this.pausedUntil > o.deadline) return Promise.reject(new TurnTimeout(o.deadline - started, this.queue.length, this.inFlight));
    return new Promise<Release>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
      };
      const waiter: Waiter = {
        key: o.first ? -Infinity : (callStart.getStore() ?? started),
        grant: (release) => (done(), resolve(release)),
        fail: (err) => (done(), reject(err)),
      };
      const onAbort = () => waiter.fail(o.signal!.reason);
      const timer = setTimeout(() => waiter.fail(new TurnTimeout(Date.now() - started, Math.max(0, this.queue.indexOf(waiter)), this.inFlight)), Math.max(0, o.deadline - started));
      timer.unref?.();
      o.signal?.addEventListener('abort', onAbort, { once: true });
      this.enqueue(waiter);
      this.stats.maxQueued = Math.max(this.stats.maxQueued, this.queue.length);
    });
  }

  /** A 429 with Retry-After `ms`: no request starts before then, and fewer run at once for a while. */
  limited(ms: number): void {
    const until = Date.now() + ms;
    if (this.paused && until <= this.pausedUntil) return;
    this.limit = 1;
    this.stats.pauses++;
    this.pausedUntil = until;
    const pause: Promise<void> = this.sleep(ms)
      .catch(() => {})
      .then(() => {
        if (this.paused !== pause) return;
        this.paused = undefined;
        this.pump();
      });
    this.paused = pause;
  }

  /** An answer that was not a 429: one more request may run at once, up to maxInFlight. */
  answered(): void {
    if (this.limit < this.maxInFlight) this.limit++;
  }

  /** A turn at once when one is free and nobody is waiting (no await: the request goes out now). */
  tryTake(): Release | undefined {
    return !this.paused && !this.queue.length && this.inFlight < this.limit ? this.take() : undefined;
  }

  /** In turn order; equal keys keep their arrival order. */
  private enqueue(w: Waiter): void {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.queue[mid]!.key <= w.key) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, w);
  }

  private take(): Release {
    this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.pump();
    };
  }

  private pump(): void {
    while (!this.paused && this.queue.length && this.inFlight < this.limit) this.queue[0]!.grant(this.take());
  }
}
