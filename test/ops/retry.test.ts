import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { UsageError } from '../../src/core/errors.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { Cancelled } from '../../src/ops/context.js';
import { retryErrors, retryFailedJobs, retryJob } from '../../src/ops/retry.js';
import { scanErrors } from '../../src/ops/scan.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

interface Posted {
  path: string;
  keys: string[];
  status: number;
}

/** A client whose fetch records every retry POST body (the emulator's request log has no bodies). */
function recordingClient(env: Env, posted: Posted[], opts: { sleep?: (ms: number) => Promise<void> } = {}): CeligoClient {
  const fetchImpl: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const url = String(input instanceof URL ? input : (input as Request).url ?? input);
    if (init?.method === 'POST' && /\/retry$/.test(new URL(url).pathname)) {
      posted.push({ path: new URL(url).pathname, keys: JSON.parse(String(init.body)).retryDataKeys, status: res.status });
    }
    return res;
  };
  return new CeligoClient({ baseUrl: env.emu.baseUrl, token: DEMO_TOKEN, backoffMs: 1, sleep: opts.sleep ?? (async () => {}), fetch: fetchImpl });
}

describe('bulk retry', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  it('resolves exactly the fixable errors it retried, posts every key once, and asks first', async () => {
    const posted: Posted[] = [];
    const ctx = { ...env.ctx, api: recordingClient(env, posted) };
    const before = await scanErrors(ctx, { integration: DEMO.degradedIntegration });
    const transient = before.errors.filter((e) => e.code === '503' || e.code === '429');
    const mapping = before.errors.filter((e) => e.code === 'REQUIRED_FIELD_MISSING');
    expect(transient.length).toBeGreaterThan(0);
    expect(transient.length + mapping.length).toBe(before.errors.length);

    const progress: number[] = [];
    const r = await retryFailedJobs({ ...ctx, progress: (p) => void progress.push(p.done) }, { integration: DEMO.degradedIntegration, wait: true });
    expect(env.plans).toHaveLength(1);
    expect(env.plans[0].action).toMatch(/^Retry \d+ errors in \d+ jobs$/);
    expect(r.matched).toBe(before.errors.length);
    expect(r.retried).toBe(before.errors.length);
    expect(r.failed).toBe(0);
    expect(r.errorsResolvedAfter).toBe(transient.length);
    expect(r.stillOpenAfter).toBe(mapping.length);
    expect(r.likelyToFailAgain).toBe(0);
    expect(progress.length).toBeGreaterThan(0);

    // Every key exactly once, and only keys of the selected errors.
    const keys = posted.flatMap((p) => p.keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys)).toEqual(new Set(before.errors.map((e) => e.retryDataKey)));
    const logPosts = env.emu.requestLog().filter((l) => l.method === 'POST' && /\/retry$/.test(l.path));
    expect(logPosts).toHaveLength(posted.length);

    // Exactly the transient errors are resolved now; the mapping errors failed again and stay open.
    const after = await scanErrors(env.ctx, { integration: DEMO.degradedIntegration });
    expect(new Set(after.errors.map((e) => e.errorId))).toEqual(new Set(mapping.map((e) => e.errorId)));
    const resolved = await scanErrors(env.ctx, { integration: DEMO.degradedIntegration, state: 'resolved' });
    const resolvedIds = new Set(resolved.errors.map((e) => e.errorId));
    for (const e of transient) expect(resolvedIds.has(e.errorId)).toBe(true);
    for (const e of mapping) expect(resolvedIds.has(e.errorId)).toBe(false);
  });

  it('after an ambiguous 502 on the retry POST, finds the retry job instead of posting again', async () => {
    const posted: Posted[] = [];
    const ctx = { ...env.ctx, api: recordingClient(env, posted) };
    env.emu.setFaults({ next: [{ status: 502, when: 'after', match: 'POST .*/retry' }] });
    const flow = 'Salesforce Case Comments to Zendesk';
    const before = await scanErrors(ctx, { flow });
    const r = await retryFailedJobs(ctx, { flow, wait: true });
    expect(posted).toHaveLength(1);
    expect(posted[0].status).toBe(502);
    expect(r.recoveredAmbiguous).toBe(1);
    expect(r.retried).toBe(before.errors.length);
    expect(r.jobs).toHaveLength(1);
    expect(r.errorsResolvedAfter).toBe(before.errors.length);
    expect((await scanErrors(env.ctx, { flow })).errors).toEqual([]);
  });

  it('posts again when the failed POST did not take effect (a 502 before processing)', async () => {
    const posted: Posted[] = [];
    const ctx = { ...env.ctx, api: recordingClient(env, posted) };
    env.emu.setFaults({ next: [{ status: 502, when: 'before', match: 'POST .*/retry' }] });
    const flow = 'Zendesk Tickets to Salesforce Cases';
    const before = await scanErrors(ctx, { flow });
    const r = await retryFailedJobs(ctx, { flow, wait: true });
    expect(posted.map((p) => p.status)).toEqual([502, 200]);
    expect(r.recoveredAmbiguous).toBe(0);
    expect(r.jobs).toHaveLength(1);
    expect(r.errorsResolvedAfter).toBe(before.errors.length);
  });

  it('filters by pattern and time range', async () => {
    const r = await retryFailedJobs(env.ctx, { integration: DEMO.failingIntegration, pattern: 'INVALID_KEY_OR_REF', range: 'last 7 days' });
    const all = await scanErrors(env.ctx, { integration: DEMO.failingIntegration });
    const expected = all.errors.filter((e) => e.code === 'INVALID_KEY_OR_REF');
    expect(r.matched).toBe(expected.length);
    expect(r.likelyToFailAgain).toBe(expected.length);
    expect(r.summary).toMatch(/will likely fail again/);
  });

  it('is cancelled with nothing posted when the person declines', async () => {
    const ctx = { ...env.ctx, confirm: async () => false };
    env.emu.clearRequestLog();
    await expect(retryFailedJobs(ctx, { integration: DEMO.degradedIntegration })).rejects.toBeInstanceOf(Cancelled);
    expect(env.emu.requestLog().filter((l) => l.mutating)).toEqual([]);
  });

  it('retries one job without asking (a single job is not a mass action)', async () => {
    const failed = (await env.api.jobs.list({ type: 'flow', createdAt_gte: new Date(env.clock.now() - 2 * 86_400_000).toISOString(), numError_gte: 1 }))
      .find((j) => (j.numOpenError ?? 0) > 0 && j.status === 'completed')!;
    const r = await retryJob({ ...env.ctx, confirm: undefined }, { job: failed._id, wait: true });
    expect(r.retried).toBe(failed.numOpenError);
    expect(env.plans).toHaveLength(0);
  });

  it('retry_errors needs error ids or all', async () => {
    await expect(retryErrors(env.ctx, { flow: DEMO.mappingEditedFlow })).rejects.toBeInstanceOf(UsageError);
    const scan = await scanErrors(env.ctx, { flow: DEMO.mappingEditedFlow });
    const ids = scan.errors.slice(0, 2).map((e) => e.errorId);
    const r = await retryErrors(env.ctx, { flow: DEMO.mappingEditedFlow, errorIds: [...ids, '999'] });
    expect(r.retried).toBe(2);
    expect(r.skippedReasons['not open (already resolved or unknown)']).toBe(1);
  });
});

