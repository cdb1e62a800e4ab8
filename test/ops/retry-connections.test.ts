// A retry does not retry authentication or connection errors while their connection still fails its test
// (issue 12 item 6): the connections of those errors' steps are tested once each, the errors are left out
// unless forced, and the preview and the report say which connection to fix and where.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { catalogue } from '../../src/operations/catalogue.js';
import type { ScopedError } from '../../src/ops/patterns.js';
import { connectionVerdict, type TestedConnection } from '../../src/ops/retry-connections.js';
import { retryFailedJobs, retryJob } from '../../src/ops/retry.js';
import { scanErrors } from '../../src/ops/scan.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

const SF_USER = 'Salesforce - Integration User';
const SF_SAYS = '401: INVALID_LOGIN: Invalid username, password, security token; or user locked out.';
const WHERE = `in integrator.io: Resources → Connections → "${SF_USER}" → Edit`;

describe('which errors wait on a connection that fails its test', () => {
  const err = (stepId: string, code: string, message = code): ScopedError => ({ errorId: `${stepId}-${code}`, occurredAt: '2026-01-01T00:00:00Z', code, message, flowId: 'f', stepId, retryDataKey: 'k' }) as ScopedError;
  const connectionOf = new Map([['f/bad', 'c-bad'], ['f/good', 'c-good'], ['f/untested', 'c-untested']]);
  const tests = new Map<string, TestedConnection | undefined>([
    ['c-bad', { ok: false, name: 'Bad', code: 401, message: 'INVALID_LOGIN' }],
    ['c-good', { ok: true, name: 'Good' }],
    ['c-untested', undefined],
  ]);
  const errors = [err('bad', 'INVALID_LOGIN'), err('bad', 'ECONNREFUSED'), err('bad', 'DUP_RCRD', 'duplicate record'), err('good', 'INVALID_LOGIN'), err('untested', '401'), err('unknown', 'INVALID_LOGIN')];

  it.each([
    { name: 'without force: the auth and connection errors of the failing connection are held back', force: false, held: ['bad-INVALID_LOGIN', 'bad-ECONNREFUSED'] },
    { name: 'with force: nothing is held back, the problem is still told', force: true, held: [] },
  ])('$name', ({ force, held }) => {
    const v = connectionVerdict(errors, connectionOf, tests, force);
    expect(v.problems).toEqual([{ connectionId: 'c-bad', name: 'Bad', code: 401, message: 'INVALID_LOGIN', errors: 2, heldBack: !force }]);
    expect(errors.filter((e) => v.heldBy(e)).map((e) => e.errorId)).toEqual(held);
  });
});

