// When each API request reached the emulator, on the real clock even when the emulator's clock is stopped:
// what a test of a team server reads to check that its replicas kept to the account's rate (issue 18).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrivalStats, busiestWindow } from '../../src/emulator/arrivals.js';
import { start, type Harness } from '../helpers/emulator.js';

describe('arrival statistics', () => {
  it('counts per calendar second and finds the busiest sliding window', () => {
    const s = arrivalStats([1000, 1500, 1999, 2000, 2100, 2200, 2950, 5000]);
    expect(s.count).toBe(8);
    expect(s.perSecond).toEqual([
      { second: 1, count: 3 },
      { second: 2, count: 4 },
      { second: 5, count: 1 },
    ]);
    // [1500, 2500) holds 1500, 1999, 2000, 2100, 2200.
    expect(s.busiest).toEqual({ windowMs: 1000, count: 5, from: 1500 });
    expect(busiestWindow([], 1000)).toEqual({ windowMs: 1000, count: 0 });
    expect(busiestWindow([0, 100, 200], 100)).toMatchObject({ count: 1 });
  });
});

describe('GET /__emulator/requests/arrivals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start({ seed: 'empty', rateLimit: false });
  });
  afterAll(async () => {
    await h.emu.close();
  });

  it('answers the real arrival time of every API request, rate-limited ones too, and clears with the log', async () => {
    const before = Date.now();
    for (let i = 0; i < 5; i++) await h.get(`/tags?n=${i}`);
    await h.get('/v1/nope');
    const after = Date.now();
    const r = await h.get('/__emulator/requests/arrivals');
    expect(r.status).toBe(200);
    expect(r.body.count).toBe(6);
    expect(r.body.arrivals).toHaveLength(6);
    // The harness' clock is a stopped ManualClock: the log's `at` did not move, the arrivals did.
    expect(new Set(h.emu.requestLog().map((l) => l.at)).size).toBe(1);
    for (const t of r.body.arrivals) {
      expect(t).toBeGreaterThanOrEqual(before - 50);
      expect(t).toBeLessThanOrEqual(after + 50);
    }
    expect(r.body.arrivals).toEqual([...r.body.arrivals].sort((a: number, b: number) => a - b));
    expect(r.body.busiest).toMatchObject({ windowMs: 1000, count: 6 });
    expect(h.emu.requestArrivals()).toEqual(r.body.arrivals);
    expect((await h.api('DELETE', '/__emulator/requests')).status).toBe(204);
    expect((await h.get('/__emulator/requests/arrivals')).body).toMatchObject({ count: 0, arrivals: [], perSecond: [] });
  });
});
