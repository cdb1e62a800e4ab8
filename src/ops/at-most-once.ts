// POSTs that start or create something, taking effect at most once (design.md §2).
// After a failure that may have taken effect (5xx, reset) we look for its effect and post again only when
// there is none; a 429 was never processed, so it is posted again. After a timeout the server may still
// be working, so we never post again and say so.
import { CeligoApiError } from '../core/errors.js';
import type { OpContext } from './context.js';
import { sleep } from './util.js';

/** A failure after which the request may or may not have taken effect (5xx, reset, timeout). */
export function isAmbiguous(err: unknown): boolean {
  return err instanceof CeligoApiError && err.code !== 'read_only' && (err.status === 0 || err.status >= 500);
}

/** The same failure, told as what the operation did and did not do (message) and what to do now (remedy). */
export function gaveUp(err: unknown, message: string, remedy: string, attempts?: number): unknown {
  if (!(err instanceof CeligoApiError)) return err;
  return new CeligoApiError({ status: err.status, code: err.code, message, method: err.method, path: err.path, attempts: attempts ?? err.attempts, remedy, retryAfter: err.retryAfter });
}

/**
 * What to do after a write that failed: a passing fault (429, 408, 5xx, the network) is worth trying again
 * later; a request integrator.io refused as it is (another 4xx) fails the same way until it is changed.
 */
export function retryRemedy(err: unknown): string {
  const status = err instanceof CeligoApiError ? err.status : 0;
  const refused = status >= 400 && status < 500 && status !== 408 && status !== 429;
  return refused ? 'integrator.io refused the request as it is: change what it names, then try again.' : 'Try again in a few minutes.';
}

export interface AtMostOnceSteps<T> {
  attempts: number;
  post: () => Promise<T>;
  /** After a failure that may have taken effect: what the earlier post produced, if it did. */
  tookEffect: (attempt: number) => Promise<T | undefined>;
}

/** How an at-most-once POST ended. Only `done` means it took effect (once). */
export type AtMostOnceOutcome<T> =
  /** Posted; `recovered` when an ambiguous failure had in fact taken effect and its effect was found. */
  | { kind: 'done'; value: T; recovered: boolean }
  /** Refused outright (4xx other than 429): it did not take effect and was not posted again. */
  | { kind: 'rejected'; err: unknown; attempt: number }
  /** Failed ambiguously, and checking whether it took effect failed too: not posted again. */
  | { kind: 'checkFailed'; err: unknown; checkErr: unknown; attempt: number }
  /** Timed out and nothing shows yet: it may still take effect, so it was not posted again. */
  | { kind: 'timedOut'; err: unknown; attempt: number }
  /** Every attempt failed without taking effect. */
  | { kind: 'exhausted'; lastErr: unknown; attempts: number };

/** Wait before attempt `attempt + 1`: 0.5 s doubling, at most 8 s. */
export function backoffMs(attempt: number): number {
  return Math.min(8000, 500 * 2 ** (attempt - 1));
}

/**
 * Posts up to `attempts` times, never twice for work that may have been done, and says how it ended.
 * Throws only when ctx.signal aborts.
 */
export async function attemptAtMostOnce<T>(ctx: OpContext, o: AtMostOnceSteps<T>): Promise<AtMostOnceOutcome<T>> {
  let lastErr: unknown;
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    try {
      return { kind: 'done', value: await o.post(), recovered: false };
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      const rateLimited = err instanceof CeligoApiError && err.status === 429;
      if (!rateLimited && !isAmbiguous(err)) return { kind: 'rejected', err, attempt };
      lastErr = err;
      if (!rateLimited) {
        let done: T | undefined;
        try {
          done = await o.tookEffect(attempt);
        } catch (checkErr) {
          if (ctx.signal?.aborted) throw checkErr;
          return { kind: 'checkFailed', err, checkErr, attempt };
        }
        if (done !== undefined) return { kind: 'done', value: done, recovered: true };
        if (err instanceof CeligoApiError && err.code === 'timeout') return { kind: 'timedOut', err, attempt };
      }
      if (attempt < o.attempts) await sleep(ctx, backoffMs(attempt));
    }
  }
  return { kind: 'exhausted', lastErr, attempts: o.attempts };
}

export interface AtMostOnce<T> extends AtMostOnceSteps<T> {
  /** The errors to throw: checking failed; a timeout with nothing to show yet; every attempt failed. */
  onCheckFailed: (err: unknown, checkErr: unknown, attempt: number) => unknown;
  onTimeout: (err: unknown, attempt: number) => unknown;
  onExhausted: (lastErr: unknown) => unknown;
}

/** `attemptAtMostOnce`, returning what the POST produced and throwing the caller's error otherwise. */
export async function postAtMostOnce<T>(ctx: OpContext, o: AtMostOnce<T>): Promise<T> {
  const out = await attemptAtMostOnce(ctx, o);
  switch (out.kind) {
    case 'done':
      return out.value;
    case 'rejected':
      throw out.err;
    case 'checkFailed':
      throw o.onCheckFailed(out.err, out.checkErr, out.attempt);
    case 'timedOut':
      throw o.onTimeout(out.err, out.attempt);
    case 'exhausted':
      throw o.onExhausted(out.lastErr);
  }
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
