// The rate gates of a session (issue 18, team server): one per Celigo account the session opens, from the
// settings in the environment (config/rate-env.ts). With CELIGO_MANAGE_REDIS_URL they share one connection
// to Redis (core/redis-link.ts, loaded only then); without, each is a bucket in this process; with neither a
// rate nor a Redis URL there are none and the HttpClient runs as it always did.
import { accountKey, localRateGate, type RateGate, type RateGateStatus } from '../core/rate-gate.js';
import { rateGateConfigFromEnv } from '../config/rate-env.js';

export interface RateGates {
  /** The gate of the account at this base URL with this token (one per account); undefined: no gate. */
  for(baseUrl: string, token: string): RateGate | undefined;
  /** The session's own account's gate (the first one asked for). */
  status(): RateGateStatus;
  close(): Promise<void>;
}

export interface RateGatesOptions {
  /** Connection timeouts and the like of the Redis link (tests). */
  redis?: { connectTimeoutMs?: number; commandTimeoutMs?: number; reconnectMaxMs?: number; probeMs?: number };
  log?: (line: string) => void;
}

const NONE: RateGates = { for: () => undefined, status: () => ({ mode: 'off' }), close: async () => {} };

export async function openRateGates(env: NodeJS.ProcessEnv, o: RateGatesOptions = {}): Promise<RateGates> {
  const cfg = rateGateConfigFromEnv(env);
  if (!cfg) return NONE;
  let make: (key: string) => RateGate = () => localRateGate(cfg);
  let close = async () => {};
  if (cfg.redisUrl) {
    const { RedisLink, redisRateGate } = await import('../core/redis-link.js');
    const link = await RedisLink.open({ url: cfg.redisUrl, ...o.redis, log: o.log });
    make = (key) => redisRateGate(link, { key, ...cfg });
    close = () => link.close();
  }
  const gates = new Map<string, RateGate>();
  let first: RateGate | undefined;
  return {
    for(baseUrl, token) {
      const key = accountKey(baseUrl, token);
      let g = gates.get(key);
      if (!g) gates.set(key, (g = make(key)));
      first ??= g;
      return g;
    },
    status: () => first?.status() ?? { mode: cfg.redisUrl ? 'redis' : 'local', perSecond: cfg.perSecond, burst: cfg.burst },
    close,
  };
}

/** What /healthz adds for the rate gate: degraded (still 200) while a replica is on its fallback, and why. */
export function rateHealth(rate: RateGateStatus): { status?: 'degraded'; reason?: string; rate: RateGateStatus } {
  if (rate.mode !== 'fallback') return { rate };
  const reason = `Redis does not answer (${rate.lastError ?? 'unknown error'}); this replica keeps to ${rate.localPerSecond} of the account's ${rate.perSecond} requests/s until it does`;
  return { status: 'degraded', reason, rate };
}
