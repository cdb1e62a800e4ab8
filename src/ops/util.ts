// Small helpers shared by the workflow ops (run, retry, clear, health, troubleshoot, backups).
import { createHash } from 'node:crypto';
import type { PingResult } from '../core/connections.js';
import { CeligoApiError } from '../core/errors.js';
import { abortableSleep } from '../core/http.js';
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
  return (ctx.sleep ?? abortableSleep)(ms, ctx.signal);
}

export async function report(ctx: OpContext, done: number, total: number | undefined, message: string): Promise<void> {
  if (ctx.progress) await ctx.progress({ done, total, message });
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Nearest-rank percentiles of the same unsorted numbers, sorting them once; undefined for an empty list. */
export function percentiles(values: readonly number[], ps: readonly number[]): (number | undefined)[] {
  if (values.length === 0) return ps.map(() => undefined);
  const sorted = [...values].sort((a, b) => a - b);
  return ps.map((p) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]);
}

/** A count field of an API object: its value when it is a number, else 0. */
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Items grouped by key, in their original order; items whose key is undefined are left out. */
export function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    if (k === undefined) continue;
    let l = groups.get(k);
    if (!l) groups.set(k, (l = []));
    l.push(item);
  }
  return groups;
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

// ---- surviving faults (design.md §2) ----

/** A failure after which the request may or may not have taken effect (5xx, reset, timeout). */
export function isAmbiguous(err: unknown): boolean {
  return err instanceof CeligoApiError && err.code !== 'read_only' && (err.status === 0 || err.status >= 500);
}

/** The same failure, told as what the operation did and did not do (message) and what to do now (remedy). */
export function gaveUp(err: unknown, message: string, remedy: string, attempts?: number): unknown {
  if (!(err instanceof CeligoApiError)) return err;
  return new CeligoApiError({ status: err.status, code: err.code, message, method: err.method, path: err.path, attempts: attempts ?? err.attempts, remedy, retryAfter: err.retryAfter });
}

export interface AtMostOnce<T> {
  attempts: number;
  post: () => Promise<T>;
  /** After a failure that may have taken effect: what the earlier post produced, if it did. */
  tookEffect: () => Promise<T | undefined>;
  /** The errors to throw: checking failed; a timeout with nothing to show yet; every attempt failed. */
  onCheckFailed: (err: unknown, checkErr: unknown, attempt: number) => unknown;
  onTimeout: (err: unknown, attempt: number) => unknown;
  onExhausted: (lastErr: unknown) => unknown;
}

/**
 * A POST that starts or creates something, taking effect at most once. After a failure that may have
 * taken effect (5xx, reset) we look for its effect and post again only when there is none; 429 means
 * not processed, so post again. After a timeout the server may still be working, so we never post
 * again and say so. Backoff between attempts.
 */
export async function postAtMostOnce<T>(ctx: OpContext, o: AtMostOnce<T>): Promise<T> {
  let lastErr: unknown;
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    try {
      return await o.post();
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      const rateLimited = err instanceof CeligoApiError && err.status === 429;
      if (!rateLimited && !isAmbiguous(err)) throw err;
      lastErr = err;
      if (!rateLimited) {
        let done: T | undefined;
        try {
          done = await o.tookEffect();
        } catch (checkErr) {
          if (ctx.signal?.aborted) throw checkErr;
          throw o.onCheckFailed(err, checkErr, attempt);
        }
        if (done !== undefined) return done;
        if (err instanceof CeligoApiError && err.code === 'timeout') throw o.onTimeout(err, attempt);
      }
      if (attempt < o.attempts) await sleep(ctx, Math.min(8000, 500 * 2 ** (attempt - 1)));
    }
  }
  throw o.onExhausted(lastErr);
}

const CREATE_ATTEMPTS = 8;

/**
 * POST that creates one object, at most once: after an ambiguous failure, `find` (objects that look
 * like ours) is searched for one that did not exist before.
 */
export async function createOnce<T extends { _id: string }>(
  ctx: OpContext,
  what: string,
  create: () => Promise<T>,
  find: () => Promise<T[]>,
  /** Ids of matching objects that existed before (the caller already knows none exist: pass []). */
  before?: readonly string[],
): Promise<T> {
  const baseline = new Set(before ?? (await find()).map((r) => r._id));
  return postAtMostOnce(ctx, {
    attempts: CREATE_ATTEMPTS,
    post: create,
    tookEffect: async () => (await find()).find((r) => !baseline.has(r._id)),
    onCheckFailed: (err, checkErr) =>
      gaveUp(checkErr, `Creating ${what} failed (${(err as Error).message}) and checking whether it was created failed too (${(checkErr as Error).message})`,
        'It may or may not exist now; nothing was posted again. Check the list before trying again.'),
    onTimeout: (err) => gaveUp(err, `Creating ${what} timed out and it does not exist yet`, 'It may still be created; it was not posted again, so there will not be two. Check the list in a minute before trying again.'),
    onExhausted: (lastErr) =>
      gaveUp(lastErr, `${what} was NOT created: the request failed ${CREATE_ATTEMPTS} times without taking effect (last: ${(lastErr as Error).message})`,
        'Nothing was created. Try again in a few minutes, or check status.celigo.com.', CREATE_ATTEMPTS),
  });
}

/**
 * Tests a saved connection. The ping only reads, so a ping the API itself failed (5xx, reset, timeout,
 * 429) is sent again (http.ts retries read-only POSTs); the connection's own failure comes back as HTTP
 * 200 with the remote status in `code` (celigo-api.md §5.1).
 */
export function testConnection(ctx: OpContext, id: string): Promise<PingResult> {
  return ctx.api.connections.ping(id, { signal: ctx.signal });
}

/**
 * A sample page of an export (POST /exports/{id}/invoke). It only reads, so a call the API failed is sent
 * again (http.ts retries read-only POSTs) instead of leaving a preview without its sample.
 */
export function sampleRecords(ctx: OpContext, exportId: string): Promise<Record<string, unknown>[]> {
  return ctx.api.exports.invoke(exportId, { signal: ctx.signal });
}
