import { describe, expect, it } from 'vitest';
import { CeligoApiError } from '../../src/core/errors.js';
import type { ScopedError } from '../../src/ops/patterns.js';
import { planRetry, type Batch } from '../../src/ops/retry-plan.js';
import type { BatchOutcome, PostResult } from '../../src/ops/retry-post.js';
import { nothingToRetryReport, retryReport, type WaitResult } from '../../src/ops/retry-report.js';

const err = (id: string, step: string, key?: string): ScopedError => ({
  errorId: id, occurredAt: '2026-01-01T00:00:00.000Z', code: '503', message: 'Service unavailable', flowId: 'F', stepId: step, _flowJobId: 'j1',
  ...(key ? { retryDataKey: key } : {}),
});
const errors = [err('1', 'S', 'a'), err('2', 'S', 'b'), err('3', 'T', 'c'), err('4', 'U', 'd')];
const plan = planRetry(errors, new Map([['F', { name: 'Orders' }]]), { scope: 'flow Orders', kind: 'change' });
const [bS, bT, bU] = plan.batches;
const e400 = new CeligoApiError({ status: 400, code: 'bad_request', message: 'bad keys', method: 'POST', path: '/x' });
const e502 = new CeligoApiError({ status: 502, code: 'http_502', message: 'bad gateway', method: 'POST', path: '/x' });

function posted(settled: [Batch, BatchOutcome][], o: Partial<PostResult> = {}): PostResult {
  const jobs = settled.filter(([, out]) => out.kind === 'posted').map(([b], i) => ({ jobId: `r${i + 1}`, flowId: b.flowId, stepId: b.stepId, keys: b.keys.length }));
  return { jobs, createdAt: new Map(), settled: settled.map(([batch, outcome]) => ({ batch, outcome })), unseenJobs: 0, recoveredAmbiguous: 0, ...o };
}

describe('retryReport', () => {
  const ok: BatchOutcome = { kind: 'posted' };
  it.each<{ name: string; post: PostResult; wait?: WaitResult; counts: [number, number, number]; summary: string; notRetried?: [string, string[], boolean?][] }>([
    {
      name: 'everything retried and waited for',
      post: posted([[bS, ok], [bT, ok], [bU, ok]]),
      wait: { errorsResolvedAfter: 3, stillOpenAfter: 1 },
      counts: [4, 0, 0],
      summary: 'Retried 4 errors in 3 retry jobs (flow Orders); 3 resolved, 1 failed again.',
    },
    {
      name: 'one step refused, one gave up',
      post: posted([[bS, ok], [bT, { kind: 'rejected', err: e400, attempts: 1 }], [bU, { kind: 'gaveUp', err: e502, attempts: 12 }]]),
      counts: [2, 2, 0],
      summary: 'Asked to retry 2 of 4 errors in 1 retry job (flow Orders); 2 NOT retried (still open) in 2 steps: Orders step T, Orders step U; their errorIds are in notRetried.',
      notRetried: [['T', ['3']], ['U', ['4']]],
    },
    {
      name: 'unconfirmed, unseen job, and a wait that stopped',
      post: posted([[bS, ok], [bT, ok], [bU, { kind: 'unconfirmed', err: e502, why: 'it timed out' }]], { unseenJobs: 1 }),
      wait: { waitNote: 'some retry jobs were still running when we stopped waiting' },
      counts: [3, 0, 1],
      summary: 'Asked to retry 3 of 4 errors in 2 retry jobs (flow Orders); 1 unconfirmed (the request may or may not have started a retry; see failures); 1 accepted request whose retry job has not shown in the job list yet; some retry jobs were still running when we stopped waiting.',
      notRetried: [['U', ['4'], true]],
    },
  ])('$name', ({ post, wait, counts, summary, notRetried }) => {
    const r = retryReport(plan, errors, post, wait ?? {});
    expect([r.retried, r.failed, r.unconfirmed]).toEqual(counts);
    expect(r.summary).toBe(summary);
    expect((r.notRetried ?? []).map((n) => [n.stepId, n.errorIds, ...(n.unconfirmed ? [true] : [])])).toEqual(notRetried ?? []);
    expect(r.failures).toHaveLength((notRetried?.length ?? 0) + (wait?.waitNote ? 1 : 0));
  });

  it('says why nothing was retried', () => {
    const none = planRetry([err('9', 'S')], new Map(), { scope: 'job j1', kind: 'change' });
    expect(nothingToRetryReport(none)).toMatchObject({ retried: 0, skipped: 1, jobs: [], summary: 'Nothing to retry in job j1: no selected error has retry data.' });
    expect(nothingToRetryReport(planRetry([], new Map(), { scope: 'x', kind: 'change' })).summary).toBe('Nothing to retry in x: no open errors match.');
  });
});
