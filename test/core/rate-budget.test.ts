// Issue 13 item 13: one rate budget per account. Hundreds of concurrent requests through one client (every
// MCP session of an HTTP server shares it) against integrator.io's bucket wait their turn instead of failing
// on 429s; a request that cannot get its turn before its deadline fails with a message that says so.
// Distinct URLs: identical GETs in flight would share one request (shared-reads.ts).
// Fake timers: the account's bucket, Retry-After pauses and deadlines run on the same simulated clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpClient, type FetchLike } from '../../src/core/http.js';
import { CeligoApiError, remedyFor } from '../../src/core/errors.js';
import { LeakyBucket } from '../../src/emulator/rate-limit.js';

const base = 'https://api.integrator.io/v1';
const TOKEN = 'secret-token-abcdef0123456789';

function headers(h: Record<string, string>) {
  return { get: (n: string) => h[n.toLowerCase()] ?? null };
}

/** integrator.io's leaky bucket in front of an instant server; counts what it answered. */
function account(capacity: number, refillPerSec: number) {
  const bucket = new LeakyBucket({ capacity, refillPerSec }, () => Date.now());
  const seen = { ok: 0, limited: 0, inFlight: 0, maxInFlight: 0 };
  const fetch: FetchLike = async () => {
    seen.inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    await new Promise((r) => setTimeout(r, 5));
    seen.inFlight--;
    const wait = bucket.take();
    if (wait) {
      seen.limited++;
      return { status: 429, headers: headers({ 'retry-after': String(wait) }), text: async () => '' };
    }
    seen.ok++;
    return { status: 200, headers: headers({ 'content-type': 'application/json' }), text: async () => '[]' };
  };
  return { fetch, seen };
}

describe('one rate budget per account', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('300 concurrent requests against a small bucket all get through, in turn', async () => {
    const acct = account(10, 20);
    const http = new HttpClient({ baseUrl: base, token: TOKEN, fetch: acct.fetch });
    const all = Promise.allSettled(Array.from({ length: 300 }, (_, i) => http.request('GET', '/flows', { query: { n: i } })));
    await vi.runAllTimersAsync();
    const results = await all;
    const failed = results.filter((r) => r.status === 'rejected');
    expect({ failed: failed.length, limited: acct.seen.limited }).toEqual({ failed: 0, limited: acct.seen.limited });
    expect(acct.seen.ok).toBe(300);
    // Waiting is done in the queue (each 429 pauses everyone), not by each request hammering the account.
    expect(acct.seen.limited).toBeLessThan(450);
  });

  it('keeps at most maxInFlight requests in flight to one account', async () => {
    const acct = account(1000, 300);
    const http = new HttpClient({ baseUrl: base, token: TOKEN, fetch: acct.fetch, maxInFlight: 4 });
    const all = Promise.all(Array.from({ length: 50 }, (_, i) => http.request('GET', '/flows', { query: { n: i } })));
    await vi.runAllTimersAsync();
    await all;
    expect(acct.seen.maxInFlight).toBe(4);
  });

  it('a request that cannot get its turn before its deadline fails with a message that says why', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const fetch: FetchLike = async (url) => {
      if (url.endsWith('/slow')) await held;
      return { status: 200, headers: headers({}), text: async () => '' };
    };
    const http = new HttpClient({ baseUrl: base, token: TOKEN, fetch, maxInFlight: 1, maxWaitMs: 1000 });
    const slow = http.request('GET', '/slow');
    const queued = http.request('GET', '/flows').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1001);
    const err = (await queued) as CeligoApiError;
    expect(err).toBeInstanceOf(CeligoApiError);
    expect(err.status).toBe(429);
    expect(err.message).toMatch(/no turn within 1 s/i);
    expect(remedyFor(err)).toMatch(/fewer calls at once|try again/i);
    release();
    await slow;
  });

  it('a Retry-After beyond the deadline fails at once instead of sleeping into it', async () => {
    const fetch: FetchLike = async () => ({ status: 429, headers: headers({ 'retry-after': '30' }), text: async () => '' });
    const http = new HttpClient({ baseUrl: base, token: TOKEN, fetch, maxWaitMs: 10_000 });
    const started = Date.now();
    let failedAt = 0;
    const pending = http.request('GET', '/flows').catch((e: unknown) => ((failedAt = Date.now()), e));
    await vi.runAllTimersAsync();
    const err = (await pending) as CeligoApiError;
    expect(err.status).toBe(429);
    expect(err.retryAfter).toBe(30);
    expect(failedAt - started).toBeLessThan(1000);
  });

  it('an aborted caller leaves the queue', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const fetch: FetchLike = async (url) => {
      if (url.endsWith('/slow')) await held;
      return { status: 200, headers: headers({}), text: async () => '' };
    };
    const http = new HttpClient({ baseUrl: base, token: TOKEN, fetch, maxInFlight: 1 });
    const slow = http.request('GET', '/slow');
    const ac = new AbortController();
    const queued = http.request('GET', '/flows', { signal: ac.signal }).catch((e: unknown) => e);
    ac.abort(new Error('cancelled by the client'));
    expect(String(await queued)).toMatch(/cancelled by the client/);
    release();
    await slow;
    await expect(http.request('GET', '/flows')).resolves.toMatchObject({ status: 200 });
  });
});
