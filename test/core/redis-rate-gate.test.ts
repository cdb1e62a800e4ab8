// Issue 18: one bucket per Celigo account in Redis, shared by every replica of a team server, against a real
// redis-server (test/helpers/redis.ts) and a listening emulator. Two HttpClients, each with its own
// connection to Redis, are two replicas; the emulator's arrival times (GET /__emulator/requests/arrivals) say
// whether together they kept to the budget. Then Redis goes away (killed, or paused so that it stops
// answering), comes back, or was never there.
// Tolerance: the bucket grants on Redis' clock; a request arrives at the emulator a little later, by a delay
// that varies with this process' event loop (emulator and replicas share it), so fetch is loaded before the
// first test and each window gets one request of slack.
import { createServer, type Server } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { HttpClient } from '../../src/core/http.js';
import { accountKey, type RateGate } from '../../src/core/rate-gate.js';
import { KEY_PREFIX, RedisLink, redisRateGate, shownRedisUrl } from '../../src/core/redis-link.js';
import { rateHealth } from '../../src/app/rate-gates.js';
import { DEMO_TOKEN, busiestWindow, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { describeWithRedis, freePort, startRedis, type RedisServer } from '../helpers/redis.js';

const RATE = 40;
const BURST = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Replica {
  http: HttpClient;
  link: RedisLink;
  gate: RateGate;
  /** When this replica sent each request (its own clock). */
  sent: number[];
}

describeWithRedis('the shared rate gate in Redis', () => {
  let redis: RedisServer;
  let emu: RunningEmulator;
  const logs: string[] = [];
  const open: Replica[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    emu = await startEmulator({ port: 0, seed: 'empty', quiet: true, rateLimit: false });
    // Load fetch's implementation (undici) now: the first fetch takes tens of ms to load it, which would hold
    // the first burst back and bunch it up with the requests granted after it.
    await fetch(`${emu.url}/__emulator/health`);
  });
  afterAll(async () => {
    await emu?.close();
    await redis?.stop();
  });
  beforeEach(() => emu.clearRequestLog());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.link.close()));
  });

  async function replica(url = redis.url, replicas = 2): Promise<Replica> {
    const link = await RedisLink.open({ url, log: (l) => logs.push(l), probeMs: 100, reconnectMaxMs: 200 });
    const gate = redisRateGate(link, { key: accountKey(emu.baseUrl, DEMO_TOKEN), perSecond: RATE, burst: BURST, replicas });
    const sent: number[] = [];
    const http = new HttpClient({
      baseUrl: emu.baseUrl,
      token: DEMO_TOKEN,
      rateGate: gate,
      fetch: (u, init) => {
        sent.push(Date.now());
        return globalThis.fetch(u, init);
      },
    });
    const r = { http, link, gate, sent };
    open.push(r);
    return r;
  }

  /** Eight callers per replica send requests back to back for `ms`; `during` runs meanwhile. */
  async function hammer(replicas: Replica[], ms: number, during?: () => Promise<void>): Promise<void> {
    const end = Date.now() + ms;
    let n = 0;
    const callers = replicas.flatMap((r) =>
      Array.from({ length: 8 }, async () => {
        while (Date.now() < end) await r.http.request('GET', '/tags', { query: { n: n++ } });
      }),
    );
    await Promise.all([...callers, during?.()]);
  }

  /** Every window of the emulator's arrivals holds at most burst + rate × t requests. */
  function expectWithinBudget(arrivals: number[], perSecond = RATE, burst = BURST): void {
    for (const ms of [250, 500, 1000, 2000]) {
      expect(busiestWindow(arrivals, ms).count, `busiest ${ms} ms`).toBeLessThanOrEqual(burst + (perSecond * ms) / 1000 + 1);
    }
  }

  async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
      await sleep(20);
    }
  }

  it('two replicas hammering together get burst + rate × t, not twice that', async () => {
    const [a, b] = [await replica(), await replica()];
    expect(a.gate.status()).toMatchObject({ mode: 'redis', perSecond: RATE, burst: BURST });
    await hammer([a, b], 2000);
    const arrivals = emu.requestArrivals();
    expectWithinBudget(arrivals);
    // The budget was used, not starved: about 10 + 40 × 2 = 90, shared by both.
    expect(arrivals.length).toBeGreaterThanOrEqual(70);
    expect(Math.min(a.sent.length, b.sent.length)).toBeGreaterThan(arrivals.length / 4);
    // What a later test reads over HTTP: arrivals per second and the busiest sliding second.
    const stats = (await (await fetch(`${emu.url}/__emulator/requests/arrivals`)).json()) as { count: number; perSecond: { count: number }[]; busiest: { windowMs: number; count: number } };
    expect(stats.count).toBe(arrivals.length);
    expect(stats.busiest).toMatchObject({ windowMs: 1000 });
    expect(stats.busiest.count).toBeLessThanOrEqual(BURST + RATE + 1);
    for (const s of stats.perSecond) expect(s.count).toBeLessThanOrEqual(BURST + RATE + 1);
  });

  it('Redis killed mid-run: calls go on at each replica\'s share, /healthz says fallback; back on Redis once it is restarted', async () => {
    const [a, b] = [await replica(), await replica()];
    let killedAt = 0;
    await hammer([a, b], 3000, async () => {
      await sleep(1000);
      await redis.kill();
      killedAt = Date.now();
    });
    for (const r of [a, b]) {
      const status = r.gate.status();
      expect(status).toMatchObject({ mode: 'fallback', perSecond: RATE, burst: BURST, share: 0.5, localPerSecond: RATE / 2 });
      expect(status.lastError).toBeTruthy();
      expect(status.lastError).not.toContain(String(redis.port));
      expect(Date.parse(status.since!)).toBeGreaterThanOrEqual(killedAt - 50);
      const health = rateHealth(status);
      expect(health.status).toBe('degraded');
      expect(health.reason).toMatch(/Redis does not answer .*20 of the account's 40 requests\/s/);
      // Calls went on after the kill, each replica at its share: 20/s (its fallback bucket starts empty).
      const after = r.sent.filter((t) => t >= killedAt);
      expect(after.length).toBeGreaterThanOrEqual(0.7 * (RATE / 2) * 2);
      expectWithinBudget(after, RATE / 2, 1);
    }
    // Together, across the switch: still within the budget.
    expectWithinBudget(emu.requestArrivals());
    expect(logs.join('\n')).toMatch(/does not answer .*each replica keeps to its share/);

    await redis.restart();
    await until('both replicas back on Redis', () => a.gate.status().mode === 'redis' && b.gate.status().mode === 'redis');
    expect(logs.join('\n')).toMatch(/answers again; back on the shared bucket/);
    emu.clearRequestLog();
    await hammer([a, b], 1500);
    expectWithinBudget(emu.requestArrivals());
    expect(a.gate.status().mode).toBe('redis');
  });

  it('Redis that stops answering (paused): calls fall back after the command timeout and return to Redis when it answers', async () => {
    const [a, b] = [await replica(), await replica()];
    await hammer([a, b], 2500, async () => {
      await sleep(700);
      redis.pause();
      await until('fallback after the pause', () => a.gate.status().mode === 'fallback' && b.gate.status().mode === 'fallback', 2000);
      await sleep(500);
      redis.resume();
      await until('Redis again after the pause', () => a.gate.status().mode === 'redis' && b.gate.status().mode === 'redis', 3000);
    });
    expectWithinBudget(emu.requestArrivals());
  });

  it('an unreachable Redis at start: the fallback at once, no hang', async () => {
    const silent: Server = createServer(() => {}); // accepts connections and never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const silentPort = (silent.address() as { port: number }).port;
    try {
      const passwordUrl = `redis://someone:hunter2-pw@127.0.0.1:${await freePort()}/3`;
      for (const url of [`redis://127.0.0.1:${await freePort()}`, `redis://127.0.0.1:${silentPort}`, 'redis://no-such-host.invalid:6379', passwordUrl]) {
        const started = Date.now();
        const r = await replica(url, 2);
        expect(Date.now() - started, url).toBeLessThan(2000);
        expect(r.gate.status(), url).toMatchObject({ mode: 'fallback', localPerSecond: RATE / 2 });
        const t = Date.now();
        await Promise.all(Array.from({ length: 5 }, (_, i) => r.http.request('GET', '/tags', { query: { n: i } })));
        // Five tokens at 20/s from an empty bucket: about a quarter of a second.
        expect(Date.now() - t, url).toBeLessThan(1500);
        await r.link.close();
      }
      // Neither the health nor the log shows a Redis password.
      expect(logs.join('\n')).toContain(shownRedisUrl(passwordUrl));
      expect(shownRedisUrl(passwordUrl)).toMatch(/^redis:\/\/127\.0\.0\.1:\d+\/3$/);
      expect(logs.join('\n')).not.toContain('hunter2-pw');
    } finally {
      silent.close();
    }
  });

  it('the API token is in no Redis key, value or command, and in no log line', async () => {
    const spy = new Redis(redis.url);
    spy.on('error', () => {});
    const seen: string[] = [];
    try {
      const monitor = await spy.monitor();
      monitor.on('monitor', (_time: string, args: string[]) => seen.push(args.join(' ')));
      const r = await replica();
      await hammer([r], 300);
      await sleep(100);
      monitor.disconnect();
      const keys = await spy.keys('*');
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key.startsWith(KEY_PREFIX)).toBe(true);
        expect(key).not.toContain(DEMO_TOKEN);
        for (const v of Object.values(await spy.hgetall(key))) expect(v).toMatch(/^[\d.e+-]+$/);
      }
      expect(seen.join('\n')).toContain(accountKey(emu.baseUrl, DEMO_TOKEN));
      expect(seen.join('\n')).not.toContain(DEMO_TOKEN);
      expect(logs.length).toBeGreaterThan(0);
      for (const line of logs) expect(line).not.toContain(DEMO_TOKEN);
    } finally {
      spy.disconnect();
    }
  });
});
