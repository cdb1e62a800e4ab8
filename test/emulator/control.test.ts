import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, START, byName, start } from '../helpers/emulator.js';

let h: Harness;
beforeAll(async () => { h = await start(); });
afterAll(async () => { await h.emu.close(); });

describe('control endpoints and request log', () => {
  it('health, clock get/set/advance', async () => {
    const health = await h.api('GET', '/__emulator/health');
    expect(health.body).toMatchObject({ ok: true, seed: 'demo', now: new Date(START).toISOString(), counts: { integrations: 7 } });
    expect((await h.api('GET', '/__emulator/clock')).body).toEqual({ now: START, iso: new Date(START).toISOString() });
    expect((await h.api('POST', '/__emulator/clock', { advanceMs: 5000 })).body.now).toBe(START + 5000);
    expect(h.clock.now()).toBe(START + 5000);
    expect((await h.api('POST', '/__emulator/clock', { now: '2026-02-01T00:00:00.000Z' })).body.now).toBe(Date.UTC(2026, 1, 1));
    h.clock.set(START);
  });

  it('moving the clock through the control endpoint drives jobs', async () => {
    const flow = byName(h, 'flows', 'Daily Exchange Rates to NetSuite');
    const id = (await h.api('POST', `/flows/${flow._id}/run`)).body._jobId;
    await h.api('POST', '/__emulator/clock', { advanceMs: 60_000 });
    expect((await h.get(`/jobs/${id}`)).body.status).toBe('completed');
  });

  it('records every /v1 request (not control calls) and clears', async () => {
    h.emu.clearRequestLog();
    await h.get('/flows?limit=1');
    await h.api('POST', '/tags', { tag: 'logged' });
    await h.get('/nope');
    await h.api('GET', '/__emulator/health');
    const log = (await h.api('GET', '/__emulator/requests')).body;
    expect(log).toEqual([
      { method: 'GET', path: '/v1/flows?limit=1', status: 200, at: h.clock.now(), mutating: false },
      { method: 'POST', path: '/v1/tags', status: 201, at: h.clock.now(), mutating: true },
      { method: 'GET', path: '/v1/nope', status: 404, at: h.clock.now(), mutating: false },
    ]);
    expect(h.emu.requestLog()).toEqual(log);
    expect((await h.api('DELETE', '/__emulator/requests')).status).toBe(204);
    expect(h.emu.requestLog()).toEqual([]);
  });

  it('config and reset', async () => {
    const cfg = await h.api('POST', '/__emulator/config', { pageSize: 3, jobsPageSize: 7, errorsPageSize: 2 });
    expect(cfg.body).toMatchObject({ pageSize: 3, jobsPageSize: 7, errorsPageSize: 2, emptyListStatus: 204 });
    expect((await h.get('/flows')).body).toHaveLength(3);
    expect((await h.get('/jobs?createdAt_gte=2026-01-01')).body).toHaveLength(7);
    expect((await h.api('POST', '/__emulator/config', { pageSize: 0 })).status).toBe(422);
    await h.api('POST', '/__emulator/config', { pageSize: 1000, jobsPageSize: 1000, errorsPageSize: 1000 });

    await h.api('POST', '/tags', { tag: 'before reset' });
    const r = await h.api('POST', '/__emulator/reset', { seed: 'empty' });
    expect(r.body).toMatchObject({ ok: true, seed: 'empty' });
    expect(h.emu.store.counts().tags).toBe(0);
    h.emu.reset('demo');
    expect(h.emu.store.counts().tags).toBe(4);
    expect((await h.api('POST', '/__emulator/reset', { seed: 'huge' })).status).toBe(422);
    expect((await h.api('GET', '/__emulator/nothing')).status).toBe(404);
  });
});
