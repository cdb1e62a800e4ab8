import { describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { CeligoApiError } from '../../src/core/errors.js';
import { attemptAtMostOnce, backoffMs, createOnce, gaveUp, isAmbiguous, postAtMostOnce } from '../../src/ops/at-most-once.js';
import type { OpContext } from '../../src/ops/context.js';

const api = new CeligoClient({ baseUrl: 'http://127.0.0.1:9/v1', token: 't' });

const apiError = (status: number, code = `http_${status}`) => new CeligoApiError({ status, code, message: `failed ${status}`, method: 'POST', path: '/x' });
const e502 = () => apiError(502);
const e429 = () => apiError(429, 'rate_limited');
const e400 = () => apiError(400, 'bad_request');
const reset = () => apiError(0, 'network_error');
const timeout = () => apiError(0, 'timeout');

/**
 * A scripted POST: each call takes the next answer (an error is thrown, anything else returned), and
 * every post, check and sleep is logged in order.
 */
function script(answers: unknown[], checks: unknown[] = []) {
  const log: string[] = [];
  const ctx: OpContext = { api, sleep: async (ms) => void log.push(`sleep ${ms}`) };
  let posts = 0;
  let looks = 0;
  const post = async () => {
    const a = answers[posts++];
    log.push('post');
    if (a instanceof Error) throw a;
    return a as string;
  };
  const tookEffect = async () => {
    const c = checks[looks++];
    log.push('check');
    if (c instanceof Error) throw c;
    return c as string | undefined;
  };
  return { ctx, log, post, tookEffect };
}

describe('isAmbiguous', () => {
  it.each([
    [e502(), true],
    [apiError(503), true],
    [reset(), true],
    [timeout(), true],
    [e429(), false],
    [e400(), false],
    [apiError(404), false],
    [new CeligoApiError({ status: 0, code: 'read_only', message: 'blocked', method: 'POST', path: '/x' }), false],
    [new Error('not from the API'), false],
  ])('%s -> %s', (err, want) => expect(isAmbiguous(err)).toBe(want));
});

describe('attemptAtMostOnce', () => {
  it('checks a POST that failed ambiguously before sending it again, and does not send it again when it took effect', async () => {
    const s = script([e502()], ['job-1']);
    const out = await attemptAtMostOnce(s.ctx, { attempts: 5, post: s.post, tookEffect: s.tookEffect });
    expect(out).toEqual({ kind: 'done', value: 'job-1', recovered: true });
    expect(s.log).toEqual(['post', 'check']);
  });

  it('sends it again after a 5xx or a reset only when the check finds nothing, with backoff', async () => {
    const s = script([e502(), reset(), 'job-1'], [undefined, undefined]);
    const out = await attemptAtMostOnce(s.ctx, { attempts: 5, post: s.post, tookEffect: s.tookEffect });
    expect(out).toEqual({ kind: 'done', value: 'job-1', recovered: false });
    expect(s.log).toEqual(['post', 'check', 'sleep 500', 'post', 'check', 'sleep 1000', 'post']);
  });

  it('re-sends a 429 without checking (it was never processed)', async () => {
    const s = script([e429(), e429(), 'job-1']);
    const out = await attemptAtMostOnce(s.ctx, { attempts: 5, post: s.post, tookEffect: s.tookEffect });
    expect(out).toEqual({ kind: 'done', value: 'job-1', recovered: false });
    expect(s.log).toEqual(['post', 'sleep 500', 'post', 'sleep 1000', 'post']);
  });

  it('never re-sends after a timeout: it may still take effect', async () => {
    const err = timeout();
    const s = script([err, 'never sent'], [undefined]);
    const out = await attemptAtMostOnce(s.ctx, { attempts: 5, post: s.post, tookEffect: s.tookEffect });
    expect(out).toEqual({ kind: 'timedOut', err, attempt: 1 });
    expect(s.log).toEqual(['post', 'check']);
  });

  it('after a timeout whose effect is found, reports it done', async () => {
    const s = script([timeout()], ['job-1']);
    expect(await attemptAtMostOnce(s.ctx, { attempts: 5, post: s.post, tookEffect: s.tookEffect })).toEqual({ kind: 'done', value: 'job-1', recovered: true });
  });

  it('does not re-send when the check itself fails', async () => {
    const err = e502();
    const checkErr = reset();
    const s = script([err, 'never sent'], [checkErr]);
    const out = await attemptAtMostOnce(s.ctx, { attempts: 5, post: s.post, tookEffect: s.tookEffect });
    expect(out).toEqual({ kind: 'checkFailed', err, checkErr, attempt: 1 });
    expect(s.log).toEqual(['post', 'check']);
  });

  it('reports a refusal (4xx) without checking or re-sending', async () => {
    const err = e400();
    const s = script([err]);
    expect(await attemptAtMostOnce(s.ctx, { attempts: 5, post: s.post, tookEffect: s.tookEffect })).toEqual({ kind: 'rejected', err, attempt: 1 });
    expect(s.log).toEqual(['post']);
  });

  it('gives up after `attempts` failures without effect, with no sleep after the last', async () => {
    const last = e429();
    const s = script([e502(), e502(), last], [undefined, undefined]);
    const out = await attemptAtMostOnce(s.ctx, { attempts: 3, post: s.post, tookEffect: s.tookEffect });
    expect(out).toEqual({ kind: 'exhausted', lastErr: last, attempts: 3 });
    expect(s.log).toEqual(['post', 'check', 'sleep 500', 'post', 'check', 'sleep 1000', 'post']);
  });

  it('passes the attempt number to the check', async () => {
    const seen: number[] = [];
    const s = script([e502(), e502(), 'ok']);
    await attemptAtMostOnce(s.ctx, { attempts: 5, post: s.post, tookEffect: async (attempt) => void seen.push(attempt) });
    expect(seen).toEqual([1, 2]);
  });

  it('stops on cancel with the error it met', async () => {
    const ac = new AbortController();
    const err = e502();
    const s = script([err]);
    const ctx = { ...s.ctx, signal: ac.signal };
    await expect(attemptAtMostOnce(ctx, { attempts: 5, post: async () => (ac.abort(), s.post()), tookEffect: s.tookEffect })).rejects.toBe(err);
    expect(s.log).toEqual(['post']);
  });

  it('backs off from 0.5 s, doubling, to at most 8 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffMs)).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });
});

describe('postAtMostOnce', () => {
  const handlers = {
    onCheckFailed: (_e: unknown, _c: unknown, attempt: number) => new Error(`check failed at ${attempt}`),
    onTimeout: (_e: unknown, attempt: number) => new Error(`timed out at ${attempt}`),
    onExhausted: () => new Error('exhausted'),
  };
  it.each([
    ['a value', ['ok'], [], 'ok'],
    ['the effect found after a 502', [e502()], ['found'], 'found'],
  ])('returns %s', async (_name, answers, checks, want) => {
    const s = script(answers, checks);
    expect(await postAtMostOnce(s.ctx, { attempts: 3, post: s.post, tookEffect: s.tookEffect, ...handlers })).toBe(want);
  });
  it.each([
    ['the refusal itself', [e400()], [], /failed 400/],
    ['onCheckFailed', [e502()], [reset()], /check failed at 1/],
    ['onTimeout', [e502(), timeout()], [undefined, undefined], /timed out at 2/],
    ['onExhausted', [e429(), e429(), e429()], [], /exhausted/],
  ])('throws %s', async (_name, answers, checks, want) => {
    const s = script(answers, checks);
    await expect(postAtMostOnce(s.ctx, { attempts: 3, post: s.post, tookEffect: s.tookEffect, ...handlers })).rejects.toThrow(want);
  });
});

describe('createOnce', () => {
  it('after an ambiguous failure, takes the object that did not exist before instead of creating another', async () => {
    const existing = [{ _id: 'old' }];
    let creates = 0;
    const made = await createOnce({ api, sleep: async () => {} }, 'thing', async () => {
      creates++;
      existing.push({ _id: 'new' });
      throw e502();
    }, async () => existing);
    expect(made).toEqual({ _id: 'new' });
    expect(creates).toBe(1);
  });
  it('tells what was not created when every attempt fails', async () => {
    let creates = 0;
    const p = createOnce({ api, sleep: async () => {} }, 'thing', async () => {
      creates++;
      throw e429();
    }, async () => [], []);
    await expect(p).rejects.toThrow(/thing was NOT created: the request failed 8 times/);
    expect(creates).toBe(8);
  });
});

describe('gaveUp', () => {
  it('keeps the status and code, and tells what happened and what to do', () => {
    const e = gaveUp(e502(), 'Nothing was done', 'Try later', 3) as CeligoApiError;
    expect(e).toBeInstanceOf(CeligoApiError);
    expect([e.status, e.message, e.remedy, e.attempts]).toEqual([502, 'Nothing was done', 'Try later', 3]);
    const other = new Error('x');
    expect(gaveUp(other, 'm', 'r')).toBe(other);
  });
});
