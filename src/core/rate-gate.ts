// The account's rate (requests per second), beside its in-flight budget (rate-budget.ts). Issue 18: several
// replicas of one server share one Celigo account, whose limit (celigo-api.md §1.6: a bucket of 1000
// requests refilled at 300/s) holds for all of them together, so each request also takes a token of a
// token bucket for this deployment's share of that limit: in process here, or one bucket in Redis shared by
// every replica (redis-link.ts). The HttpClient takes a token in each attempt's turn, right before sending.
// A request that gets no token before its deadline fails with a RateWaitTimeout, which the HttpClient turns
// into the same 'rate_budget' error as a request that got no turn.
import { createHash } from 'node:crypto';
import { TurnTimeout } from './rate-budget.js';

export interface TakeOptions {
  /** Epoch ms past which the request gives up (HttpOptions.maxWaitMs from its start). */
  deadline: number;
  signal?: AbortSignal;
}

/** What a gate reports for /healthz (mcp/http.ts healthDetails). */
export interface RateGateStatus {
  /** redis: the bucket in Redis; fallback: Redis does not answer, a local share; local: in process only; off: no gate. */
  mode: 'redis' | 'fallback' | 'local' | 'off';
  /** The account's budget for this deployment, every replica together (CELIGO_MANAGE_RATE_PER_SECOND). */
  perSecond?: number;
  /** Requests that may go out at once after a quiet spell (CELIGO_MANAGE_RATE_BURST). */
  burst?: number;
  /** On fallback: the share of the budget this replica keeps to (1 / CELIGO_MANAGE_REPLICAS) ... */
  share?: number;
  /** ... and the rate that makes (perSecond × share). */
  localPerSecond?: number;
  /** When the gate last switched between Redis and its fallback (ISO time). */
  since?: string;
  /** On fallback: why Redis is not used (no address, no password). */
  lastError?: string;
}

/** Waits for the account's next token. */
export interface RateGate {
  /** Resolves when a token is taken; rejects with a RateWaitTimeout at the deadline, or the signal's reason. */
  take(o: TakeOptions): Promise<void>;
  status(): RateGateStatus;
  close(): Promise<void>;
}

/** No token before the deadline: a TurnTimeout, so the HttpClient reports it as it reports a turn it did not get. */
export class RateWaitTimeout extends TurnTimeout {
  constructor(waitedMs: number, ahead: number, perSecond: number) {
    super(waitedMs, ahead, 0);
    this.name = 'RateWaitTimeout';
    this.message = `No token within ${Math.round(waitedMs / 1000)} s at ${perSecond} requests/s (CELIGO_MANAGE_RATE_PER_SECOND; ${ahead} queued ahead in this process)`;
  }
}

/**
 * The Redis key part of one account: a hash of its API base URL and token, so that every replica finds the
 * same bucket and neither the token nor anything that gives it back is stored or logged.
 */
export function accountKey(baseUrl: string, token: string): string {
  return createHash('sha256').update(`celigo-manage rate v1\n${baseUrl.replace(/\/+$/, '')}\n${token}`).digest('hex').slice(0, 40);
}

/** A token bucket in process: `burst` tokens at most (and at first), refilled at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** No token left: it refills from now on. */
  drain(): void {
    this.tokens = 0;
    this.last = this.now();
  }

  /** 0 when a token was taken; else the ms until one is there (at least 1). */
  tryTake(): number {
    const t = this.now();
    if (t > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.perSecond) / 1000);
      this.last = t;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.perSecond));
  }
}

/** 0 when a token was taken, else the ms to wait before asking again. */
export type TryTake = () => number | Promise<number>;

interface Waiter {
  grant(): void;
  fail(err: unknown): void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Takers in line for a bucket. While tokens are there every taker asks the bucket at once (for Redis, in
 * parallel on one connection); once it says wait, later takers queue, first come first served, and only the
 * head asks again when the wait is over: a replica does not poll Redis once per waiting request.
 */
export class WaitingLine {
  private readonly queue: Waiter[] = [];
  private blockedUntil = 0;
  private pumping = false;

  constructor(
    private readonly tryTake: TryTake,
    /** The rate a timeout message names. */
    private readonly perSecond: () => number,
  ) {}

  get waiting(): number {
    return this.queue.length;
  }

  async take(o: TakeOptions): Promise<void> {
    o.signal?.throwIfAborted();
    if (!this.queue.length && Date.now() >= this.blockedUntil) {
      const wait = await this.ask();
      if (wait <= 0) return;
      this.block(wait);
    }
    return this.enqueue(o);
  }

  private enqueue(o: TakeOptions): Promise<void> {
    o.signal?.throwIfAborted();
    const started = Date.now();
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
      };
      const waiter: Waiter = { grant: () => (done(), resolve()), fail: (err) => (done(), reject(err)) };
      const onAbort = () => waiter.fail(o.signal!.reason);
      const timer = setTimeout(() => waiter.fail(new RateWaitTimeout(Date.now() - started, Math.max(0, this.queue.indexOf(waiter)), this.perSecond())), Math.max(0, o.deadline - started));
      timer.unref?.();
      o.signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      void this.pump();
    });
  }

  /** The head of the line asks when the last wait is over; a token goes to whoever is first then. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length) {
        const ms = this.blockedUntil - Date.now();
        if (ms > 0) await sleep(ms);
        if (!this.queue.length) break;
        const wait = await this.ask();
        if (wait > 0) this.block(wait);
        else this.queue[0]?.grant();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** A bucket that throws (it should not: the Redis one falls back) is asked again shortly. */
  private async ask(): Promise<number> {
    try {
      return await this.tryTake();
    } catch {
      return 50;
    }
  }

  private block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, Date.now() + Math.max(1, ms));
  }
}

export interface LocalGateOptions {
  perSecond: number;
  burst: number;
  now?: () => number;
}

/** The gate of one process (CELIGO_MANAGE_RATE_PER_SECOND without CELIGO_MANAGE_REDIS_URL). */
export function localRateGate(o: LocalGateOptions): RateGate {
  const bucket = new TokenBucket(o.perSecond, o.burst, o.now);
  const line = new WaitingLine(() => bucket.tryTake(), () => o.perSecond);
  return {
    take: (t) => line.take(t),
    status: () => ({ mode: 'local', perSecond: o.perSecond, burst: o.burst }),
    close: async () => {},
  };
}
