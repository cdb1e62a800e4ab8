// Following a job within a budget: the wait an input asked for (or an op's default), never past the
// front end's deadline (ctx.followUntil: MCP answers before a client's timeout). Time is counted both as
// the sum of the naps and on the clock of ctx.now, so a test that advances a manual clock and one whose
// sleep returns at once both end.
import type { OpContext, Progress } from './context.js';
import { nowOf, sleep, type WaitContext } from './util.js';

export class Follow {
  private waited = 0;
  private readonly start: number;
  /** When the last nap ended, and how long the poll after it took: one more poll must fit in the budget. */
  private napEnded?: number;
  private pollMs = 0;
  /** How long this wait may last, in ms, from its start. */
  readonly budgetMs: number;

  constructor(private readonly ctx: WaitContext, timeoutMs: number) {
    this.start = nowOf(ctx).getTime();
    const untilDeadline = ctx.followUntil === undefined ? Infinity : ctx.followUntil - this.start;
    this.budgetMs = Math.max(0, Math.min(timeoutMs, untilDeadline));
  }

  /** How long we have followed so far, in ms. */
  followedMs(): number {
    return Math.max(this.waited, nowOf(this.ctx).getTime() - this.start);
  }

  /**
   * Whether the budget is spent, keeping room for one more poll as long as the last one took: stop
   * following and say the job still runs. Call it after each poll.
   */
  over(): boolean {
    if (this.napEnded !== undefined) this.pollMs = Math.max(0, nowOf(this.ctx).getTime() - this.napEnded);
    return this.followedMs() + this.pollMs >= this.budgetMs;
  }

  /** Sleeps `ms`, or what is left of the budget (less one poll) when that is less. Rejects when ctx.signal aborts. */
  async nap(ms: number): Promise<void> {
    const d = Math.max(0, Math.min(ms, this.budgetMs - this.followedMs() - this.pollMs));
    if (d > 0) await sleep(this.ctx, d);
    this.waited += d;
    this.napEnded = nowOf(this.ctx).getTime();
  }

  /** Progress in seconds followed of the budget: it grows with every poll, whatever the job reports. */
  progress(message: string): Progress {
    return { done: Math.round(this.followedMs() / 1000), total: Math.round(this.budgetMs / 1000), message };
  }

  /** Reports `progress(message)` to the front end, if it listens. */
  async report(message: string): Promise<void> {
    if (this.ctx.progress) await this.ctx.progress(this.progress(message));
  }
}

/**
 * The context of a second phase of work (waiting after posting): its progress counts on from `base`, so
 * `done` keeps increasing over the whole call, as MCP requires of progress notifications.
 */
export function progressAfter<C extends OpContext>(ctx: C, base: number): C {
  const p = ctx.progress;
  if (!p || base === 0) return ctx;
  return { ...ctx, progress: (x: Progress) => p({ ...x, done: base + x.done, ...(x.total !== undefined ? { total: base + x.total } : {}) }) };
}
