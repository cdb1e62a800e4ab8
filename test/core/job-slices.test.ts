// Issue 14 item 1: the jobs of a range read in parallel time slices lose no job and count none twice,
// whatever the timestamps: random ones, many sharing one millisecond, slices of every size.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { HttpClient } from '../../src/core/http.js';
import { cut, firstSlices, readJobSlices, DAY_MS } from '../../src/core/job-slices.js';
import { JobsApi } from '../../src/core/jobs.js';
import { UnexpectedShapeError } from '../../src/core/errors.js';

const base = 'https://api.integrator.io/v1';
const T0 = Date.UTC(2026, 10, 1);

interface FakeJob {
  _id: string;
  createdAt: string;
  t: number;
}

/**
 * GET /jobs as the API answers it: newest first, createdAt_gte/lte honoured, at most `pageSize` rows,
 * rows of one millisecond in a fixed order. Counts requests and the most in flight at once.
 */
/**
 * How the body travels: in chunks of at most `chunk` bytes, and for the first `breaks` requests the
 * connection drops part way through the body (after `breakAfter` chunks): the client retries, and the
 * rows it already handed out come again.
 */
interface Wire {
  chunk?: number;
  breaks?: number;
  breakAfter?: number;
}

function streamed(text: string, wire: Wire, broken: boolean): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const size = Math.max(1, wire.chunk ?? bytes.length);
  let at = 0;
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (broken && sent >= (wire.breakAfter ?? 1)) return c.error(new TypeError('terminated'));
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + size));
      at += size;
      sent++;
    },
  });
}

