import { describe, it, expect } from 'vitest';
import { HttpClient } from '../../src/core/http.js';
import { listAll, listAllJobs, listAllByNextPageUrl, nextLink } from '../../src/core/paging.js';
import { ReadCache, withReadCache } from '../../src/core/shared-reads.js';
import { mockFetch, noSleep } from '../helpers/mock-fetch.js';

const base = 'https://api.integrator.io/v1';
const mk = (answers: Parameters<typeof mockFetch>[0]) => {
  const m = mockFetch(answers);
  return { http: new HttpClient({ baseUrl: base, token: 't', fetch: m.fetch, sleep: noSleep }), calls: m.calls };
};

describe('paging', () => {
  it('parses rel="next" among several links', () => {
    expect(nextLink('<https://a/v1/x?skip=0>; rel="prev", <https://a/v1/x?skip=2>; rel="next"')).toBe('https://a/v1/x?skip=2');
    expect(nextLink('<https://a/v1/x?skip=0>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });

  it('follows Link headers to the end', async () => {
    const { http, calls } = mk([
      { status: 200, body: [{ _id: '1' }, { _id: '2' }], headers: { link: `<${base}/flows?skip=2&limit=2>; rel="next"` } },
      { status: 200, body: [{ _id: '3' }], headers: { link: `<${base}/flows?skip=0&limit=2>; rel="prev"` } },
    ]);
    const rows = await listAll<{ _id: string }>(http, '/flows');
    expect(rows.map((r) => r._id)).toEqual(['1', '2', '3']);
    expect(calls[1].url).toBe(`${base}/flows?skip=2&limit=2`);
  });

  it('streamed: follows Link headers row by row; a page whose connection dropped is read again without doubles', async () => {
    let call = 0;
    const urls: string[] = [];
    const fetch = async (url: string) => {
      urls.push(url);
      call++;
      const pages: Record<number, { rows: string; link?: string; breakAfter?: number }> = {
        1: { rows: '[{"_id":"1"},{"_id":"2"}]', link: `<${base}/flows?skip=2>; rel="next"` },
        2: { rows: '[{"_id":"3"},{"_id":"4"}]', breakAfter: 1 },
        3: { rows: '[{"_id":"3"},{"_id":"4"}]', link: `<${base}/flows?skip=4>; rel="next"` },
        4: { rows: '[{"_id":"5"}]' },
      };
      const p = pages[call]!;
      const bytes = new TextEncoder().encode(p.rows);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (p.breakAfter !== undefined && sent >= p.breakAfter) return c.error(new TypeError('terminated'));
          if (sent * 8 >= bytes.length) return c.close();
          c.enqueue(bytes.slice(sent * 8, ++sent * 8));
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json', ...(p.link ? { link: p.link } : {}) } });
    };
    const http = new HttpClient({ baseUrl: base, token: 't', fetch: fetch as never, sleep: noSleep });
    const rows = await listAll<{ _id: string }>(http, '/flows', {}, { stream: true });
    expect(rows.map((r) => r._id)).toEqual(['1', '2', '3', '4', '5']);
    expect(urls).toEqual([`${base}/flows`, `${base}/flows?skip=2`, `${base}/flows?skip=2`, `${base}/flows?skip=4`]);
  });

  it("streamed, inside a session with a list cache: read whole, so the session's next call reuses it", async () => {
    const { http, calls } = mk([{ status: 200, body: [{ _id: '1' }, { _id: '2' }] }]);
    const cache = new ReadCache({ ttlMs: 30_000 });
    const first = await withReadCache(cache, () => listAll<{ _id: string }>(http, '/flows', {}, { stream: true }));
    const again = await withReadCache(cache, () => listAll<{ _id: string }>(http, '/flows', {}, { stream: true }));
    expect([first, again].map((r) => r.map((x) => x._id))).toEqual([['1', '2'], ['1', '2']]);
    expect(calls).toHaveLength(1);
  });

  it('stops at the caller limit', async () => {
    const { http, calls } = mk([
      { status: 200, body: [{ _id: '1' }, { _id: '2' }], headers: { link: `<${base}/flows?skip=2>; rel="next"` } },
    ]);
    expect(await listAll(http, '/flows', {}, { limit: 1 })).toHaveLength(1);
    expect(calls).toHaveLength(1);
  });

  it('reads 204 with no body as an empty list', async () => {
    const { http } = mk([{ status: 204 }]);
    expect(await listAll(http, '/flows')).toEqual([]);
  });

  it('pages jobs with createdAt_lte and drops rows seen twice', async () => {
    const t = (ms: number) => new Date(Date.UTC(2026, 10, 1) + ms).toISOString();
    const page1 = Array.from({ length: 1000 }, (_, i) => ({ _id: `a${i}`, createdAt: t(10_000 - i) }));
    // the next page repeats the last row (same ms) and continues
    const page2 = [page1[999], ...Array.from({ length: 5 }, (_, i) => ({ _id: `b${i}`, createdAt: t(9000 - i) }))];
    const { http, calls } = mk([{ status: 200, body: page1 }, { status: 200, body: page2 }]);
    const rows = await listAllJobs(http, { _flowId: 'f' });
    expect(rows).toHaveLength(1005);
    expect(new Set(rows.map((r) => r._id)).size).toBe(1005);
    expect(new URL(calls[1].url).searchParams.get('createdAt_lte')).toBe(page1[999].createdAt);
  });

  it('steps back 1 ms when a whole page shares one createdAt', async () => {
    const same = new Date(Date.UTC(2026, 10, 1)).toISOString();
    const page = Array.from({ length: 1000 }, (_, i) => ({ _id: `s${i}`, createdAt: same }));
    const { http, calls } = mk([{ status: 200, body: page }, { status: 200, body: page }, { status: 200, body: [] }]);
    const rows = await listAllJobs(http, {});
    expect(rows).toHaveLength(1000);
    expect(new URL(calls[2].url).searchParams.get('createdAt_lte')).toBe(new Date(Date.parse(same) - 1).toISOString());
  });

  it('parses a jobs page while the next one is on its way, and only rows not seen before', async () => {
    const t = (ms: number) => new Date(Date.UTC(2026, 10, 1) + ms).toISOString();
    const page1 = Array.from({ length: 1000 }, (_, i) => ({ _id: `a${i}`, createdAt: t(10_000 - i) }));
    const page2 = [page1[999], { _id: 'b0', createdAt: t(8000) }];
    const { http, calls } = mk([{ status: 200, body: page1 }, { status: 200, body: page2 }]);
    const sentWhenParsed: number[] = [];
    const rows = await listAllJobs(http, {}, {
      parse: (r) => {
        sentWhenParsed.push(calls.length);
        return { id: r._id };
      },
    });
    expect(rows).toHaveLength(1001);
    expect(rows.at(-1)).toEqual({ id: 'b0' });
    // Page one was parsed after page two had been asked for.
    expect(sentWhenParsed[0]).toBe(2);
  });

  it('asks for no further jobs page once the caller limit is reached', async () => {
    const t = (ms: number) => new Date(Date.UTC(2026, 10, 1) + ms).toISOString();
    const page1 = Array.from({ length: 1000 }, (_, i) => ({ _id: `a${i}`, createdAt: t(10_000 - i) }));
    const { http, calls } = mk([{ status: 200, body: page1 }]);
    expect(await listAllJobs(http, {}, { limit: 1000 })).toHaveLength(1000);
    expect(await listAllJobs(mk([{ status: 200, body: page1 }]).http, {}, { limit: 10 })).toHaveLength(10);
    expect(calls).toHaveLength(1);
  });

  it('fails on a row that does not parse, without leaving the page in flight unhandled', async () => {
    const t = (ms: number) => new Date(Date.UTC(2026, 10, 1) + ms).toISOString();
    const page1 = Array.from({ length: 1000 }, (_, i) => ({ _id: `a${i}`, createdAt: t(10_000 - i) }));
    const { http } = mk([{ status: 200, body: page1 }, { throw: new Error('socket closed') }]);
    const parse = (r: { _id: string }) => {
      if (r._id === 'a5') throw new Error('bad row');
      return r;
    };
    await expect(listAllJobs(http, {}, { parse })).rejects.toThrow('bad row');
  });

  it('follows nextPageURL for flow-step errors', async () => {
    const { http, calls } = mk([
      { status: 200, body: { errors: [{ errorId: '1' }], nextPageURL: '/v1/flows/f/s/errors?cursor=2' } },
      { status: 200, body: { errors: [{ errorId: '2' }] } },
    ]);
    const rows = await listAllByNextPageUrl<{ errorId: string }>(http, '/flows/f/s/errors', ['errors']);
    expect(rows.map((r) => r.errorId)).toEqual(['1', '2']);
    expect(calls[1].url).toBe(`${base}/flows/f/s/errors?cursor=2`);
  });
});
