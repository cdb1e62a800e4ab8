import { describe, expect, it } from 'vitest';
import type { ConfirmKind } from '../../src/ops/confirm.js';
import type { ScopedError } from '../../src/ops/patterns.js';
import {
  SKIP_NO_RETRY_DATA as NO_DATA,
  SKIP_SAME_RECORD as SAME,
  batchesPerStep,
  errorIdsOf,
  planBatches,
  planRetry,
  type Batch,
} from '../../src/ops/retry-plan.js';

let seq = 0;
/** An open error of flow `f`, step `s`, with retry data `key` (none when undefined), in flow job `job`. */
function e(f: string, s: string, key: string | undefined, o: { job?: string; code?: string; message?: string; id?: string } = {}): ScopedError {
  return {
    errorId: o.id ?? `e${++seq}`,
    occurredAt: '2026-01-01T00:00:00.000Z',
    code: o.code ?? '503',
    message: o.message ?? 'Service unavailable',
    ...(key !== undefined ? { retryDataKey: key } : {}),
    ...(o.job ? { _flowJobId: o.job } : {}),
    flowId: f,
    stepId: s,
  };
}
/** A batch as [flow, step, keys]. */
const rows = (bs: readonly Batch[]) => bs.map((b) => [b.flowId, b.stepId, b.keys]);
const dup = { code: 'DUP_RCRD', message: 'duplicate record' };

describe('planBatches', () => {
  const cases: {
    name: string;
    errors: ScopedError[];
    batchSize?: number;
    before?: Record<string, number>;
    batches: [string, string, string[]][];
    skipped: [string, number][];
  }[] = [
    { name: 'nothing selected', errors: [], batches: [], skipped: [] },
    { name: 'one step, distinct keys', errors: [e('F', 'S', 'k1'), e('F', 'S', 'k2'), e('F', 'S', 'k3')], batches: [['F', 'S', ['k1', 'k2', 'k3']]], skipped: [] },
    { name: 'an error with no retry data is skipped', errors: [e('F', 'S', 'k1'), e('F', 'S', undefined)], batches: [['F', 'S', ['k1']]], skipped: [[NO_DATA, 1]] },
    { name: 'only errors with no retry data: no batch', errors: [e('F', 'S', undefined), e('F', 'T', undefined)], batches: [], skipped: [[NO_DATA, 2]] },
    { name: 'the same record twice in one step is posted once', errors: [e('F', 'S', 'k1'), e('F', 'S', 'k1'), e('F', 'S', 'k2')], batches: [['F', 'S', ['k1', 'k2']]], skipped: [[SAME, 1]] },
    {
      name: 'the same key in two steps is two records',
      errors: [e('F', 'S', 'k1'), e('F', 'T', 'k1'), e('G', 'S', 'k1')],
      batches: [['F', 'S', ['k1']], ['F', 'T', ['k1']], ['G', 'S', ['k1']]],
      skipped: [],
    },
    {
      name: 'a step with more keys than a batch holds is split in order',
      errors: ['a', 'b', 'c', 'd', 'e'].map((k) => e('F', 'S', k)),
      batchSize: 2,
      batches: [['F', 'S', ['a', 'b']], ['F', 'S', ['c', 'd']], ['F', 'S', ['e']]],
      skipped: [],
    },
    {
      name: 'interleaved steps are batched per step, steps in first-seen order',
      errors: [e('F', 'S', 'a'), e('G', 'T', 'b'), e('F', 'S', 'c'), e('G', 'T', 'd'), e('F', 'U', 'e')],
      batches: [['F', 'S', ['a', 'c']], ['G', 'T', ['b', 'd']], ['F', 'U', ['e']]],
      skipped: [],
    },
    {
      name: 'reasons given before planning come first and are added to',
      errors: [e('F', 'S', undefined), e('F', 'S', 'k'), e('F', 'S', 'k'), e('F', 'S', undefined)],
      before: { 'not open (already resolved or unknown)': 2, [NO_DATA]: 1 },
      batches: [['F', 'S', ['k']]],
      skipped: [['not open (already resolved or unknown)', 2], [NO_DATA, 3], [SAME, 1]],
    },
  ];
  it.each(cases)('$name', ({ errors, batchSize, before, batches, skipped }) => {
    const p = planBatches(errors, before, batchSize);
    expect(rows(p.batches)).toEqual(batches);
    expect(p.batches.every((b) => b.errors === b.keys.length)).toBe(true);
    expect(Object.entries(p.skippedReasons)).toEqual(skipped);
  });

  it('does not change the reasons it was given', () => {
    const before = { x: 1 };
    planBatches([e('F', 'S', undefined)], before);
    expect(before).toEqual({ x: 1 });
  });
});

