import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, byName, start } from '../helpers/emulator.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.emu.close();
  h = undefined;
});

describe('fault injection', () => {
  it('`next` before: the client gets the fault and nothing happened', async () => {
    h = await start();
    const flow = byName(h, 'flows', 'Stripe Payouts to NetSuite Deposits');
    const jobsBefore = h.emu.store.jobs.size;
    h.emu.setFaults({ next: [{ status: 503, match: '^POST /v1/flows/[0-9a-f]+/run$' }] });
    const other = await h.get('/tokenInfo');
    expect(other.status).toBe(200);
    const r = await h.api('POST', `/flows/${flow._id}/run`);
    expect(r.status).toBe(503);
    expect(r.body.errors[0].code).toBe('service_unavailable');
    expect(h.emu.store.jobs.size).toBe(jobsBefore);
    const again = await h.api('POST', `/flows/${flow._id}/run`);
    expect(again.status).toBe(201);
  });

  it('`next` after: the handler runs (a job starts) but the client gets 502', async () => {
    h = await start();
    const flow = byName(h, 'flows', 'Stripe Payouts to NetSuite Deposits');
    h.emu.setFaults({ next: [{ status: 502, when: 'after' }] });
    const r = await h.api('POST', `/flows/${flow._id}/run`);
    expect(r.status).toBe(502);
    const jobs = (await h.get(`/jobs?_flowId=${flow._id}&status=queued`)).body;
    expect(jobs).toHaveLength(1);
    expect(jobs[0].createdAt).toBe(new Date(h.clock.now()).toISOString());
    expect(h.emu.requestLog().at(-2)).toMatchObject({ method: 'POST', status: 502, mutating: true });
  });

  it('`next` reset destroys the socket; after-reset keeps the effect', async () => {
    h = await start();
    const flow = byName(h, 'flows', 'Stripe Payouts to NetSuite Deposits');
    h.emu.setFaults({ next: [{ reset: true, when: 'after' }] });
    await expect(h.api('POST', `/flows/${flow._id}/run`)).rejects.toThrow();
    expect((await h.get(`/jobs?_flowId=${flow._id}&status=queued`)).body).toHaveLength(1);
    expect(h.emu.requestLog().at(-2)).toMatchObject({ status: 0 });
  });

  it('429 from the queue carries Retry-After', async () => {
    h = await start();
    h.emu.setFaults({ next: [{ status: 429, retryAfter: 3 }] });
    const r = await h.get('/integrations');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
    expect(r.body.errors[0]).toEqual({ code: 'rate_limited', message: 'Too many requests. Retry after 3 seconds.' });
  });

  it('random faults are seeded (same seed, same sequence), honour match, and skip control endpoints', async () => {
    const run = async (): Promise<number[]> => {
      const x = await start({ faults: { errorRate: 0.3, rateLimitRate: 0.1, seed: 42, match: '^GET /v1/flows' } });
      try {
        const out: number[] = [];
        for (let i = 0; i < 30; i++) out.push((await x.get('/flows?limit=1')).status);
        for (let i = 0; i < 10; i++) expect((await x.get('/tokenInfo')).status).toBe(200);
        for (let i = 0; i < 10; i++) expect((await x.api('GET', '/__emulator/health')).status).toBe(200);
        return out;
      } finally {
        await x.emu.close();
      }
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a.filter((s) => s >= 500).length).toBeGreaterThan(3);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(10);
    for (const s of a) expect([200, 429, 500, 502, 503]).toContain(s);
  });

  it('latency delays responses; POST /__emulator/faults {} clears', async () => {
    h = await start();
    const set = await h.api('POST', '/__emulator/faults', { latencyMs: 150 });
    expect(set.body.latencyMs).toBe(150);
    const t0 = performance.now();
    await h.get('/tokenInfo');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    await h.api('POST', '/__emulator/faults', {});
    expect((await h.api('GET', '/__emulator/faults')).body).toEqual({ next: [] });
    expect((await h.api('POST', '/__emulator/faults', { errorRate: 2 })).status).toBe(422);
  });
});