describe('retries and failing connections on the demo account', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  const pings = () => env.emu.requestLog().filter((l) => /\/connections\/\w+\/(ping|test)$/.test(l.path));
  const retryPosts = () => env.emu.requestLog().filter((l) => l.method === 'POST' && /\/retry$/.test(l.path));

  it('leaves the INVALID_LOGIN errors out while their connection fails its test, says so first, and retries the rest', async () => {
    const before = await scanErrors(env.ctx, { integration: DEMO.failingIntegration });
    const login = before.errors.filter((e) => e.code === 'INVALID_LOGIN');
    const data = before.errors.filter((e) => e.code === 'INVALID_KEY_OR_REF');
    expect(login.length).toBeGreaterThan(0);
    expect(data.length).toBeGreaterThan(0);
    env.emu.clearRequestLog();

    const r = await retryFailedJobs(env.ctx, { integration: DEMO.failingIntegration });
    const line = `${login.length} errors will fail again until connection "${SF_USER}" is fixed (its connection test says: ${SF_SAYS}): left out of this retry; fix it ${WHERE}, or pass force to retry them anyway`;
    expect(env.plans[0].details).toContain(line);
    expect(env.plans[0].action).toBe(`Retry ${data.length} errors in ${new Set(data.map((e) => e._flowJobId)).size} jobs`);
    expect(pings()).toHaveLength(1);
    expect(retryPosts().every((l) => data.some((e) => l.path.includes(`/${e.stepId}/`)))).toBe(true);
    expect(r).toMatchObject({ matched: before.errors.length, retried: data.length, skippedReasons: { [`connection "${SF_USER}" fails its test`]: login.length }, outcome: 'partial' });
    expect(r.connectionProblems).toEqual([expect.objectContaining({ name: SF_USER, code: 401, errors: login.length, heldBack: true })]);
    expect(r.summary).toContain(`; skipped ${login.length}; ${line}; `);
    expect(r.next[0]).toMatchObject({ op: 'test_connection', why: `after fixing connection "${SF_USER}" (${WHERE}); then retry again: its ${login.length} errors were left open` });
    const after = await scanErrors(env.ctx, { integration: DEMO.failingIntegration });
    expect(after.errors.filter((e) => e.code === 'INVALID_LOGIN')).toHaveLength(login.length);
  });

  it('force retries them too, and the preview says they go anyway', async () => {
    const before = await scanErrors(env.ctx, { integration: DEMO.failingIntegration });
    const r = await retryFailedJobs(env.ctx, { integration: DEMO.failingIntegration, force: true });
    expect(env.plans[0].details).toContainEqual(expect.stringMatching(/will fail again until connection "Salesforce - Integration User" is fixed \(.*\): retried anyway \(force\)$/));
    expect(r.retried).toBe(before.errors.length);
    expect(r.connectionProblems).toEqual([expect.objectContaining({ name: SF_USER, heldBack: false })]);
    expect(r.next.filter((n) => n.op === 'test_connection')).toEqual([]);
  });

  it('retry_job of a job whose errors all wait on the connection posts nothing and says why; force is an input of the tool', async () => {
    const flow = (await env.api.flows.list()).find((f) => f.name === 'Salesforce Contacts to NetSuite Contacts')!;
    const since = new Date(env.clock.now() - 86_400_000).toISOString();
    const job = (await env.api.jobs.list({ type: 'flow', _flowId: flow._id, createdAt_gte: since })).find((j) => (j.numOpenError ?? 0) > 0)!;
    env.emu.clearRequestLog();
    const r = await retryJob(env.ctx, { job: job._id });
    expect(retryPosts()).toEqual([]);
    expect(r.outcome).toBe('nothing');
    expect(r.summary).toMatch(new RegExp(`^Nothing to retry in job ${job._id} of flow Salesforce Contacts to NetSuite Contacts: every selected error waits on a connection that fails its test; \\d+ errors? will fail again until connection "${SF_USER}"`));

    const tool = catalogue().find((t) => t.name === 'retry_job')!;
    const forced = await tool.handler({ job: job._id, force: true }, env.ctx);
    expect(forced.isError, forced.text).toBe(false);
    expect(retryPosts().length).toBeGreaterThan(0);
  });

  it('tests no connection when no selected error is of the connection or authentication class', async () => {
    env.emu.clearRequestLog();
    await retryFailedJobs(env.ctx, { integration: DEMO.degradedIntegration });
    expect(pings()).toEqual([]);
    expect(env.emu.requestLog().filter((l) => /^\/v1\/(exports|imports|connections)/.test(l.path))).toEqual([]);
  });
});

describe('on the large account', () => {
  let env: Env;
  beforeAll(async () => {
    env = await demoEnv({ seed: 'large' });
  });
  afterAll(() => env.close());

  it('reads the steps\' connections in a few list pages, not one request per step, and tests the connection once', async () => {
    // Its ten flows all read from "SFTP 37", whose credentials are wrong.
    env.emu.clearRequestLog();
    const r = await retryFailedJobs(env.ctx, { integration: 'SFTP - Amazon S3 Shipments #37' });
    expect(r).toMatchObject({ retried: 0, outcome: 'nothing', connectionProblems: [expect.objectContaining({ name: 'SFTP 37', heldBack: true, errors: r.matched })] });
    const log = env.emu.requestLog().map((l) => `${l.method} ${l.path}`);
    expect(log.filter((l) => /\/connections\/\w+\/ping$/.test(l))).toHaveLength(1);
    expect(log.filter((l) => /^GET \/v1\/(exports|imports)\/\w+$/.test(l))).toEqual([]);
    expect(log.filter((l) => /^GET \/v1\/exports(\?|$)/.test(l)).length).toBeLessThanOrEqual(3);
  });
});