function fakeJobsServer(jobs: FakeJob[], pageSize: number, wire: Wire = {}, answer: (rows: object[]) => object[] = (rows) => rows) {
  const sorted = [...jobs].sort((a, b) => b.t - a.t || (a._id < b._id ? -1 : 1));
  const stats = { requests: 0, inFlight: 0, maxInFlight: 0 };
  const fetch = async (url: string) => {
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    await new Promise((r) => setTimeout(r, 0));
    stats.inFlight--;
    const q = new URL(url).searchParams;
    const gte = q.get('createdAt_gte') ? Date.parse(q.get('createdAt_gte')!) : -Infinity;
    const lte = q.get('createdAt_lte') ? Date.parse(q.get('createdAt_lte')!) : Infinity;
    const rows = sorted.filter((j) => j.t >= gte && j.t <= lte).slice(0, pageSize).map(({ _id, createdAt }) => ({ _id, createdAt, type: 'flow', status: 'completed' }));
    const text = JSON.stringify(answer(rows));
    if (!wire.chunk && !wire.breaks) return new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
    const broken = stats.requests <= (wire.breaks ?? 0);
    return new Response(streamed(text, wire, broken), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { http: new HttpClient({ baseUrl: base, token: 't', fetch: fetch as never, sleep: async () => {} }), stats };
}

/**
 * Jobs at random times in [lo, hi], with up to `maxCluster` jobs in one millisecond (more than a page
 * holds cannot be reached by createdAt at all: a test below covers that case apart).
 */
const jobsArb = (lo: number, hi: number, maxCluster: number) =>
  fc.array(fc.record({ t: fc.integer({ min: lo, max: hi }), n: fc.integer({ min: 1, max: maxCluster }) }), { maxLength: 120 }).map((groups) => {
    const out: FakeJob[] = [];
    const perMs = new Map<number, number>();
    groups.forEach((g, gi) => {
      for (let k = 0; k < g.n && (perMs.get(g.t) ?? 0) < maxCluster; k++) {
        perMs.set(g.t, (perMs.get(g.t) ?? 0) + 1);
        out.push({ _id: `j${gi}-${k}`, t: g.t, createdAt: new Date(g.t).toISOString() });
      }
    });
    return out;
  });

async function readAll(jobs: FakeJob[], pageSize: number, lo: number, hi: number | undefined, now = T0 + 10 * DAY_MS, wire: Wire = {}, answer?: (rows: object[]) => object[]) {
  const { http, stats } = fakeJobsServer(jobs, pageSize, wire, answer);
  const got: string[] = [];
  await readJobSlices(http, { type: 'flow' }, lo, hi, { pageThreshold: pageSize, each: (r) => got.push(r._id), now });
  return { got, stats };
}

describe('job slices', () => {
  it('cuts a range into slices side by side, none empty, none overlapping', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 1, max: 64 }), (lo, w, n) => {
        const slices = cut(lo, lo + w, n);
        expect(slices[0].lo).toBe(lo);
        expect(slices.at(-1)!.hi).toBe(lo + w);
        for (let i = 0; i < slices.length; i++) {
          expect(slices[i].hi!).toBeGreaterThanOrEqual(slices[i].lo);
          if (i) expect(slices[i].lo).toBe(slices[i - 1].hi! + 1);
        }
      }),
    );
  });

  it('first round: the last day and the days before it, the last open when the range has no end', () => {
    expect(firstSlices(T0, T0 + 8 * DAY_MS - 1, 0).map((s) => [s.lo, s.hi])).toEqual([
      [T0, T0 + 7 * DAY_MS - 1],
      [T0 + 7 * DAY_MS, T0 + 8 * DAY_MS - 1],
    ]);
    expect(firstSlices(T0, T0 + DAY_MS - 1, 0)).toHaveLength(1);
    const open = firstSlices(T0, undefined, T0 + 2 * DAY_MS);
    expect(open.map((s) => [s.lo, s.hi])).toEqual([
      [T0, T0 + DAY_MS],
      [T0 + DAY_MS + 1, undefined],
    ]);
    expect(firstSlices(T0, undefined, T0 - DAY_MS).map((s) => s.hi)).toEqual([undefined]);
  });

  it('finds every job of the range exactly once (random times, shared milliseconds, any page size)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 40 }).chain((pageSize) =>
          fc.tuple(fc.constant(pageSize), jobsArb(T0, T0 + 3 * DAY_MS, pageSize - 1), fc.integer({ min: 0, max: 3 * DAY_MS }), fc.integer({ min: 0, max: 3 * DAY_MS }), fc.boolean()),
        ),
        async ([pageSize, jobs, a, b, open]) => {
          const lo = T0 + Math.min(a, b);
          const hi = T0 + Math.max(a, b);
          const { got } = await readAll(jobs, pageSize, lo, open ? undefined : hi);
          const want = jobs.filter((j) => j.t >= lo && (open || j.t <= hi)).map((j) => j._id).sort();
          expect([...got].sort()).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hands every job out once when pages arrive in small chunks and connections drop part way through a page', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 30 }).chain((pageSize) =>
          fc.tuple(fc.constant(pageSize), jobsArb(T0, T0 + 2 * DAY_MS, pageSize - 1), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 6 })),
        ),
        async ([pageSize, jobs, chunk, breaks, breakAfter]) => {
          const { got, stats } = await readAll(jobs, pageSize, T0, T0 + 2 * DAY_MS, T0 + 10 * DAY_MS, { chunk, breaks, breakAfter });
          expect([...got].sort()).toEqual(jobs.map((j) => j._id).sort());
          // Each broken answer was asked for again (a broken one errors once all its chunks are sent, or before).
          if (breaks) expect(stats.requests).toBeGreaterThanOrEqual(2);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('hands a job out once when an answer repeats it, in order or not, with Celigo ids or others, dropped part way or not', async () => {
    const hexJobs = jobsArb(T0, T0 + 2 * DAY_MS, 5).map((jobs) => jobs.map((j, i) => ({ ...j, _id: i % 3 ? (0x665f0000 + i).toString(16).padStart(24, '0') : j._id })));
    // Each row twice: next to itself (the order kept), or the whole answer again reversed (out of order).
    const answers = [(rows: object[]) => rows.flatMap((r) => [r, r]), (rows: object[]) => [...rows, ...[...rows].reverse()]];
    await fc.assert(
      fc.asyncProperty(hexJobs, fc.constantFrom(0, 1), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 5, max: 300 }), async (jobs, which, breaks, chunk) => {
        const { got } = await readAll(jobs, 20, T0, T0 + 2 * DAY_MS, T0 + 10 * DAY_MS, { chunk, breaks, breakAfter: 2 }, answers[which]);
        expect([...got].sort()).toEqual(jobs.map((j) => j._id).sort());
      }),
      { numRuns: 150 },
    );
  });

  it('reads a dense millisecond cut by a page boundary', async () => {
    // 30 jobs in one millisecond, pages of 50, the millisecond straddling every page size of the read.
    const jobs: FakeJob[] = [];
    for (let i = 0; i < 400; i++) jobs.push({ _id: `a${i}`, t: T0 + i * 1000, createdAt: new Date(T0 + i * 1000).toISOString() });
    for (let k = 0; k < 30; k++) jobs.push({ _id: `c${k}`, t: T0 + 200_500, createdAt: new Date(T0 + 200_500).toISOString() });
    const { got } = await readAll(jobs, 50, T0, T0 + 400_000);
    expect(got.length).toBe(430);
    expect(new Set(got).size).toBe(430);
  });

  it('steps past a millisecond holding more jobs than a page, without looping', async () => {
    const jobs: FakeJob[] = [];
    for (let k = 0; k < 12; k++) jobs.push({ _id: `c${k}`, t: T0 + 5000, createdAt: new Date(T0 + 5000).toISOString() });
    for (let i = 0; i < 20; i++) jobs.push({ _id: `o${i}`, t: T0 + i, createdAt: new Date(T0 + i).toISOString() });
    const { got, stats } = await readAll(jobs, 10, T0, T0 + 10_000);
    // The API cannot page past 10 rows of one millisecond by createdAt: 10 of the 12, and every other job.
    expect(got.filter((id) => id.startsWith('o'))).toHaveLength(20);
    expect(got.filter((id) => id.startsWith('c'))).toHaveLength(10);
    expect(new Set(got).size).toBe(got.length);
    expect(stats.requests).toBeLessThan(20);
  });

  it('reads a dense day in two rounds, pieces in parallel, with few requests more than a chain', async () => {
    const jobs: FakeJob[] = [];
    // 8 days asked for, 20,000 jobs in the last one (as the large seed): a chain takes 21 pages.
    for (let i = 0; i < 20_000; i++) {
      const t = T0 + 7 * DAY_MS + Math.floor((i * DAY_MS) / 20_000);
      jobs.push({ _id: `j${i}`, t, createdAt: new Date(t).toISOString() });
    }
    const { got, stats } = await readAll(jobs, 1000, T0, T0 + 8 * DAY_MS - 1);
    expect(got.length).toBe(20_000);
    expect(new Set(got).size).toBe(20_000);
    expect(stats.requests).toBeLessThanOrEqual(2 + 23);
    expect(stats.maxInFlight).toBeGreaterThan(8);
  });

  it('refuses an answer with jobs outside the range asked for (a server ignoring the filter)', async () => {
    const rows = [{ _id: 'x', createdAt: new Date(T0 - DAY_MS).toISOString() }];
    const fetch = async () => new Response(JSON.stringify(rows), { status: 200 });
    const http = new HttpClient({ baseUrl: base, token: 't', fetch: fetch as never, sleep: async () => {} });
    await expect(readJobSlices(http, {}, T0, T0 + DAY_MS, { each: () => {} })).rejects.toBeInstanceOf(UnexpectedShapeError);
    const bad = async () => new Response(JSON.stringify([{ _id: 'y', createdAt: 'soon' }]), { status: 200 });
    const http2 = new HttpClient({ baseUrl: base, token: 't', fetch: bad as never, sleep: async () => {} });
    await expect(readJobSlices(http2, {}, T0, T0 + DAY_MS, { each: () => {} })).rejects.toThrow(/createdAt "soon"/);
  });

  it('JobsApi.list reads a range in slices, newest first; with a limit or as a chain, one page after another', async () => {
    const jobs: FakeJob[] = [];
    for (let i = 0; i < 2500; i++) jobs.push({ _id: `j${i}`, t: T0 + i * 60_000, createdAt: new Date(T0 + i * 60_000).toISOString() });
    const sliced = fakeJobsServer(jobs, 1000);
    const rows = await new JobsApi(sliced.http).list({ createdAt_gte: new Date(T0).toISOString(), createdAt_lte: String(T0 + 3 * DAY_MS) });
    expect(rows.map((r) => r._id)).toEqual([...jobs].reverse().map((j) => j._id));
    expect(sliced.stats.maxInFlight).toBeGreaterThan(1);
    const chain = fakeJobsServer(jobs, 1000);
    const chained = await new JobsApi(chain.http, 'chain').list({ createdAt_gte: new Date(T0).toISOString() });
    expect(chained.map((r) => r._id)).toEqual(rows.map((r) => r._id));
    expect(chain.stats.maxInFlight).toBe(1);
    const limited = fakeJobsServer(jobs, 1000);
    expect(await new JobsApi(limited.http).list({ createdAt_gte: new Date(T0).toISOString() }, { limit: 5 })).toHaveLength(5);
    expect(limited.stats.requests).toBe(1);
  });

  it('JobsApi.forEach hands every job once and keeps none', async () => {
    const jobs: FakeJob[] = [];
    for (let i = 0; i < 3000; i++) jobs.push({ _id: `j${i}`, t: T0 + i * 1000, createdAt: new Date(T0 + i * 1000).toISOString() });
    for (const mode of ['sliced', 'chain'] as const) {
      const ids = new Set<string>();
      let n = 0;
      await new JobsApi(fakeJobsServer(jobs, 1000).http, mode).forEach({ createdAt_gte: new Date(T0).toISOString() }, (j) => (n++, ids.add(j._id)));
      expect([n, ids.size]).toEqual([3000, 3000]);
    }
  });
});