describe('bulk retry under a rate limit and injected failures', () => {
  it('retries the whole account once: one retry job per batch, no key accepted twice, every error accounted for', async () => {
    const env = await demoEnv({ rateLimit: { capacity: 20, refillPerSec: 500 }, faults: { errorRate: 0.1, statuses: [500, 502, 503], seed: 7, next: [
      { status: 502, when: 'after', match: 'POST .*/retry' },
      { status: 503, when: 'after', match: 'POST .*/retry' },
      { status: 504, when: 'after', match: 'POST .*/retry' },
    ] } });
    try {
      const posted: Posted[] = [];
      const api = recordingClient(env, posted, { sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))) });
      const ctx = { ...env.ctx, api };
      const start = new Date(env.clock.now()).toISOString();
      const r = await retryFailedJobs(ctx, { scope: 'account', concurrency: 8, wait: true });
      expect(r.matched).toBeGreaterThan(200);
      expect(r.retried + r.failed + r.skipped).toBe(r.matched);
      expect(r.recoveredAmbiguous).toBeGreaterThanOrEqual(1);
      const accepted = posted.filter((p) => p.status === 200).flatMap((p) => p.keys);
      expect(new Set(accepted).size).toBe(accepted.length);
      const created = await env.api.jobs.list({ type: 'retry', createdAt_gte: start });
      expect(new Set(created.map((j) => j._id))).toEqual(new Set(r.jobs.map((j) => j.jobId)));
      if (r.errorsResolvedAfter !== undefined) expect(r.errorsResolvedAfter + r.stillOpenAfter!).toBe(r.retried);
      expect(api.http.stats.rateLimited + api.http.stats.retries).toBeGreaterThan(0);
    } finally {
      await env.close();
    }
  });
});

describe('the retry answer is not relied on (celigo-api.md W13)', () => {
  it('finds the retry job through list_jobs when the answer names none', async () => {
    const env = await demoEnv();
    try {
      // The emulator's answer, with the job id and everything else taken out: {} as the web app might get.
      const blank: typeof fetch = async (url, init) => {
        const res = await env.emu.fetch(String(url), init as never);
        if ((init?.method ?? 'GET') !== 'POST' || !/\/retry$/.test(new URL(String(url)).pathname)) return res as never;
        return { status: res.status, headers: res.headers, text: async () => '{}' } as never;
      };
      const api = new CeligoClient({ baseUrl: env.emu.baseUrl, token: DEMO_TOKEN, fetch: blank as never, backoffMs: 1, sleep: async () => {} });
      const r = await retryErrors({ ...env.ctx, api, yes: true }, { flow: 'Salesforce Case Comments to Zendesk', all: true });
      expect(r.retried).toBeGreaterThan(0);
      expect(r.jobs.length).toBeGreaterThan(0);
      for (const j of r.jobs) expect(j.jobId).toMatch(/^[0-9a-f]{24}$/);
      expect(r.summary).not.toMatch(/has not shown/);
    } finally {
      await env.close();
    }
  });
});
