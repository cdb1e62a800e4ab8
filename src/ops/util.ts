// Small helpers shared by the workflow ops (run, retry, clear, health, troubleshoot, backups).
import { createHash } from 'node:crypto';
import type { PingResult } from '../core/connections.js';
import { abortableSleep } from '../core/http.js';
import { UsageError } from '../core/errors.js';
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

/**
 * `map` that also counts its calls and tells `every` calls (a page of a long read) to `onCount`: progress
 * of a read that has no length known in advance.
 */
export function counting<T, R>(map: (item: T) => R, every: number, onCount: (n: number) => void): (item: T) => R {
  let n = 0;
  return (item) => {
    if (++n % every === 0) onCount(n);
    return map(item);
  };
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

/**
 * "source=target" pairs (names or ids, each side trimmed) as given on a command: clone's --connection and
 * promote's --map. `flag` and `example` only word the error of a malformed pair.
 */
export function sourceTargetPairs(pairs: readonly string[], flag: string, example: string): [string, string][] {
  return pairs.map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new UsageError(`${flag} takes source=target${example}; got "${pair}".`);
    return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
  });
}

/** A job id as given (trimmed); a blank one is refused, saying where ids are found. */
export function jobIdOf(text: unknown): string {
  const id = typeof text === 'string' ? text.trim() : '';
  if (!id) throw new UsageError('`job` is empty: give a job id; list_jobs (jobs list) shows them.');
  return id;
}

/** What an argument of a scope or target takes, for the message when it is given empty. */
const ARGUMENT_WANTED = {
  integration: 'an integration id or name',
  flow: 'a flow id or name',
  step: 'an export or import id or name',
  range: 'a time range (e.g. "last 24 hours")',
  pattern: 'text to match in the error code or message',
  job: 'a job id',
  target: 'a job id, or a flow or integration id or name',
} as const;

/** An argument given empty or blank: an error that says what it takes (it never reads as "none given"). */
export function emptyArgument(key: keyof typeof ARGUMENT_WANTED): UsageError {
  return new UsageError(`\`${key}\` is empty: give ${ARGUMENT_WANTED[key]}, or leave it out.`);
}
