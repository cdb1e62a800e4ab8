// The large seed on request at N times its size (issue 14 item 5): ×2 has twice the integrations, flows and
// connections with unique names; ×1 is the default store (seed-pinned.test.ts pins that one's hashes).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock, parseSeed, startEmulator } from '../../src/emulator/index.js';
import { LARGE } from '../../src/emulator/seed/large.js';
import { seedStore } from '../../src/emulator/seed/index.js';
import type { Store } from '../../src/emulator/store.js';
import { START, start } from '../helpers/emulator.js';

/** Ids of every resource and job, in order: what a reordered build or a shifted rng would change. */
function idHash(s: Store): string {
  const h = createHash('sha256');
  for (const kind of ['integrations', 'flows', 'exports', 'imports', 'connections'] as const) for (const id of s.map(kind).keys()) h.update(id);
  for (const j of s.jobs.all) h.update(`${j._id}:${j.status}:${j.createdAt}`);
  return h.digest('hex');
}

const names = (s: Store, kind: 'integrations' | 'flows' | 'exports' | 'imports' | 'connections') => [...s.map(kind).values()].map((r) => String(r.name));

describe('large seed scale', () => {
  const one = seedStore('large', new ManualClock(START));
  const two = seedStore('large', new ManualClock(START), 2);

  it('×1 given explicitly is the default store, id for id', () => {
    const explicit = seedStore('large', new ManualClock(START), 1);
    expect(explicit.counts()).toEqual(one.counts());
    expect(idHash(explicit)).toBe(idHash(one));
    expect(one.seedScale).toBe(1);
  });

  it('×2 has twice the integrations, flows, imports and connections, about twice the jobs and errors', () => {
    const [a, b] = [one.counts(), two.counts()];
    expect(b.integrations).toBe(2 * LARGE.integrations);
    expect(b.integrations).toBe(2 * a.integrations);
    expect(b.flows).toBe(2 * a.flows);
    expect(b.imports).toBe(2 * a.imports);
    expect(b.connections).toBe(2 * a.connections);
    // Lookups, failures and broken mappings are drawn per flow: the same profile, other draws.
    for (const k of ['exports', 'flowJobs', 'openErrors'] as const) {
      expect(b[k] / a[k], k).toBeGreaterThan(1.8);
      expect(b[k] / a[k], k).toBeLessThan(2.2);
    }
    expect(two.seedScale).toBe(2);
  });

  it('×2 names stay unique; its first integrations are ×1\'s, by name and by flow', () => {
    for (const kind of ['integrations', 'flows', 'exports', 'imports', 'connections'] as const) {
      const n = names(two, kind);
      expect(new Set(n).size, kind).toBe(n.length);
    }
    expect(names(two, 'integrations').slice(0, LARGE.integrations)).toEqual(names(one, 'integrations'));
    expect(names(two, 'flows').slice(0, 20)).toEqual(names(one, 'flows').slice(0, 20));
    expect(names(two, 'integrations').at(-1)).toMatch(/#440$/);
  });

  it('a scale other seeds cannot take, or out of range, is an error that says why', () => {
    expect(() => seedStore('demo', new ManualClock(START), 2)).toThrow(/large seed only/);
    for (const bad of [0, 21, 1.5]) expect(() => seedStore('large', new ManualClock(START), bad)).toThrow(/whole number from 1 to 20/);
  });

  it('the command line: --seed large --scale N, and clear errors for anything else', () => {
    expect(parseSeed('large', '4')).toEqual({ seed: 'large', scale: 4 });
    expect(parseSeed(undefined, undefined)).toEqual({ seed: 'demo', scale: 1 });
    expect(() => parseSeed('large:4', undefined)).toThrow(/--seed large --scale 4/);
    expect(() => parseSeed('large', 'ten')).toThrow(/--scale must be a whole number from 1 to 20 \(got "ten"\)/);
    expect(() => parseSeed('large', '2.5')).toThrow(/--scale must be/);
    expect(() => parseSeed('demo', '2')).toThrow(/--scale applies to --seed large only/);
  });
});

describe('scale through the emulator', () => {
  it('startEmulator({ seed: "large", scale }) and the reset control endpoint', async () => {
    const emu = await startEmulator({ listen: false, quiet: true, seed: 'large', scale: 2, clock: new ManualClock(START) });
    expect(emu.store.counts().integrations).toBe(440);
    emu.reset();
    expect(emu.store.seedScale).toBe(2);
    emu.reset('demo');
    expect(emu.store.seedScale).toBe(1);
    await emu.close();

    const h = await start({ seed: 'empty' });
    try {
      expect((await h.api('GET', '/__emulator/health')).body).toMatchObject({ seed: 'empty', scale: 1 });
      const bad = await h.api('POST', '/__emulator/reset', { seed: 'demo', scale: 2 });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('large seed only');
      expect((await h.api('POST', '/__emulator/reset', { seed: 'large', scale: 21 })).status).toBe(422);
      const r = await h.api('POST', '/__emulator/reset', { seed: 'large', scale: 2 });
      expect(r.body).toMatchObject({ seed: 'large', scale: 2, counts: { integrations: 440, flows: 4400 } });
    } finally {
      await h.emu.close();
    }
  }, 30_000);
});

describe('large seed history', () => {
  it('more days of runs on request: the same flows, jobs over each day asked for; 1 is the default store', () => {
    const day = 86_400_000;
    const one = seedStore('large', new ManualClock(START));
    const three = seedStore('large', new ManualClock(START), 1, 3);
    const [a, b] = [one.counts(), three.counts()];
    expect(b.flows).toBe(a.flows);
    expect(b.integrations).toBe(a.integrations);
    expect(b.flowJobs).toBeGreaterThan(2.9 * a.flowJobs);
    expect(b.flowJobs).toBeLessThan(3.1 * a.flowJobs);
    const oldest = three.jobs.all.filter((j) => j.type === 'flow').reduce((m, j) => Math.min(m, j.createdAt), Infinity);
    expect(START - oldest).toBeGreaterThan(2 * day);
    expect(START - oldest).toBeLessThanOrEqual(3 * day);
    expect(idHash(seedStore('large', new ManualClock(START), 1, 1))).toBe(idHash(one));
    expect(() => seedStore('large', new ManualClock(START), 1, 0)).toThrow(/history days must be a whole number from 1 to 14/);
    expect(() => seedStore('large', new ManualClock(START), 1, 15)).toThrow(/from 1 to 14/);
    expect(() => seedStore('demo', new ManualClock(START), 1, 2)).toThrow(/large seed only/);
  });
});
