// Issue 18: the account's rate (requests per second) beside its in-flight budget. The bucket in process and
// the line of takers waiting for it; the HttpClient takes a token in each attempt's turn, and a request that
// gets none before its deadline fails with the same 'rate_budget' error as one that got no turn.
// Fake timers: the bucket, the line's waits and the deadlines run on one simulated clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpClient, type FetchLike } from '../../src/core/http.js';
import { CeligoApiError } from '../../src/core/errors.js';
import { RateWaitTimeout, TokenBucket, WaitingLine, accountKey, localRateGate } from '../../src/core/rate-gate.js';
import { TurnTimeout } from '../../src/core/rate-budget.js';

const base = 'https://api.integrator.io/v1';
const TOKEN = 'secret-token-abcdef0123456789';

function counting() {
  const sent: number[] = [];
  const fetch: FetchLike = async () => {
    sent.push(Date.now());
    return { status: 200, headers: { get: () => null }, text: async () => '' };
  };
  return { sent, fetch };
}

/** The most items in any window of `ms` starting at an item. */
function busiest(times: number[], ms: number): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) best = Math.max(best, times.filter((t) => t >= times[i]! && t < times[i]! + ms).length);
  return best;
}

describe('TokenBucket', () => {
  it('grants its burst at once, then one token per 1/rate s', () => {
    let now = 0;
    const b = new TokenBucket(10, 3, () => now);
    expect([b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([0, 0, 0]);
    expect(b.tryTake()).toBe(100);
    now += 50;
    expect(b.tryTake()).toBe(50);
    now += 50;
    expect(b.tryTake()).toBe(0);
    now += 10_000;
    expect([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake() > 0]).toEqual([0, 0, 0, true]);
  });
});

describe('the account key', () => {
  it('depends on base URL and token and shows neither', () => {
    const k = accountKey(base, TOKEN);
    expect(k).toMatch(/^[0-9a-f]{40}$/);
    expect(k).toBe(accountKey(base + '/', TOKEN));
    expect(k).not.toBe(accountKey(base, TOKEN + 'x'));
    expect(k).not.toBe(accountKey('https://api.eu.integrator.io/v1', TOKEN));
  });
});

describe('a local rate gate', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets at most burst + rate × t requests through in any t, in the order they came', async () => {
    const gate = localRateGate({ perSecond: 20, burst: 5 });
    const order: number[] = [];
    const times: number[] = [];
    const all = Promise.all(
      Array.from({ length: 65 }, (_, i) =>
        gate.take({ deadline: Date.now() + 60_000 }).then(() => {
          order.push(i);
          times.push(Date.now());
        }),
      ),
    );
    await vi.runAllTimersAsync();
    await all;
    const start = times[0]!;
    // 5 at once, then 60 at 20/s: the last one 3 s later.
    expect(times[64]! - start).toBeGreaterThanOrEqual(2950);
    expect(times[64]! - start).toBeLessThanOrEqual(3100);
    for (const ms of [100, 500, 1000, 2000]) expect(busiest(times, ms)).toBeLessThanOrEqual(5 + (20 * ms) / 1000);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(gate.status()).toEqual({ mode: 'local', perSecond: 20, burst: 5 });
  });

  it('a taker past its deadline leaves the line with a RateWaitTimeout that names the setting', async () => {
    const gate = localRateGate({ perSecond: 1, burst: 1 });
    await gate.take({ deadline: Date.now() + 1000 });
    const late = gate.take({ deadline: Date.now() + 500 }).catch((e: unknown) => e);
    const next = gate.take({ deadline: Date.now() + 5000 });
    await vi.advanceTimersByTimeAsync(600);
    const err = await late;
    expect(err).toBeInstanceOf(RateWaitTimeout);
    expect(err).toBeInstanceOf(TurnTimeout);
    expect((err as Error).message).toMatch(/No token within 1 s at 1 requests\/s \(CELIGO_MANAGE_RATE_PER_SECOND/);
    // The token the late one did not wait for goes to the next in line.
    await vi.advanceTimersByTimeAsync(500);
    await expect(next).resolves.toBeUndefined();
  });

  it('an aborted taker leaves the line with the signal reason', async () => {
    const gate = localRateGate({ perSecond: 1, burst: 1 });
    await gate.take({ deadline: Date.now() + 1000 });
    const ac = new AbortController();
    const queued = gate.take({ deadline: Date.now() + 10_000, signal: ac.signal }).catch((e: unknown) => e);
    ac.abort(new Error('cancelled by the client'));
    expect(String(await queued)).toMatch(/cancelled by the client/);
  });

  it('only the head of the line asks the bucket again', async () => {
    let asked = 0;
    let now = Date.now();
    const bucket = new TokenBucket(10, 1, () => now);
    const line = new WaitingLine(
      () => {
        asked++;
        now = Date.now();
        return bucket.tryTake();
      },
      () => 10,
    );
    const all = Promise.all(Array.from({ length: 30 }, () => line.take({ deadline: Date.now() + 60_000 })));
    await vi.runAllTimersAsync();
    await all;
    // 30 tokens: one answer per token plus about one "wait" per token, not one per waiting taker per token.
    expect(asked).toBeLessThan(100);
  });
});

describe('the HttpClient with a rate gate', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends at most burst + rate × t requests', async () => {
    const acct = counting();
    const http = new HttpClient({ baseUrl: base, token: TOKEN, fetch: acct.fetch, rateGate: localRateGate({ perSecond: 10, burst: 2 }) });
    const all = Promise.all(Array.from({ length: 32 }, (_, i) => http.request('GET', '/flows', { query: { n: i } })));
    await vi.runAllTimersAsync();
    await all;
    expect(acct.sent).toHaveLength(32);
    for (const ms of [200, 1000, 2000]) expect(busiest(acct.sent, ms)).toBeLessThanOrEqual(2 + (10 * ms) / 1000);
  });

  it('a request that gets no token before its deadline fails as rate_budget, and frees its turn', async () => {
    const acct = counting();
    const http = new HttpClient({ baseUrl: base, token: TOKEN, fetch: acct.fetch, maxInFlight: 2, maxWaitMs: 1500, rateGate: localRateGate({ perSecond: 1, burst: 1 }) });
    const results = Promise.all(Array.from({ length: 4 }, (_, i) => http.request('GET', '/flows', { query: { n: i } }).catch((e: unknown) => e)));
    await vi.runAllTimersAsync();
    const out = await results;
    const failed = out.filter((r) => r instanceof CeligoApiError) as CeligoApiError[];
    expect(acct.sent).toHaveLength(2);
    expect(failed).toHaveLength(2);
    expect(failed[0]!.code).toBe('rate_budget');
    expect(failed[0]!.status).toBe(429);
    expect(failed[0]!.message).toMatch(/No token within \d s at 1 requests\/s .* for this account's request budget/);
    // The failed requests gave their in-flight turns back.
    const later = http.request('GET', '/flows', { query: { n: 'later' } });
    await vi.runAllTimersAsync();
    await expect(later).resolves.toMatchObject({ status: 200 });
  });

  it('without a gate sends at once, as before', async () => {
    const acct = counting();
    const http = new HttpClient({ baseUrl: base, token: TOKEN, fetch: acct.fetch });
    await Promise.all(Array.from({ length: 20 }, (_, i) => http.request('GET', '/flows', { query: { n: i } })));
    expect(new Set(acct.sent).size).toBe(1);
  });
});