describe('job slices against the emulator (large seed)', () => {
  it('list_jobs over a range reads the same jobs, in the same order, as the sequential chain, in fewer rounds', async () => {
    const { demoEnv } = await import('../helpers/demo-env.js');
    const { CeligoClient } = await import('../../src/core/client.js');
    const { DEMO_TOKEN } = await import('../../src/emulator/index.js');
    const env = await demoEnv({ seed: 'large' });
    try {
      const now = env.emu.clock.now();
      const filters = { type_in: ['flow', 'retry'] as ('flow' | 'retry')[], createdAt_gte: new Date(now - 8 * DAY_MS).toISOString(), createdAt_lte: new Date(now).toISOString() };
      const chain = new CeligoClient({ baseUrl: env.emu.baseUrl, token: DEMO_TOKEN, jobPaging: 'chain' });
      const want = (await chain.jobs.list(filters)).map((j) => j._id);
      env.emu.clearRequestLog();
      const got = (await env.api.jobs.list(filters)).map((j) => j._id);
      expect(want.length).toBeGreaterThan(20_000);
      expect(got).toEqual(want);
      const requests = env.emu.requestLog().length;
      expect(requests).toBeLessThanOrEqual(Math.ceil(want.length / 1000) * 1.3);
    } finally {
      await env.close();
    }
  });
});
