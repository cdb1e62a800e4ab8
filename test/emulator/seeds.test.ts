import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/emulator/index.js';
import { seedStore } from '../../src/emulator/seed/index.js';
import { START, start } from '../helpers/emulator.js';

describe('seeds', () => {
  it('demo: the counts and facts of seed/README.md', () => {
    const s = seedStore('demo', new ManualClock(START));
    expect(s.counts()).toEqual({
      integrations: 7, flows: 23, exports: 24, imports: 23, connections: 12, tags: 4,
      jobs: 2170, flowJobs: 707, openErrors: 242, resolvedErrors: 83, auditEntries: 288,
    });
    const types = new Set([...s.connections.values()].map((c) => c.type));
    expect([...types].sort()).toEqual(['ftp', 'http', 'netsuite', 's3', 'salesforce']);
    expect([...s.flows.values()].filter((f) => f.disabled === true)).toHaveLength(3);
    const scheduled = [...s.flows.values()].filter((f) => typeof f.schedule === 'string');
    for (const f of scheduled) expect(f.schedule).toMatch(/^\?(\s+\S+){5}$/);
    const status: Record<string, number> = {};
    for (const j of s.jobs.all) if (j.type === 'flow') status[j.status] = (status[j.status] ?? 0) + 1;
    expect(status).toEqual({ completed: 667, failed: 37, canceled: 3 });
    const oldest = Math.min(...s.jobs.all.map((j) => j.createdAt));
    expect(START - oldest).toBeLessThanOrEqual(7 * 86_400_000);
    expect(START - oldest).toBeGreaterThan(6.9 * 86_400_000);
    expect(s.jobs.active.size).toBe(0);
    const imports = [...s.imports.values()];
    expect(imports.some((i) => Array.isArray((i.mapping as any)?.fields))).toBe(true);
    expect(imports.some((i) => Array.isArray(i.mappings))).toBe(true);
  });

  it('demo: the job counters agree with the errors', () => {
    const s = seedStore('demo', new ManualClock(START));
    const open = new Map<string, number>();
    const resolved = new Map<string, number>();
    for (const f of s.flows.values()) {
      for (const [, b] of s.errors.stepsOf(f._id) ?? []) {
        for (const e of b.open) open.set(e.jobId, (open.get(e.jobId) ?? 0) + 1);
        for (const e of b.resolved) resolved.set(e.jobId, (resolved.get(e.jobId) ?? 0) + 1);
      }
    }
    for (const j of s.jobs.all) {
      if (j._flowJobId) continue;
      expect(j.numOpenError, j._id).toBe(open.get(j._id) ?? 0);
      expect(j.numOpenError + j.numResolved).toBe(j.numError);
    }
  });

  it('demo is deterministic and relative to the clock', () => {
    const a = seedStore('demo', new ManualClock(START));
    const b = seedStore('demo', new ManualClock(START + 86_400_000));
    expect([...a.flows.keys()]).toEqual([...b.flows.keys()]);
    expect(a.counts()).toEqual(b.counts());
    expect(b.jobs.all.at(-1)!.createdAt - a.jobs.all.at(-1)!.createdAt).toBe(86_400_000);
  });

  it('large: >= 200 integrations, >= 2,000 flows, >= 20,000 flow jobs in 24 h, >= 50,000 open errors, built fast', () => {
    const t0 = performance.now();
    const s = seedStore('large', new ManualClock(START));
    const ms = performance.now() - t0;
    const c = s.counts();
    expect(c.integrations).toBeGreaterThanOrEqual(200);
    expect(c.flows).toBeGreaterThanOrEqual(2000);
    const recent = s.jobs.all.filter((j) => j.type === 'flow' && j.createdAt >= START - 86_400_000);
    expect(recent.length).toBeGreaterThanOrEqual(20_000);
    expect(c.openErrors).toBeGreaterThanOrEqual(50_000);
    // The target is well under 2 s on one core; the bound here leaves room for a loaded CI machine.
    expect(ms).toBeLessThan(6000);
  });

  it('empty: no resources, tokens still work', async () => {
    const h = await start({ seed: 'empty' });
    try {
      expect(h.emu.store.counts().integrations).toBe(0);
      expect((await h.get('/tokenInfo')).status).toBe(200);
      for (const p of ['/integrations', '/flows', '/exports', '/imports', '/connections', '/tags']) expect((await h.get(p)).status).toBe(204);
      expect((await h.get('/jobs?createdAt_gte=2020-01-01')).body).toEqual([]);
      expect((await h.get('/state')).body).toEqual({ keys: [] });
    } finally {
      await h.emu.close();
    }
  });
});
