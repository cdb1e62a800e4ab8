// Following a job within a budget (ops/follow.ts): the input's timeout, never past the front end's
// deadline; naps clipped to what is left; time counted on the clock and as the naps' sum.
import { describe, expect, it } from 'vitest';
import type { CeligoClient } from '../../src/core/client.js';
import type { OpContext, Progress } from '../../src/ops/context.js';
import { Follow, progressAfter } from '../../src/ops/follow.js';

function clockCtx(extra: Partial<OpContext> = {}) {
  let t = 1_000_000;
  const naps: number[] = [];
  const ctx: OpContext = {
    api: {} as CeligoClient,
    now: () => new Date(t),
    sleep: async (ms) => {
      naps.push(ms);
      t += ms;
    },
    ...extra,
  };
  return { ctx, naps, at: () => t, set: (v: number) => (t = v) };
}

describe('Follow', () => {
  it('without a deadline, the budget is the timeout', () => {
    const { ctx } = clockCtx();
    expect(new Follow(ctx, 600_000).budgetMs).toBe(600_000);
  });

  it('the deadline caps a longer timeout, and a shorter timeout wins', () => {
    const { ctx } = clockCtx({ followUntil: 1_000_000 + 50_000 });
    expect(new Follow(ctx, 600_000).budgetMs).toBe(50_000);
    expect(new Follow(ctx, 20_000).budgetMs).toBe(20_000);
  });

  it('a deadline already passed leaves no budget: over at once, no nap', async () => {
    const { ctx, naps } = clockCtx({ followUntil: 999_000 });
    const f = new Follow(ctx, 600_000);
    expect(f.budgetMs).toBe(0);
    expect(f.over()).toBe(true);
    await f.nap(1000);
    expect(naps).toEqual([]);
  });

  it('naps are clipped to what is left, and the wait ends on the budget', async () => {
    const { ctx, naps } = clockCtx({ followUntil: 1_000_000 + 2500 });
    const f = new Follow(ctx, 600_000);
    for (const d of [1000, 1000, 1000, 1000]) if (!f.over()) await f.nap(d);
    expect(naps).toEqual([1000, 1000, 500]);
    expect(f.over()).toBe(true);
    expect(f.followedMs()).toBe(2500);
  });

  it('ends even when sleeping does not move the clock (naps are counted too)', async () => {
    const ctx: OpContext = { api: {} as CeligoClient, now: () => new Date(0), sleep: async () => {} };
    const f = new Follow(ctx, 3000);
    let polls = 0;
    while (!f.over() && polls < 100) {
      await f.nap(1000);
      polls++;
    }
    expect(polls).toBe(3);
  });

  it('reports seconds followed of the budget', async () => {
    const seen: Progress[] = [];
    const { ctx } = clockCtx({ followUntil: 1_000_000 + 50_000, progress: (p) => void seen.push(p) });
    const f = new Follow(ctx, 600_000);
    await f.nap(1000);
    await f.report('running');
    await f.nap(1500);
    await f.report('running: 10 exported');
    expect(seen).toEqual([
      { done: 1, total: 50, message: 'running' },
      { done: 3, total: 50, message: 'running: 10 exported' },
    ]);
  });
});

describe('progressAfter', () => {
  it('counts a second phase on from the first, so done keeps increasing', async () => {
    const seen: Progress[] = [];
    const ctx: OpContext = { api: {} as CeligoClient, progress: (p) => void seen.push(p) };
    await ctx.progress!({ done: 40, total: 40, message: 'posted' });
    await progressAfter(ctx, 40).progress!({ done: 2, total: 50, message: 'waiting' });
    await progressAfter(ctx, 40).progress!({ done: 3, message: 'no total' });
    expect(seen).toEqual([
      { done: 40, total: 40, message: 'posted' },
      { done: 42, total: 90, message: 'waiting' },
      { done: 43, message: 'no total' },
    ]);
  });

  it('leaves a context without progress (or with nothing before) as it is', () => {
    const ctx: OpContext = { api: {} as CeligoClient };
    expect(progressAfter(ctx, 5)).toBe(ctx);
    const withProgress: OpContext = { ...ctx, progress: () => {} };
    expect(progressAfter(withProgress, 0)).toBe(withProgress);
  });
});

describe('Follow keeps room for the last poll', () => {
  it('stops before a nap whose poll, as long as the last one, would end past the budget', async () => {
    const { ctx, naps, at, set } = clockCtx({ followUntil: 1_000_000 + 9000 });
    const f = new Follow(ctx, 600_000);
    const polls: number[] = [];
    while (!f.over()) {
      await f.nap(3000);
      set(at() + 2000); // each poll takes 2 s
      polls.push(at() - 1_000_000);
    }
    // 3 s nap + 2 s poll = 5 s; then only 2 s of nap, so that the poll ends at the budget (9 s), not past it.
    expect(naps).toEqual([3000, 2000]);
    expect(polls).toEqual([5000, 9000]);
  });
});
