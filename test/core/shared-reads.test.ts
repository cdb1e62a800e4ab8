// Issue 14 item 4, fewer duplicate reads: identical GETs in flight share one request (each caller its own
// parse, aborts counted), and a session's list cache answers its next list reads for a short time, never
// jobs or single objects, and never across a write through the same client.
import { describe, expect, it } from 'vitest';
import { HttpClient, type FetchLike } from '../../src/core/http.js';
import { CeligoApiError } from '../../src/core/errors.js';
import { PROCESS_MAX_CHARS, ReadCache, isCachedList, withReadCache } from '../../src/core/shared-reads.js';
import { mockFetch } from '../helpers/mock-fetch.js';

const TOKEN = 'secret-token-abcdef0123456789';
const base = 'https://api.integrator.io/v1';

function headers(h: Record<string, string>) {
  return { get: (n: string) => h[n.toLowerCase()] ?? null };
}

/** A fetch whose answers wait until the test releases them; records every call and its signal. */
function heldFetch() {
  const calls: { method: string; url: string; signal?: AbortSignal; answer(status: number, body?: unknown): void }[] = [];
  const fetch: FetchLike = (url, init) =>
    new Promise((resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      calls.push({
        method: init.method,
        url,
        signal: init.signal,
        answer: (status, body) =>
          resolve({ status, headers: headers({ 'content-type': 'application/json' }), text: async () => (body === undefined ? '' : JSON.stringify(body)) }),
      });
    });
  return { fetch, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function client(fetch: FetchLike | typeof globalThis.fetch, extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  const sleeps: number[] = [];
  const http = new HttpClient({ baseUrl: base, token: TOKEN, fetch: fetch as FetchLike, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, ...extra });
  return { http, sleeps };
}

describe('identical GETs in flight share one request', () => {
  it('two at once make one fetch, and each caller gets its own body', async () => {
    const m = mockFetch(() => ({ status: 200, body: [{ _id: 'f1', steps: [{ a: 1 }] }] }));
    const { http } = client(m.fetch);
    const [a, b] = await Promise.all([http.request('GET', '/flows'), http.request('GET', '/flows')]);
    expect(m.calls).toHaveLength(1);
    expect(a.body).toEqual(b.body);
    expect(a.body).not.toBe(b.body);
    expect((a.body as { steps: unknown[] }[])[0].steps).not.toBe((b.body as { steps: unknown[] }[])[0].steps);
    expect(http.stats).toMatchObject({ requests: 1, sharedInFlight: 1 });
  });

  it('different queries, one after the other, and read-only POSTs are never shared', async () => {
    const m = mockFetch(() => ({ status: 200, body: [] }));
    const { http } = client(m.fetch);
    await Promise.all([http.request('GET', '/flows', { query: { a: 1 } }), http.request('GET', '/flows', { query: { a: 2 } })]);
    expect(m.calls).toHaveLength(2);
    await http.request('GET', '/flows', { query: { a: 1 } });
    expect(m.calls).toHaveLength(3);
    await Promise.all([http.request('POST', '/connections/c/ping', { readOnlyPost: true }), http.request('POST', '/connections/c/ping', { readOnlyPost: true })]);
    expect(m.calls).toHaveLength(5);
    expect(http.stats.sharedInFlight).toBe(0);
  });

  it('a caller that aborts leaves at once; the other still gets its answer', async () => {
    const f = heldFetch();
    const { http } = client(f.fetch);
    const ac = new AbortController();
    const leaving = http.request('GET', '/flows', { signal: ac.signal }).catch((e: unknown) => e);
    const staying = http.request('GET', '/flows');
    await tick();
    expect(f.calls).toHaveLength(1);
    ac.abort(new Error('cancelled by the first caller'));
    expect(String(await leaving)).toMatch(/cancelled by the first caller/);
    expect(f.calls[0].signal?.aborted).toBe(false);
    f.calls[0].answer(200, [{ _id: 'f1' }]);
    await expect(staying).resolves.toMatchObject({ body: [{ _id: 'f1' }] });
  });

  it('the request is aborted only when every caller has aborted', async () => {
    const f = heldFetch();
    const { http } = client(f.fetch);
    const [ac1, ac2] = [new AbortController(), new AbortController()];
    const one = http.request('GET', '/flows', { signal: ac1.signal }).catch((e: unknown) => e);
    const two = http.request('GET', '/flows', { signal: ac2.signal }).catch((e: unknown) => e);
    await tick();
    ac1.abort(new Error('one'));
    await tick();
    expect(f.calls[0].signal?.aborted).toBe(false);
    ac2.abort(new Error('two'));
    expect(f.calls[0].signal?.aborted).toBe(true);
    expect(String(await one)).toMatch(/one/);
    expect(String(await two)).toMatch(/two/);
    // A new caller does not join the aborted request: it sends its own.
    const three = http.request('GET', '/flows');
    await tick();
    expect(f.calls).toHaveLength(2);
    f.calls[1].answer(200, []);
    await expect(three).resolves.toMatchObject({ status: 200 });
  });

  it('a shared request that fails after its retries fails every caller, retried once for all', async () => {
    const m = mockFetch(() => ({ status: 500, body: { errors: [{ code: 'server_error', message: 'boom' }] } }));
    const { http, sleeps } = client(m.fetch, { maxRetries: 2 });
    const [a, b] = await Promise.all([http.request('GET', '/flows').catch((e: unknown) => e), http.request('GET', '/flows').catch((e: unknown) => e)]);
    expect(m.calls).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    for (const e of [a, b]) expect(e).toMatchObject({ status: 500, attempts: 3 });
    expect(a).toBeInstanceOf(CeligoApiError);
  });

  it('a 429 is waited out once, and both callers get the retried answer', async () => {
    const m = mockFetch([
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 200, body: [{ _id: 'i1' }] },
    ]);
    const { http, sleeps } = client(m.fetch);
    const [a, b] = await Promise.all([http.request('GET', '/integrations'), http.request('GET', '/integrations')]);
    expect(m.calls).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
    expect(a.body).toEqual([{ _id: 'i1' }]);
    expect(b.body).toEqual([{ _id: 'i1' }]);
  });

  it('a GET sent after a write never joins one that was in flight before it (read your writes)', async () => {
    const f = heldFetch();
    const { http } = client(f.fetch);
    const before = http.request('GET', '/flows/f1');
    await tick();
    const write = http.request('PATCH', '/flows/f1', { body: [] });
    await tick();
    f.calls[1].answer(204);
    await write;
    const after = http.request('GET', '/flows/f1');
    await tick();
    expect(f.calls.map((c) => c.method)).toEqual(['GET', 'PATCH', 'GET']);
    f.calls[0].answer(200, { _id: 'f1', name: 'old' });
    f.calls[2].answer(200, { _id: 'f1', name: 'new' });
    expect((await before).body).toMatchObject({ name: 'old' });
    expect((await after).body).toMatchObject({ name: 'new' });
  });
});

describe("a session's list cache", () => {
  function setup(ttlMs = 30_000) {
    const m = mockFetch((url) => {
      if (url.pathname.endsWith('/lost')) return { throw: new TypeError('fetch failed') };
      return url.pathname.endsWith('/fail') || url.searchParams.has('fail') ? { status: 500 } : { status: 200, body: [{ _id: url.pathname }] };
    });
    const { http } = client(m.fetch, { maxRetries: 0 });
    let now = 1_000_000;
    const clock = { advance: (ms: number) => void (now += ms) };
    const session = () => new ReadCache({ ttlMs, now: () => now });
    return { http, calls: m.calls, clock, session };
  }

  it('answers the same list again within its TTL, each time with a fresh body, and goes to the network after it', async () => {
    const { http, calls, clock, session } = setup();
    const cache = session();
    const first = await withReadCache(cache, () => http.request('GET', '/flows', { query: { integration: 'i1' } }));
    (first.body as Record<string, unknown>[])[0].changed = true;
    const second = await withReadCache(cache, () => http.request('GET', '/flows', { query: { integration: 'i1' } }));
    expect(calls).toHaveLength(1);
    expect(second.body).toEqual([{ _id: '/v1/flows' }]);
    expect(http.stats).toMatchObject({ cacheHits: 1, cacheMisses: 1 });
    clock.advance(30_001);
    await withReadCache(cache, () => http.request('GET', '/flows', { query: { integration: 'i1' } }));
    expect(calls).toHaveLength(2);
  });

  it('inside one call, a list read again goes to the network (it is wanted fresh), and the fresh answer is kept', async () => {
    const { http, calls, session } = setup();
    const cache = session();
    await withReadCache(cache, () => http.request('GET', '/connections'));
    await withReadCache(cache, async () => {
      await http.request('GET', '/connections');
      expect(calls).toHaveLength(1);
      await http.request('GET', '/connections');
      expect(calls).toHaveLength(2);
    });
    await withReadCache(cache, () => http.request('GET', '/connections'));
    expect(calls).toHaveLength(2);
    expect(http.stats).toMatchObject({ cacheHits: 2, cacheMisses: 2 });
  });

  it("belongs to its session: another session's cache and no scope at all go to the network", async () => {
    const { http, calls, session } = setup();
    const [a, b] = [session(), session()];
    await withReadCache(a, () => http.request('GET', '/integrations'));
    await withReadCache(b, () => http.request('GET', '/integrations'));
    await http.request('GET', '/integrations');
    expect(calls).toHaveLength(3);
    await withReadCache(a, () => http.request('GET', '/integrations'));
    expect(calls).toHaveLength(3);
    // One cache used by two clients (two accounts) never answers for the other.
    const other = client(mockFetch(() => ({ status: 200, body: [] })).fetch).http;
    const before = other.stats.requests;
    await withReadCache(a, () => other.request('GET', '/integrations'));
    expect(other.stats.requests).toBe(before + 1);
  });

  it('never keeps jobs, errors, single objects, or a failed list', async () => {
    const { http, calls, session } = setup();
    const cache = session();
    for (const path of ['/jobs', '/flows/f1', '/flows/f1/errors', '/integrations/i1/errors', '/flows/f1/jobs/latest', '/ping']) {
      await withReadCache(cache, () => http.request('GET', path));
      await withReadCache(cache, () => http.request('GET', path));
    }
    expect(calls).toHaveLength(12);
    await withReadCache(cache, () => http.request('GET', '/flows', { query: { fail: 1 } })).catch(() => undefined);
    await withReadCache(cache, () => http.request('GET', '/flows', { query: { fail: 1 } })).catch(() => undefined);
    expect(calls).toHaveLength(14);
    expect(cache.size).toBe(0);
  });

  it('knows the lists: collections, an integration’s own lists and their next pages', () => {
    const u = (p: string) => new URL('https://api.integrator.io' + p);
    for (const p of ['/v1/integrations', '/v1/flows?skip=1000', '/v1/exports/', '/v1/imports', '/v1/connections', '/v1/tags', '/v1/integrations/i1/flows', '/v1/integrations/i1/connections']) {
      expect(isCachedList(u(p), '/v1'), p).toBe(true);
    }
    for (const p of ['/v1/jobs', '/v1/flows/f1', '/v1/integrations/i1', '/v1/integrations/i1/errors', '/v1/flows/f1/s1/errors', '/v1/audit', '/v2/flows', '/flows']) {
      expect(isCachedList(u(p), '/v1'), p).toBe(false);
    }
  });

  it('is dropped by any write through the client, one that fails too, for every session', async () => {
    const { http, calls, session } = setup();
    const [a, b] = [session(), session()];
    const list = (c: ReadCache) => withReadCache(c, () => http.request('GET', '/flows'));
    await list(a);
    await list(b);
    await http.request('PATCH', '/flows/f1', { body: [] });
    await list(a);
    await list(b);
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(4);
    await expect(http.request('PUT', '/fail', { body: {} })).rejects.toMatchObject({ status: 500 });
    await list(a);
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(5);
    // A write lost on the way (no answer) may have landed all the same.
    await expect(http.request('PUT', '/flows/lost', { body: {} })).rejects.toMatchObject({ code: 'network_error' });
    await list(a);
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(6);
    // A read-only POST changes nothing: the list stays.
    await http.request('POST', '/connections/c/ping', { readOnlyPost: true });
    await list(a);
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(6);
  });

  it('does not keep a list that was in flight while a write was sent', async () => {
    const f = heldFetch();
    const { http } = client(f.fetch);
    const cache = new ReadCache();
    const list = withReadCache(cache, () => http.request('GET', '/flows'));
    await tick();
    const write = http.request('PATCH', '/flows/f1', { body: [] });
    await tick();
    f.calls[0].answer(200, [{ _id: 'f1', name: 'before' }]);
    await list;
    f.calls[1].answer(204);
    await write;
    expect(cache.size).toBe(0);
    const again = withReadCache(cache, () => http.request('GET', '/flows'));
    await tick();
    expect(f.calls).toHaveLength(3);
    f.calls[2].answer(200, [{ _id: 'f1', name: 'after' }]);
    expect((await again).body).toEqual([{ _id: 'f1', name: 'after' }]);
  });

  it('keeps at most its bound, oldest out, and nothing with a TTL of 0', async () => {
    const { http, calls } = setup();
    const small = new ReadCache({ maxEntries: 2 });
    for (const q of [1, 2, 3]) await withReadCache(small, () => http.request('GET', '/flows', { query: { q } }));
    expect(small.size).toBe(2);
    await withReadCache(small, () => http.request('GET', '/flows', { query: { q: 3 } }));
    expect(calls).toHaveLength(3);
    await withReadCache(small, () => http.request('GET', '/flows', { query: { q: 1 } }));
    expect(calls).toHaveLength(4);
    const off = new ReadCache({ ttlMs: 0 });
    await withReadCache(off, () => http.request('GET', '/tags'));
    await withReadCache(off, () => http.request('GET', '/tags'));
    expect(calls).toHaveLength(6);
    expect(off.size).toBe(0);
  });

  it('keeps at most PROCESS_MAX_CHARS over every session, each giving up its oldest first', () => {
    const owner = {};
    const answer = (n: number) => ({ status: 200, headers: new Headers(), text: 'x'.repeat(n), attempts: 1 });
    const mb = 2 ** 20;
    // Twelve sessions each keeping 1.5 MB would hold 18 MB: the process keeps at most 16.
    const caches = Array.from({ length: 12 }, () => new ReadCache({ ttlMs: 60_000 }));
    caches.forEach((c, i) => c.set(owner, 0, `https://x/v1/flows?s=${i}`, answer(1.5 * mb)));
    const kept = caches.filter((c) => c.size > 0).length;
    expect(kept * 1.5 * mb).toBeLessThanOrEqual(PROCESS_MAX_CHARS);
    expect(kept).toBe(10);
    // A session over the limit gives up its own oldest answer for a newer one.
    caches[0].set(owner, 0, 'https://x/v1/flows?s=0b', answer(1.5 * mb));
    caches[0].set(owner, 0, 'https://x/v1/flows?s=0c', answer(0.4 * mb));
    expect(caches[0].size).toBeLessThanOrEqual(2);
    for (const c of caches) c.clear();
    // Cleared, the room is there again.
    caches[11].set(owner, 0, 'https://x/v1/flows?s=11', answer(1.5 * mb));
    expect(caches[11].size).toBe(1);
    caches[11].clear();
  });
});
