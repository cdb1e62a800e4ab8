// Issue 13 item 2: a bulk retry run again while the first one's retry job is still queued or running posted a
// second (and third) retry for the same step and said "Retried 47" each time, although the later retry jobs
// took nothing. A retry now leaves out the steps with a retry still queued or running, says so, and reports
// what its retry jobs really took (their counts), not the number of errors it asked for.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { retryErrors, retryFailedJobs } from '../../src/ops/retry.js';
import { SKIP_RETRY_RUNNING } from '../../src/ops/retry-running.js';
import { run } from '../helpers/cli.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

const FLOW = 'Salesforce Case Comments to Zendesk';

const retryPosts = (env: Env) => env.emu.requestLog().filter((l) => l.method === 'POST' && /\/retry$/.test(l.path));

describe('a retry while an earlier retry of the same step is still queued or running', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  it('posts nothing for that step, says which retry job still runs, and ends as nothing', async () => {
    const first = await retryErrors(env.ctx, { flow: FLOW, all: true });
    expect(first.retried).toBeGreaterThan(0);
    expect(first.summary).toMatch(/^Asked to retry \d+ errors in 1 retry job/);
    expect(retryPosts(env)).toHaveLength(1);
    const running = first.jobs[0].jobId;

    for (const again of [() => retryErrors(env.ctx, { flow: FLOW, all: true }), () => retryFailedJobs(env.ctx, { flow: FLOW })]) {
      const r = await again();
      expect(retryPosts(env)).toHaveLength(1);
      expect(r.retried).toBe(0);
      expect(r.outcome).toBe('nothing');
      expect(r.skippedReasons).toEqual({ [SKIP_RETRY_RUNNING]: first.matched });
      expect(r.summary).toContain(`retry job ${running}`);
      expect(r.next).toContainEqual({ op: 'get_job', args: { job: running }, why: expect.stringMatching(/do not retry again/) });
    }

    // Once that retry job has ended, the errors it left open can be retried again.
    await env.clock.advance(60_000);
    const later = await retryErrors(env.ctx, { flow: FLOW, all: true });
    expect(later.skippedReasons).toEqual({});
    expect(retryPosts(env).length).toBeGreaterThanOrEqual(1);
  });

  it('reports what the retry job took when it took fewer errors than asked (another retry had them)', async () => {
    // An account whose job list does not show the queued retry: the second retry is posted, and its job takes nothing.
    const hiding: typeof fetch = async (url, init) => {
      const u = new URL(String(url));
      if ((init?.method ?? 'GET') === 'GET' && u.pathname === '/v1/jobs' && u.searchParams.has('status')) {
        return { status: 200, headers: new Headers({ 'content-type': 'application/json' }), text: async () => '[]' } as never;
      }
      return (await env.emu.fetch(String(url), init as never)) as never;
    };
    const api = new CeligoClient({ baseUrl: env.emu.baseUrl, token: DEMO_TOKEN, fetch: hiding, backoffMs: 1, sleep: async () => {} });
    const ctx = { ...env.ctx, api };
    const first = await retryErrors(ctx, { flow: FLOW, all: true });
    const second = await retryFailedJobs(ctx, { flow: FLOW, wait: true });
    expect(second.retried).toBe(first.retried);
    expect(second.errorsResolvedAfter).toBe(0);
    expect(second.stillOpenAfter).toBe(0);
    expect(second.notTakenAfter).toBe(first.retried);
    expect(second.outcome).toBe('nothing');
    expect(second.summary).toContain(`the retry job took 0 of the ${first.retried} errors asked`);
    expect(second.summary).not.toMatch(/^Retried \d+ errors/);
  });
});

describe('errors retry at a terminal, three times in a row (the adversarial run)', () => {
  it('the first asks for the retry (exit 0); the next two retry nothing, say why, and exit 1', async () => {
    const { startEmulator } = await import('../../src/emulator/index.js');
    const emu = await startEmulator({ port: 0, seed: 'demo', quiet: true });
    try {
      const env = { CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN };
      const argv = ['errors', 'retry', '--flow', FLOW, '--yes'];
      const first = await run(argv, { env });
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^✓ Asked to retry 47 errors in 1 retry job/);
      for (let i = 0; i < 2; i++) {
        const again = await run(argv, { env });
        expect(again.code).toBe(1);
        expect(again.stdout).not.toContain('✓');
        expect(again.stdout).toMatch(/Nothing to retry .*still queued or running/);
      }
      expect(emu.requestLog().filter((l) => l.method === 'POST' && /\/retry$/.test(l.path))).toHaveLength(1);
    } finally {
      await emu.close();
    }
  });
});
