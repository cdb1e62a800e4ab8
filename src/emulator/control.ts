// Control endpoints under /__emulator (no auth, never rate-limited, never faulted, not in the request log).
import { z } from 'zod';
import { ControlledClock, iso } from './clock.js';
import type { RuntimeConfig } from './config.js';
import { type FaultConfig, faultConfigSchema } from './faults.js';
import type { RateLimitConfig } from './rate-limit.js';
import { arrivalStats } from './arrivals.js';
import { ApiError, type Reply } from './respond.js';
import { MAX_LARGE_SCALE, type SeedName, scaleProblem } from './seed/index.js';
import type { Store } from './store.js';
import { zodEntries } from './validate.js';
import { FORM_IDS } from '../core/forms.js';

export interface RequestLogEntry {
  method: string;
  /** Path with query string, e.g. /v1/jobs?_flowId=... */
  path: string;
  /** 0 when the connection was reset. */
  status: number;
  /** Epoch ms on the emulator clock. */
  at: number;
  mutating: boolean;
  /** Answered by the fault injector: before the request reached the API (no rate-limit token taken, nothing done) or after it was processed. */
  fault?: 'before' | 'after';
}

/** What the control endpoints may touch. */
export interface ControlTarget {
  store(): Store;
  clock: ControlledClock;
  config: RuntimeConfig;
  reset(seed?: SeedName, scale?: number): void;
  setFaults(f: FaultConfig): void;
  faults(): FaultConfig;
  requestLog(): RequestLogEntry[];
  /** When each request of the log arrived, epoch ms on the real clock (arrivals.ts). */
  requestArrivals(): number[];
  clearRequestLog(): void;
  setRateLimit(r: RateLimitConfig | false): void;
  rateLimit(): RateLimitConfig | false;
}

const SEEDS = ['demo', 'empty', 'large', 'sandbox'] as const;
const resetBody = z.strictObject({ seed: z.enum(SEEDS).optional(), scale: z.number().int().min(1).max(MAX_LARGE_SCALE).optional() });
const clockBody = z.strictObject({
  now: z.union([z.number(), z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be epoch ms or an ISO date')]).optional(),
  advanceMs: z.number().optional(),
});
const configBody = z.strictObject({
  pageSize: z.number().int().min(1).max(100_000).optional(),
  jobsPageSize: z.number().int().min(1).max(100_000).optional(),
  errorsPageSize: z.number().int().min(1).max(100_000).optional(),
  auditPageSize: z.number().int().min(1).max(100_000).optional(),
  emptyListStatus: z.union([z.literal(200), z.literal(204)]).optional(),
  rateLimit: z.union([z.literal(false), z.strictObject({ capacity: z.number().int().min(1), refillPerSec: z.number().min(0) })]).optional(),
});

const formValue = z.enum(['expected', 'other']);
/** `{"all":"other"}` switches every uncertain row; `{"resolved-key":"other", …}` one by one; `all` first. */
const formsBody = z.strictObject({ all: formValue.optional(), ...Object.fromEntries(FORM_IDS.map((id) => [id, formValue.optional()])) });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new ApiError(422, zodEntries(r.error, body));
  return r.data;
}

function clockReply(t: ControlTarget): Reply {
  const now = t.clock.now();
  return { status: 200, body: { now, iso: iso(now) } };
}

function formsReply(t: ControlTarget): Record<string, 'expected' | 'other'> {
  return Object.fromEntries(FORM_IDS.map((id) => [id, t.config.forms[id] ?? 'expected']));
}

export function handleControl(t: ControlTarget, method: string, path: string, body: unknown): Reply {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /__emulator/health':
      return { status: 200, body: { ok: true, seed: t.store().seedName, scale: t.store().seedScale, now: iso(t.clock.now()), counts: t.store().counts() } };
    case 'POST /__emulator/reset': {
      const b = parse(resetBody, body);
      const problem = b.scale === undefined ? undefined : scaleProblem(b.seed ?? t.store().seedName, b.scale);
      if (problem) throw new ApiError(422, 'invalid_scale', problem, 'scale');
      t.reset(b.seed, b.scale);
      return { status: 200, body: { ok: true, seed: t.store().seedName, scale: t.store().seedScale, counts: t.store().counts() } };
    }
    case 'GET /__emulator/clock':
      return clockReply(t);
    case 'POST /__emulator/clock': {
      const b = parse(clockBody, body);
      if (b.now !== undefined) t.clock.set(typeof b.now === 'number' ? b.now : Date.parse(b.now));
      if (b.advanceMs !== undefined) t.clock.advance(b.advanceMs);
      return clockReply(t);
    }
    case 'GET /__emulator/faults':
      return { status: 200, body: t.faults() };
    case 'POST /__emulator/faults': {
      const b = parse(faultConfigSchema, body);
      t.setFaults(b as FaultConfig);
      return { status: 200, body: t.faults() };
    }
    case 'GET /__emulator/forms':
      return { status: 200, body: formsReply(t) };
    case 'POST /__emulator/forms': {
      const b = parse(formsBody, body) as Record<string, 'expected' | 'other' | undefined>;
      if (b.all) for (const id of FORM_IDS) t.config.forms[id] = b.all;
      for (const id of FORM_IDS) if (b[id]) t.config.forms[id] = b[id];
      return { status: 200, body: formsReply(t) };
    }
    case 'GET /__emulator/requests':
      return { status: 200, body: t.requestLog() };
    case 'GET /__emulator/requests/arrivals':
      return { status: 200, body: arrivalStats(t.requestArrivals()) };
    case 'DELETE /__emulator/requests':
      t.clearRequestLog();
      return { status: 204 };
    case 'GET /__emulator/config':
      return { status: 200, body: { ...t.config, rateLimit: t.rateLimit() } };
    case 'POST /__emulator/config': {
      const b = parse(configBody, body);
      const { rateLimit, ...rest } = b;
      Object.assign(t.config, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
      if (rateLimit !== undefined) t.setRateLimit(rateLimit);
      return { status: 200, body: { ...t.config, rateLimit: t.rateLimit() } };
    }
  }
  const dl = /^GET \/__emulator\/downloads\/([\w.-]+)$/.exec(route);
  if (dl) {
    const doc = t.store().downloads.get(dl[1]);
    if (doc === undefined) throw new ApiError(404, 'not_found', 'Download not found or expired.');
    return { status: 200, text: doc, headers: { 'Content-Type': dl[1].startsWith('joberrors-') ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8' } };
  }
  throw new ApiError(404, 'not_found', `No control endpoint ${route}.`);
}
