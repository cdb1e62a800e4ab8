// The account's leaky bucket (celigo-api.md §1.6): capacity 1000, refill 300 tokens/s, one token per
// request. Real time (performance.now), not the injectable clock, so tests of the job clock do not drain it.
import { performance } from 'node:perf_hooks';

export interface RateLimitConfig {
  capacity: number;
  refillPerSec: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { capacity: 1000, refillPerSec: 300 };

export class LeakyBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly config: RateLimitConfig,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.tokens = config.capacity;
    this.last = this.nowMs();
  }

  /** Takes one token; returns 0 when allowed, otherwise the whole seconds (>= 1) to wait. */
  take(): number {
    const t = this.nowMs();
    this.tokens = Math.min(this.config.capacity, this.tokens + ((t - this.last) / 1000) * this.config.refillPerSec);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.config.refillPerSec));
  }

  remaining(): number {
    return Math.floor(this.tokens);
  }
}