describe('batchesPerStep', () => {
  const b = (f: string, s: string, ...keys: string[]): Batch => ({ flowId: f, stepId: s, keys, errors: keys.length });
  it.each([
    { name: 'none', batches: [], steps: [] },
    { name: 'one step keeps its batches in order', batches: [b('F', 'S', 'a'), b('F', 'S', 'b')], steps: [[['F', 'S', ['a']], ['F', 'S', ['b']]]] },
    {
      name: 'steps in first-seen order',
      batches: [b('F', 'S', 'a'), b('G', 'S', 'b'), b('F', 'S', 'c'), b('F', 'T', 'd')],
      steps: [[['F', 'S', ['a']], ['F', 'S', ['c']]], [['G', 'S', ['b']]], [['F', 'T', ['d']]]],
    },
  ])('$name', ({ batches, steps }) => {
    expect(batchesPerStep(batches).map(rows)).toEqual(steps);
  });
});

describe('errorIdsOf', () => {
  const errors = [e('F', 'S', 'k1', { id: '1' }), e('F', 'S', 'k1', { id: '2' }), e('F', 'S', 'k2', { id: '3' }), e('F', 'T', 'k1', { id: '4' }), e('F', 'S', undefined, { id: '5' })];
  it.each([
    { keys: ['k1'], step: 'S', ids: ['1', '2'] },
    { keys: ['k1', 'k2'], step: 'S', ids: ['1', '2', '3'] },
    { keys: ['k1'], step: 'T', ids: ['4'] },
    { keys: ['k9'], step: 'S', ids: [] },
  ])('keys $keys of step $step -> $ids', ({ keys, step, ids }) => {
    expect(errorIdsOf(errors, { flowId: 'F', stepId: step, keys, errors: keys.length })).toEqual(ids);
  });
});

