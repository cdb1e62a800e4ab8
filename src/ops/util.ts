// Small helpers shared by the workflow ops (run, retry, clear, health, troubleshoot, backups).
import { createHash } from 'node:crypto';
import type { OpContext } from './context.js';

/**
 * Ops that wait (polling a job) read `sleep` from the context when a front end or a test supplies one
 * (tests advance the emulator's ManualClock instead of sleeping).
 */
export type WaitContext = OpContext;

export function nowOf(ctx: OpContext): Date {
  return ctx.now ? ctx.now() : new Date();
}

export function sleep(ctx: WaitContext, ms: number): Promise<void> {
  if (ctx.sleep) return ctx.sleep(ms, ctx.signal);
  return new Promise((resolve, reject) => {
    const signal = ctx.signal;
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function report(ctx: OpContext, done: number, total: number | undefined, message: string): Promise<void> {
  if (ctx.progress) await ctx.progress({ done, total, message });
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Nearest-rank percentile of unsorted numbers; undefined for an empty list. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/** Stable JSON (sorted keys) for digests. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(stableJson).join(',') + ']';
  if (v && typeof v === 'object') {
    return '{' + Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => JSON.stringify(k) + ':' + stableJson((v as Record<string, unknown>)[k])).join(',') + '}';
  }
  return JSON.stringify(v) ?? 'null';
}

/** Short digest of what a plan touches; a confirmation is valid only for the same digest. */
export function digestOf(v: unknown): string {
  return createHash('sha256').update(stableJson(v)).digest('hex').slice(0, 16);
}

export function truncate(s: string | undefined, max: number): string | undefined {
  if (s === undefined) return undefined;
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

export function ms(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

export function plural(n: number, word: string, many = word + 's'): string {
  return `${n} ${n === 1 ? word : many}`;
}
