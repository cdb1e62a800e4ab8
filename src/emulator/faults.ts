// Injected failures for clients to prove their retry logic: random 5xx / 429 / connection resets / latency
// from a seeded PRNG, and a deterministic queue (`next`) consumed by matching requests. A `when: 'after'`
// entry lets the handler run (state changes) and then fails the response: the ambiguous failure a client
// must not blindly retry for a POST that starts work. Never applied to /__emulator/*.
import { z } from 'zod';
import { Rng } from './rng.js';

export interface NextFault {
  /** Default 503 (ignored with reset). */
  status?: number;
  reset?: boolean;
  retryAfter?: number;
  when?: 'before' | 'after';
  match?: string;
}

export interface FaultConfig {
  errorRate?: number;
  statuses?: number[];
  rateLimitRate?: number;
  resetRate?: number;
  latencyMs?: number;
  spikeRate?: number;
  spikeMs?: number;
  seed?: number;
  match?: string;
  next?: NextFault[];
}

const rate = z.number().min(0).max(1);
export const faultConfigSchema = z.strictObject({
  errorRate: rate.optional(),
  statuses: z.array(z.number().int().min(400).max(599)).min(1).optional(),
  rateLimitRate: rate.optional(),
  resetRate: rate.optional(),
  latencyMs: z.number().min(0).optional(),
  spikeRate: rate.optional(),
  spikeMs: z.number().min(0).optional(),
  seed: z.number().int().optional(),
  match: z.string().optional(),
  next: z.array(z.strictObject({
    status: z.number().int().min(100).max(599).optional(),
    reset: z.boolean().optional(),
    retryAfter: z.number().int().min(0).optional(),
    when: z.enum(['before', 'after']).optional(),
    match: z.string().optional(),
  })).optional(),
});

/** What to do to one request. */
export interface FaultDecision {
  delayMs: number;
  /** Apply before the handler runs (nothing changes) or after (the handler's effects stay). */
  when: 'before' | 'after';
  status?: number;
  reset?: boolean;
  retryAfter?: number;
}

const CODES: Record<number, [string, string]> = {
  429: ['rate_limited', 'Too many requests. Retry after {n} seconds.'],
  500: ['internal_error', 'Internal server error (injected by the emulator).'],
  502: ['bad_gateway', 'Bad gateway (injected by the emulator).'],
  503: ['service_unavailable', 'Service unavailable (injected by the emulator).'],
  504: ['gateway_timeout', 'Gateway timeout (injected by the emulator).'],
};

export function faultBody(status: number, retryAfter?: number): { errors: { code: string; message: string }[] } {
  const [code, msg] = CODES[status] ?? ['injected_fault', `Injected fault ${status}.`];
  return { errors: [{ code, message: msg.replace('{n}', String(retryAfter ?? 1)) }] };
}

export class Faults {
  private config: FaultConfig = {};
  private queue: NextFault[] = [];
  private rng = new Rng(1);
  private matchRe?: RegExp;

  constructor(config?: FaultConfig) {
    this.set(config ?? {});
  }

  set(config: FaultConfig): void {
    this.config = { ...config, next: undefined };
    this.queue = [...(config.next ?? [])];
    this.rng = new Rng(config.seed ?? 1);
    this.matchRe = config.match ? new RegExp(config.match) : undefined;
  }

  current(): FaultConfig {
    return { ...this.config, next: [...this.queue] };
  }

  /** `target` is "METHOD /v1/path" (no query string). */
  decide(target: string): FaultDecision | undefined {
    const idx = this.queue.findIndex((f) => !f.match || new RegExp(f.match).test(target));
    if (idx >= 0) {
      const f = this.queue.splice(idx, 1)[0];
      return { delayMs: 0, when: f.when ?? 'before', status: f.reset ? undefined : f.status ?? 503, reset: f.reset, retryAfter: f.retryAfter ?? (f.status === 429 ? 1 : undefined) };
    }
    const c = this.config;
    if (this.matchRe && !this.matchRe.test(target)) return undefined;
    let delayMs = c.latencyMs ?? 0;
    if (c.spikeRate && this.rng.chance(c.spikeRate)) delayMs += c.spikeMs ?? 1000;
    if (c.resetRate && this.rng.chance(c.resetRate)) return { delayMs, when: 'before', reset: true };
    if (c.rateLimitRate && this.rng.chance(c.rateLimitRate)) return { delayMs, when: 'before', status: 429, retryAfter: 1 };
    if (c.errorRate && this.rng.chance(c.errorRate)) {
      const statuses = c.statuses?.length ? c.statuses : [500, 502, 503];
      return { delayMs, when: 'before', status: this.rng.pick(statuses) };
    }
    return delayMs > 0 ? { delayMs, when: 'before' } : undefined;
  }
}
