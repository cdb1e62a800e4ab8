// The account's token bucket in Redis (or Valkey), shared by every replica of a team server (issue 18), and
// the one connection to it a process keeps. Loaded, with ioredis, only when CELIGO_MANAGE_REDIS_URL is set.
// - One bucket per account, keyed by a hash of its base URL and token (rate-gate.ts accountKey): the token
//   never reaches Redis. An atomic Lua script refills and takes, on the Redis server's clock (TIME), never a
//   replica's; it answers 0 (granted) or the ms until the next token (the replica sleeps and asks again).
// - Nothing waits on Redis for long: short connect and command timeouts, no offline queue, no resending. When
//   Redis does not answer, each replica keeps to a local bucket with its share of the budget (1 / replicas),
//   keeps reconnecting in the background, and goes back to the shared bucket as soon as Redis answers again. A
//   request waiting for a token when Redis goes away takes its token from the fallback: nothing is lost.
import type { Redis as RedisClient } from 'ioredis';
import { TokenBucket, WaitingLine, type RateGate, type RateGateStatus } from './rate-gate.js';

/** Prefix of every key the gates write: `celigo-manage:rate:<accountKey>`. */
export const KEY_PREFIX = 'celigo-manage:rate:';
const PROBE_KEY = `${KEY_PREFIX}probe`;

/**
 * KEYS[1]: the account's bucket, a hash {tokens, ts (server ms)}. ARGV: perSecond, burst, cost (1 to take,
 * 0 to only check that the script runs), drain (1: empty the bucket first; a replica back from its fallback
 * does, see redisRateGate). Returns 0 when granted, else the ms until the next token. The key expires once the
 * bucket would be full again anyway, so idle accounts leave nothing behind.
 */
