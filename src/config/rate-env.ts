// The rate gate's settings (issue 18, team server; core/rate-gate.ts), read from the environment once per
// session. Unset, there is no gate at all: a single user's server or CLI behaves exactly as before, kept
// within the account's limit by the in-flight budget and Retry-After (core/rate-budget.ts).
import { UsageError } from '../core/errors.js';

/**
 * integrator.io refills an account's bucket at 300 requests per second (celigo-api.md §1.6): the budget of a
 * deployment that names a Redis but no rate. Lower it when other tools use the same account.
 */
export const DEFAULT_SHARED_RATE_PER_SECOND = 300;
/** Replicas assumed when Redis does not answer: each keeps to 1 / this of the budget. */
export const DEFAULT_REPLICAS = 2;
const MAX_RATE = 100_000;

export interface RateGateConfig {
  /** The account's budget, every replica together (requests per second). */
  perSecond: number;
  /** Tokens the bucket holds at most. */
  burst: number;
  /** Replicas sharing the budget: on fallback each keeps to perSecond / replicas. */
  replicas: number;
  /** One bucket per account in Redis, shared by every replica; unset: a bucket in this process. */
  redisUrl?: string;
}

function blank(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function positive(env: NodeJS.ProcessEnv, name: string, what: string, integer: boolean, max: number): number | undefined {
  const v = blank(env[name]);
  if (v === undefined) return undefined;
  const n = (integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(v) ? Number(v) : NaN;
  if (!(n > 0 && n <= max)) throw new UsageError(`${name} must be ${what} from ${integer ? 1 : 'above 0'} to ${max}, not ${JSON.stringify(env[name])}; unset it for the default.`);
  return n;
}

/**
 * CELIGO_MANAGE_RATE_PER_SECOND (budget; 0 or off: no gate), CELIGO_MANAGE_RATE_BURST (default one second's
 * worth), CELIGO_MANAGE_REPLICAS (default 2), CELIGO_MANAGE_REDIS_URL. Undefined: no gate (the default). A
 * value that does not parse is an error that names the variable.
 */
export function rateGateConfigFromEnv(env: NodeJS.ProcessEnv): RateGateConfig | undefined {
  const redisUrl = blank(env.CELIGO_MANAGE_REDIS_URL);
  if (redisUrl !== undefined && !/^rediss?:\/\/[^/?#]/i.test(redisUrl)) {
    // Not echoed: a mistyped URL may still hold a password.
    throw new UsageError('CELIGO_MANAGE_REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://redis:6379/0 or rediss://:PASSWORD@host:6380 (Valkey answers on the same URLs).');
  }
  const rate = blank(env.CELIGO_MANAGE_RATE_PER_SECOND);
  if (rate !== undefined && /^(0+(\.0+)?|off|none|false)$/i.test(rate)) return undefined;
  const perSecond = positive(env, 'CELIGO_MANAGE_RATE_PER_SECOND', 'requests per second (0 or off: no rate gate)', false, MAX_RATE) ?? (redisUrl ? DEFAULT_SHARED_RATE_PER_SECOND : undefined);
  const burst = positive(env, 'CELIGO_MANAGE_RATE_BURST', 'a whole number of requests', true, MAX_RATE);
  const replicas = positive(env, 'CELIGO_MANAGE_REPLICAS', 'a whole number of replicas', true, 1000);
  if (perSecond === undefined) return undefined;
  return { perSecond, burst: burst ?? Math.max(1, Math.ceil(perSecond)), replicas: replicas ?? DEFAULT_REPLICAS, ...(redisUrl ? { redisUrl } : {}) };
}
