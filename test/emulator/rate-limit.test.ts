import { afterEach, describe, expect, it } from 'vitest';
import { LeakyBucket } from '../../src/emulator/rate-limit.js';
import { type Harness, start } from '../helpers/emulator.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.emu.close();
  h = undefined;
});

describe('rate limit', () => {
  it('the bucket refills in real time and says how long to wait', () => {
    let t = 0;
    const b = new LeakyBucket({ capacity: 3, refillPerSec: 0.5 }, () => t);
    expect([b.take(), b.take(), b.take()]).toEqual([0, 0, 0]);
    expect(b.take()).toBe(2);
    t = 1000;
    expect(b.take()).toBe(1);
    t = 2000;
    expect(b.take()).toBe(0);
  });

  it('answers 429 with Retry-After and the envelope when the bucket is empty; control endpoints are never limited', async () => {
    h = await start({ rateLimit: { capacity: 5, refillPerSec: 0.2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await h.get('/tokenInfo')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const r = await h.get('/tokenInfo');
    const wait = Number(r.headers.get('retry-after'));
    expect(Number.isInteger(wait) && wait >= 1).toBe(true);
    expect(r.body).toEqual({ errors: [{ code: 'rate_limited', message: `Too many requests. Retry after ${wait} seconds.` }] });
    for (let i = 0; i < 20; i++) expect((await h.api('GET', '/__emulator/health')).status).toBe(200);
    const cfg = await h.api('POST', '/__emulator/config', { rateLimit: false });
    expect(cfg.body.rateLimit).toBe(false);
    expect((await h.get('/tokenInfo')).status).toBe(200);
  });

  it('defaults to capacity 1000: a burst of 300 passes; rateLimit:false turns it off', async () => {
    h = await start();
    const rs = await Promise.all(Array.from({ length: 300 }, () => h!.get('/tokenInfo')));
    expect(rs.every((r) => r.status === 200)).toBe(true);
    expect((await h.api('GET', '/__emulator/config')).body.rateLimit).toEqual({ capacity: 1000, refillPerSec: 300 });
  });
});