export const TAKE_SCRIPT = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1])
local ts = tonumber(b[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
if now > ts then
  tokens = tokens + (now - ts) * rate / 1000
  ts = now
end
if tokens > burst then tokens = burst end
if ARGV[4] == '1' and tokens > 0 then tokens = 0 end
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
else
  wait = math.ceil((cost - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 60000)
return wait
`;

type BucketClient = RedisClient & { celigoRateTake(key: string, perSecond: number, burst: number, cost: number, drain: 0 | 1): Promise<number> };

export interface RedisLinkOptions {
  /** redis:// or rediss:// (TLS), with user, password and database as usual. */
  url: string;
  /** Longest wait for a connection, at start-up too (default 1000 ms). */
  connectTimeoutMs?: number;
  /** Longest wait for an answer (default 250 ms): past it the call takes its token from the fallback. */
  commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts (default 1000 ms). */
  reconnectMaxMs?: number;
  /** How often a connection that stopped answering is tried again (default 1000 ms). */
  probeMs?: number;
  /** Switches between Redis and the fallback, one line each (stderr in the MCP server). */
  log?: (line: string) => void;
}

/** The URL as it may be shown: no user, no password. */
export function shownRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'the Redis URL';
  }
}

/** One connection to Redis for every account's gate in this process, and whether it answers. */
export class RedisLink {
  private up = false;
  private changedAt = Date.now();
  private lastError = 'not connected yet';
  private probe?: ReturnType<typeof setInterval>;
  private closed = false;
  private readonly shown: string;

  private constructor(
    private readonly client: BucketClient,
    private readonly o: RedisLinkOptions,
  ) {
    this.shown = shownRedisUrl(o.url);
  }

  /** Connects, waiting at most connectTimeoutMs: a Redis that does not answer leaves the link on its fallback. */
  static async open(o: RedisLinkOptions): Promise<RedisLink> {
    const mod = await import('ioredis');
    const Redis = mod.Redis;
    const client = new Redis(o.url, {
      connectTimeout: o.connectTimeoutMs ?? 1000,
      commandTimeout: o.commandTimeoutMs ?? 250,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      // RESP2: every Redis and Valkey speaks it; the script's answer is one integer either way.
      protocol: 2,
      connectionName: 'celigo-manage-rate',
      // close() ends the socket; one Redis already dropped never says 'close' again, and ioredis would keep the
      // process alive this long waiting for it (its default: 2 s at the end of every CLI command).
      disconnectTimeout: 100,
      retryStrategy: (times: number) => Math.min(100 * times, o.reconnectMaxMs ?? 1000),
    }) as BucketClient;
    client.defineCommand('celigoRateTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    const link = new RedisLink(client, o);
    client.on('error', (err: Error) => link.markDown(err));
    client.on('close', () => link.markDown(new Error('connection closed')));
    client.on('ready', () => link.markUp());
    await link.firstAnswer(o.connectTimeoutMs ?? 1000);
    return link;
  }

  /** Whether the shared bucket is in use. */
  get answering(): boolean {
    return this.up;
  }

  /** When the link last switched, and why Redis is not used (while it is not). */
  get state(): { since: string; lastError?: string } {
    return { since: new Date(this.changedAt).toISOString(), ...(this.up ? {} : { lastError: this.lastError }) };
  }

  /**
   * Takes `cost` tokens of the shared bucket (emptied first with `drain`) for one request: 0, or the ms to
   * wait. Throws when Redis does not answer.
   */
  async take(key: string, perSecond: number, burst: number, drain = false, cost = 1): Promise<number> {
    try {
      const wait = Number(await this.client.celigoRateTake(key, perSecond, burst, cost, drain ? 1 : 0));
      this.markUp();
      return wait;
    } catch (err) {
      this.markDown(err);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.probe) clearInterval(this.probe);
    this.client.disconnect();
  }

  private firstAnswer(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off('ready', done);
        this.client.off('error', done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.markDown(new Error(`no answer within ${timeoutMs} ms`));
        done();
      }, timeoutMs + 50);
      this.client.once('ready', done);
      this.client.once('error', done);
    });
  }

  private markUp(): void {
    if (this.up || this.closed) return;
    const first = this.lastError === 'not connected yet';
    this.up = true;
    this.changedAt = Date.now();
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
    this.o.log?.(first ? `rate gate: using the shared bucket in Redis at ${this.shown}` : `rate gate: Redis at ${this.shown} answers again; back on the shared bucket`);
  }

  private markDown(err: unknown): void {
    if (this.closed) return;
    const message = this.describe(err);
    const wasUp = this.up || this.lastError === 'not connected yet';
    this.lastError = message;
    if (!wasUp) return;
    this.up = false;
    this.changedAt = Date.now();
    this.o.log?.(`rate gate: Redis at ${this.shown} does not answer (${message}); each replica keeps to its share of the budget until it does`);
    // A connection that stays open but stopped answering sends no 'ready' when it comes back: ask it.
    this.probe = setInterval(() => void this.tryProbe(), this.o.probeMs ?? 1000);
    this.probe.unref?.();
  }

  private async tryProbe(): Promise<void> {
    if (this.up || this.closed || this.client.status !== 'ready') return;
    try {
      await this.client.celigoRateTake(PROBE_KEY, 1, 1, 0, 0);
      this.markUp();
    } catch (err) {
      this.lastError = this.describe(err);
    }
  }

  /** An error as /healthz may show it: no password, no address. */
  private describe(err: unknown): string {
    const m = (err as { message?: unknown } | undefined)?.message;
    let text = typeof m === 'string' && m ? m : String(err);
    for (const secret of [this.o.url, passwordOf(this.o.url)]) if (secret) text = text.split(secret).join('***');
    text = text.replace(/\s*\[?[\w.:-]*\]?:\d{1,5}\b/g, '').trim();
    return text.slice(0, 200) || 'unknown error';
  }
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

export interface SharedGateOptions {
  /** accountKey(baseUrl, token). */
  key: string;
  perSecond: number;
  burst: number;
  /** Replicas sharing the account: on fallback each keeps to 1 / replicas of the budget. */
  replicas: number;
}

/**
 * How long a replica back from its fallback pays for the others: every replica tries Redis again within a
 * second (reconnection and probes, RedisLinkOptions), so three cover them with room to spare.
 */
export const RETURN_GRACE_MS = 3000;

/** The gate of one account on a RedisLink, with its fallback bucket. */
export function redisRateGate(link: RedisLink, o: SharedGateOptions): RateGate {
  const share = 1 / o.replicas;
  const localPerSecond = o.perSecond * share;
  const fallback = new TokenBucket(localPerSecond, Math.max(1, Math.floor(o.burst * share)));
  const key = KEY_PREFIX + o.key;
  // No burst on either side of a switch, so that the replicas together stay within burst + perSecond × t across
  // it too (with `replicas` at least their number): the fallback starts empty each time it takes over (the shared
  // bucket may just have handed out its burst), and a replica back from its fallback empties the shared bucket
  // (the others may still be on theirs for a moment; a restarted Redis would start full).
  // And for a moment after its return, a replica pays `replicas` tokens a request: the others may still be on
  // their fallback (each notices Redis is back at its next probe), spending their share outside the bucket;
  // paying for them keeps the sum within the budget (measured: test/team/cluster.test.ts, a Redis restart).
  let source: 'none' | 'redis' | 'fallback' = 'none';
  let graceUntil = 0;
  const fromFallback = (): number => {
    if (source !== 'fallback') fallback.drain();
    source = 'fallback';
    return fallback.tryTake();
  };
  const tryTake = async (): Promise<number> => {
    if (!link.answering) return fromFallback();
    try {
      const back = source === 'fallback';
      if (back) graceUntil = Date.now() + RETURN_GRACE_MS;
      const cost = Date.now() < graceUntil ? Math.max(1, Math.min(o.replicas, o.burst)) : 1;
      const wait = await link.take(key, o.perSecond, o.burst, back, cost);
      source = 'redis';
      return wait;
    } catch {
      return fromFallback();
    }
  };
  const line = new WaitingLine(tryTake, () => (link.answering ? o.perSecond : localPerSecond));
  return {
    take: (t) => line.take(t),
    status: (): RateGateStatus => {
      const base = { perSecond: o.perSecond, burst: o.burst, ...link.state };
      return link.answering ? { mode: 'redis', ...base } : { mode: 'fallback', ...base, share, localPerSecond };
    },
    close: async () => {},
  };
}