describe('planRetry', () => {
  const flows = new Map([['F', { name: 'Orders' }], ['G', { name: 'Invoices' }]]);
  const cases: {
    name: string;
    errors: ScopedError[];
    kind?: ConfirmKind;
    want: { totalKeys: number; skipped: number; likelyToFailAgain: number; jobCount: number; kind: ConfirmKind; action: string };
    flows?: { flowId: string; name: string; errors: number; jobs: number }[];
    details?: string[];
  }[] = [
    {
      name: 'nothing to retry',
      errors: [e('F', 'S', undefined, { job: 'j1' })],
      want: { totalKeys: 0, skipped: 1, likelyToFailAgain: 0, jobCount: 1, kind: 'change', action: 'Retry 0 errors in 1 job' },
    },
    {
      name: 'one job: an ordinary change',
      errors: [e('F', 'S', 'a', { job: 'j1' }), e('F', 'S', 'b', { job: 'j1' })],
      want: { totalKeys: 2, skipped: 0, likelyToFailAgain: 0, jobCount: 1, kind: 'change', action: 'Retry 2 errors in 1 job' },
      flows: [{ flowId: 'F', name: 'Orders', errors: 2, jobs: 1 }],
      details: ['2 errors in 1 job of 1 flow: Orders (2)', '2x 503: Service unavailable — remote server error or timeout'],
    },
    {
      name: 'several jobs: a mass action',
      errors: [e('F', 'S', 'a', { job: 'j1' }), e('G', 'T', 'b', { job: 'j2' }), e('G', 'T', 'c', { job: 'j2' })],
      want: { totalKeys: 3, skipped: 0, likelyToFailAgain: 0, jobCount: 2, kind: 'mass', action: 'Retry 3 errors in 2 jobs' },
      flows: [{ flowId: 'F', name: 'Orders', errors: 1, jobs: 1 }, { flowId: 'G', name: 'Invoices', errors: 2, jobs: 1 }],
    },
    {
      name: 'a stricter kind is kept',
      errors: [e('F', 'S', 'a', { job: 'j1' }), e('F', 'S', 'b', { job: 'j2' })],
      kind: 'destructive',
      want: { totalKeys: 2, skipped: 0, likelyToFailAgain: 0, jobCount: 2, kind: 'destructive', action: 'Retry 2 errors in 2 jobs' },
    },
    {
      name: 'data the target rejects will likely fail again; skips are listed',
      errors: [e('F', 'S', 'a', { job: 'j1', ...dup }), e('F', 'S', 'a', { job: 'j1', ...dup }), e('F', 'S', 'b', { job: 'j1' }), e('F', 'S', undefined, { job: 'j1' })],
      want: { totalKeys: 2, skipped: 2, likelyToFailAgain: 2, jobCount: 1, kind: 'change', action: 'Retry 2 errors in 1 job' },
      details: [
        '2 errors in 1 job of 1 flow: Orders (4)',
        '2x DUP_RCRD: duplicate record — data validation (will likely fail again)',
        '2x 503: Service unavailable — remote server error or timeout',
        `skipping 2: 1 ${SAME}, 1 ${NO_DATA}`,
      ],
    },
    {
      name: 'a flow not in the map is named by its id; errors with no job count no job',
      errors: [e('X', 'S', 'a')],
      want: { totalKeys: 1, skipped: 0, likelyToFailAgain: 0, jobCount: 0, kind: 'change', action: 'Retry 1 error in 0 jobs' },
      flows: [{ flowId: 'X', name: 'X', errors: 1, jobs: 0 }],
    },
  ];
  it.each(cases)('$name', ({ errors, kind, want, flows: wantFlows, details }) => {
    const p = planRetry(errors, flows, { scope: 'scope', kind: kind ?? 'change' });
    expect({
      totalKeys: p.totalKeys, skipped: p.skipped, likelyToFailAgain: p.likelyToFailAgain, jobCount: p.jobCount, kind: p.confirm.kind, action: p.confirm.plan.action,
    }).toEqual(want);
    expect(p.matched).toBe(errors.length);
    if (wantFlows) expect(p.flows).toEqual(wantFlows);
    if (details) expect(p.confirm.plan.details).toEqual(details);
  });

  it('digests exactly the requests it will send', () => {
    const digest = (errors: ScopedError[], scope = 's') => planRetry(errors, flows, { scope, kind: 'change' }).confirm.plan.digest;
    const base = [e('F', 'S', 'a', { job: 'j1' }), e('F', 'S', 'b', { job: 'j1' })];
    expect(digest(base)).toBe(digest([e('F', 'S', 'a', { job: 'j9' }), e('F', 'S', 'b', { job: 'j9' })], 'other scope'));
    expect(digest(base)).not.toBe(digest([...base, e('F', 'S', 'c', { job: 'j1' })]));
    expect(digest(base)).not.toBe(digest([e('F', 'T', 'a', { job: 'j1' }), e('F', 'T', 'b', { job: 'j1' })]));
  });
});

describe('planRetry with errors held back by a connection that fails its test', () => {
  it('skips them with the reason, confirms only the jobs left, and says which connection to fix first', () => {
    const login = { code: 'INVALID_LOGIN', message: 'INVALID_LOGIN: bad password' };
    const errors = [e('f1', 'imp', 'k1', { job: 'j1', ...login }), e('f1', 'imp', 'k2', { job: 'j2', ...login }), e('f1', 'exp', 'k3', { job: 'j3' })];
    const problem = { connectionId: 'c1', name: 'SF', code: 401, message: 'INVALID_LOGIN: bad password', errors: 2, heldBack: true };
    const hold = (x: ScopedError) => (x.code === 'INVALID_LOGIN' ? 'connection "SF" fails its test' : undefined);
    const p = planRetry(errors, new Map([['f1', { name: 'Flow 1' }]]), { scope: 'flow Flow 1', kind: 'change', hold, connectionProblems: [problem] });
    expect(rows(p.batches)).toEqual([['f1', 'exp', ['k3']]]);
    expect(p).toMatchObject({ matched: 3, totalKeys: 1, jobCount: 1, skippedReasons: { 'connection "SF" fails its test': 2 }, connectionProblems: [problem] });
    expect(p.confirm.plan.action).toBe('Retry 1 error in 1 job');
    expect(p.confirm.plan.details.slice(0, 2)).toEqual([
      '1 error in 1 job of 1 flow: Flow 1 (1)',
      '2 errors will fail again until connection "SF" is fixed (its connection test says: 401: INVALID_LOGIN: bad password): left out of this retry; fix it in integrator.io: Resources → Connections → "SF" → Edit, or pass force to retry them anyway',
    ]);
    expect(p.confirm.kind).toBe('change');
  });
});
