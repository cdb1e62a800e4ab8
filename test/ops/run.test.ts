import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { Cancelled } from '../../src/ops/context.js';
import { runExport, runFlow } from '../../src/ops/run.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

const HEALTHY = 'Shopify Orders to NetSuite Sales Orders';
const BROKEN = 'Salesforce Accounts to NetSuite Customers';

describe('run and monitor', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  const runPosts = () => env.emu.requestLog().filter((l) => l.method === 'POST' && /\/run$/.test(l.path));
  const flowJobs = async (name: string) => {
    const f = (await env.api.flows.list()).find((x) => x.name === name)!;
    return env.api.jobs.list({ _flowId: f._id, type: 'flow' });
  };

  it('follows a run to completion with progress and the job\'s counts', async () => {
    const progress: string[] = [];
    const r = await runFlow({ ...env.ctx, progress: (p) => void progress.push(p.message ?? '') }, { flow: HEALTHY, wait: true });
    expect(r.status).toBe('completed');
    const job = await env.api.jobs.get(r.jobId);
    expect(r.counts).toEqual({ exported: job.numExport, succeeded: job.numSuccess, failed: job.numError, ignored: job.numIgnore });
    expect(r.counts.exported).toBeGreaterThan(0);
    expect(r.counts.succeeded + r.counts.failed + r.counts.ignored).toBe(r.counts.exported);
    expect(r.durationMs).toBeGreaterThan(0);
    expect(progress.some((m) => m.startsWith('running'))).toBe(true);
    expect(r.next[0]).toMatchObject({ op: 'get_job', args: { job: r.jobId } });
    expect(r.outcome).toBeUndefined();
    expect(runPosts()).toHaveLength(1);
  });

  it('reports a failed run with its errors grouped and the ids to follow up', async () => {
    const r = await runFlow(env.ctx, { flow: BROKEN, wait: true });
    expect(r.status).toBe('failed');
    expect(r.errorGroups).toHaveLength(1);
    expect(r.errorGroups[0]).toMatchObject({ cause: 'auth', count: 1, jobIds: [r.jobId] });
    expect(r.next).toContainEqual({ op: 'troubleshoot', args: { job: r.jobId }, why: 'the likely cause and the fix' });
    expect(r.outcome).toBe('failed');
  });

  it('does not start a second run after an ambiguous 502 on the run POST', async () => {
    const before = (await flowJobs(HEALTHY)).length;
    env.emu.clearRequestLog();
    env.emu.setFaults({ next: [{ status: 502, when: 'after', match: 'POST .*/run' }] });
    const r = await runFlow(env.ctx, { flow: HEALTHY, wait: true });
    expect(runPosts()).toHaveLength(1);
    expect(runPosts()[0].status).toBe(502);
    expect(r.recoveredAfterAmbiguousFailure).toBe(true);
    expect(r.status).toBe('completed');
    const after = await flowJobs(HEALTHY);
    expect(after).toHaveLength(before + 1);
    expect(after[0]._id).toBe(r.jobId);
  });

  it('posts again when the run POST failed before the run started', async () => {
    const before = (await flowJobs(HEALTHY)).length;
    env.emu.clearRequestLog();
    env.emu.setFaults({ next: [{ status: 503, when: 'before', match: 'POST .*/run' }] });
    const r = await runFlow(env.ctx, { flow: HEALTHY });
    expect(runPosts().map((p) => p.status)).toEqual([503, 201]);
    expect(await flowJobs(HEALTHY)).toHaveLength(before + 1);
    expect(r.waited).toBe(false);
    expect(['queued', 'running']).toContain(r.status);
  });

  it('refuses a disabled flow and says how to enable it', async () => {
    await expect(runFlow(env.ctx, { flow: 'Shopify Refunds to NetSuite Credit Memos' })).rejects.toThrow(/is disabled, so it cannot run\. Enable it first/);
    expect(runPosts()).toEqual([]);
  });

  it('gives up waiting after the timeout and says the job is still running', async () => {
    const r = await runFlow(env.ctx, { flow: 'NetSuite Inventory Snapshot to FTP', wait: true, timeoutMs: 2000 });
    expect(r.status).toBe('timeout');
    expect(r.summary).toMatch(/still (queued|running)/);
  });

  it('stops waiting on cancel', async () => {
    const ac = new AbortController();
    let polls = 0;
    const ctx = { ...env.ctx, signal: ac.signal, sleep: async (ms: number, signal?: AbortSignal) => {
      env.clock.advance(ms);
      if (++polls === 2) ac.abort();
      signal?.throwIfAborted();
    } };
    await expect(runFlow(ctx, { flow: HEALTHY, wait: true })).rejects.toBeInstanceOf(Cancelled);
  });

  it('runs one export through the flow that uses it', async () => {
    const r = await runExport(env.ctx, { export: 'Get Shopify orders', wait: true });
    expect(r.flowName).toBe(HEALTHY);
    expect(r.status).toBe('completed');
    await expect(runExport(env.ctx, { export: 'Lookup Zendesk ticket requester' })).rejects.toBeInstanceOf(UsageError);
  });
});
