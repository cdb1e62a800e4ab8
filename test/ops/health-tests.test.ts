// Issue 14 item 2: the health check's connection tests start as soon as a connection is known to need one,
// each connection once, all at once (the request budget spaces them), and a test that throws is a
// connection down, never an unhandled rejection.
import { describe, expect, it } from 'vitest';
import type { Flow } from '../../src/core/schemas.js';
import { ConnectionTests } from '../../src/ops/health-tests.js';
import { showsTrouble } from '../../src/ops/health-tally.js';
import { rowMaker } from '../../src/ops/job-rows.js';

function fakeCtx(fail: Set<string> = new Set()) {
  const pinged: string[] = [];
  let inFlight = 0;
  let most = 0;
  const ping = async (id: string) => {
    pinged.push(id);
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    if (fail.has(id)) throw new Error(`socket hang up (${id})`);
    return { ok: true, code: 200, latencyMs: 5 };
  };
  return { ctx: { api: { connections: { ping } } } as never, pinged, most: () => most };
}

const flow = (id: string, exp: string, imp: string, extra: Partial<Flow> = {}): Flow => ({ _id: id, name: id, pageGenerators: [{ _exportId: exp }], pageProcessors: [{ type: 'import', _importId: imp }], ...extra });
const connectionOf = new Map([
  ['e1', 'c1'],
  ['i1', 'c2'],
  ['e2', 'c1'],
  ['i2', 'c3'],
  ['e3', 'c4'],
  ['i3', 'c5'],
]);
const flows = [flow('f1', 'e1', 'i1'), flow('f2', 'e2', 'i2'), flow('f3', 'e3', 'i3', { disabled: true })];

describe('ConnectionTests', () => {
  it('a flow named before the lists are in is tested once they are; after, at once; each connection once', async () => {
    const { ctx, pinged } = fakeCtx();
    const tests = new ConnectionTests(ctx);
    tests.flow('f1');
    tests.flow('f1');
    expect(pinged).toEqual([]);
    tests.ready(flows, connectionOf);
    expect(pinged).toEqual(['c1', 'c2']);
    tests.flow('f2');
    expect(pinged).toEqual(['c1', 'c2', 'c3']);
    expect(await tests.result('c1')).toMatchObject({ ok: true, code: 200 });
    expect(tests.count).toBe(3);
    expect(pinged).toEqual(['c1', 'c2', 'c3']);
  });

  it('leaves out disabled and unknown flows; a connection asked for later is tested then', async () => {
    const { ctx, pinged } = fakeCtx();
    const tests = new ConnectionTests(ctx);
    tests.ready(flows, connectionOf);
    tests.flow('f3');
    tests.flow('nope');
    expect(pinged).toEqual([]);
    await tests.result('c9');
    expect(pinged).toEqual(['c9']);
  });

  it('starts every test at once, and a test that throws is a connection down', async () => {
    const { ctx, most } = fakeCtx(new Set(['c7']));
    const tests = new ConnectionTests(ctx);
    const many = Array.from({ length: 40 }, (_, i) => `c${i}`);
    const results = await Promise.all(many.map((c) => tests.result(c)));
    expect(most()).toBe(40);
    expect(results[7]).toEqual({ ok: false, message: 'socket hang up (c7)' });
    expect(results.filter((r) => r.ok)).toHaveLength(39);
  });
});

describe('showsTrouble', () => {
  const now = Date.parse('2026-01-15T12:00:00Z');
  const toRow = rowMaker(now - 86_400_000, now, []);
  const row = (extra: Record<string, unknown>, hoursAgo = 1) => toRow({ _id: 'j', type: 'flow', status: 'completed', createdAt: new Date(now - hoursAgo * 3_600_000).toISOString(), _flowId: 'f1', ...extra } as never);
  it.each([
    ['a failed run in the window', row({ status: 'failed' }), true],
    ['a run with record errors', row({ numError: 2 }), true],
    ['a clean run', row({}), false],
    ['a failed run of the baseline', row({ status: 'failed' }, 30), false],
    ['a failed retry job', row({ status: 'failed', type: 'retry' }), false],
    ['a running job with errors so far', row({ status: 'running', numError: 3 }), false],
    ['a failed run of no flow', row({ status: 'failed', _flowId: undefined }), false],
  ])('%s -> %s', (_name, r, expected) => expect(showsTrouble(r)).toBe(expected));
});
