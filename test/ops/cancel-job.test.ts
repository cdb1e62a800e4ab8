// Issue 17 item 1: cancel_job against the demo emulator. A running demo run ends `canceled` after one
// PUT /jobs/{id}/cancel; a second cancel is a clear error that sends nothing; a queued run is cancelled at
// once; a step job, a bad id and a declined confirmation are refused before anything is sent; where the
// PUT route is missing, the older DELETE /jobs/{id} does it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { cancelJob } from '../../src/ops/cancel.js';
import { Cancelled } from '../../src/ops/context.js';
import { runFlow } from '../../src/ops/run.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

const FLOW = 'Shopify Orders to NetSuite Sales Orders';

let env: Env;
beforeEach(async () => {
  env = await demoEnv();
});
afterEach(() => env.close());

const writes = () => env.emu.requestLog().filter((l) => l.method !== 'GET').map((l) => `${l.method} ${l.path.replace(/[0-9a-f]{24}/g, 'ID')}`);

/** Starts a run of the demo flow and moves the clock until it is running. */
async function runningJob(): Promise<string> {
  const r = await runFlow(env.ctx, { flow: FLOW });
  for (let i = 0; i < 20 && (await env.api.jobs.get(r.jobId)).status !== 'running'; i++) env.clock.advance(100);
  expect((await env.api.jobs.get(r.jobId)).status).toBe('running');
  return r.jobId;
}

describe('cancel_job', () => {
  it('cancels a running run with one PUT /jobs/{id}/cancel, after confirming, and reports it ended canceled', async () => {
    const id = await runningJob();
    env.emu.clearRequestLog();
    const r = await cancelJob(env.ctx, { job: id });
    expect(writes()).toEqual(['PUT /v1/jobs/ID/cancel']);
    expect(r).toMatchObject({ jobId: id, statusBefore: 'running', status: 'canceled', flow: FLOW, via: 'PUT /jobs/{id}/cancel' });
    expect(r.canceledBy).toMatch(/^[0-9a-f]{24}$/);
    expect(r.outcome).toBeUndefined();
    expect(r.summary).toContain('ended canceled');
    expect(env.plans.map((p) => p.action)).toEqual([`Cancel flow job ${id} of flow "${FLOW}"`]);
    expect((await env.api.jobs.get(id)).status).toBe('canceled');
  });

  it('a second cancel is a clear error and sends nothing', async () => {
    const id = await runningJob();
    await cancelJob(env.ctx, { job: id });
    env.emu.clearRequestLog();
    const again = cancelJob(env.ctx, { job: id });
    await expect(again).rejects.toBeInstanceOf(UsageError);
    await expect(cancelJob(env.ctx, { job: id })).rejects.toThrow(/already ended \(canceled at .*\); there is nothing to cancel/);
    expect(writes()).toEqual([]);
  });

  it('cancels a queued run at once', async () => {
    const r = await runFlow(env.ctx, { flow: FLOW });
    expect((await env.api.jobs.get(r.jobId)).status).toBe('queued');
    const c = await cancelJob(env.ctx, { job: r.jobId });
    expect(c).toMatchObject({ statusBefore: 'queued', status: 'canceled' });
  });

  it('refuses a step job, naming its flow job; a bad id; and a completed job', async () => {
    const flowJob = (await env.api.jobs.list({ type: 'flow', status: 'completed', createdAt_gte: new Date(0).toISOString() } as never))[0]!;
    const child = (await env.api.jobs.children(flowJob._id))[0]!;
    env.emu.clearRequestLog();
    await expect(cancelJob(env.ctx, { job: child._id })).rejects.toThrow(`Cancel its flow job instead: ${flowJob._id}`);
    await expect(cancelJob(env.ctx, { job: 'not-a-job' })).rejects.toThrow(/is not a job id/);
    await expect(cancelJob(env.ctx, { job: flowJob._id })).rejects.toThrow(/already ended \(completed/);
    expect(writes()).toEqual([]);
  });

  it('declined: nothing is sent', async () => {
    const id = await runningJob();
    env.emu.clearRequestLog();
    await expect(cancelJob({ ...env.ctx, confirm: async () => false }, { job: id })).rejects.toBeInstanceOf(Cancelled);
    expect(writes()).toEqual([]);
    expect((await env.api.jobs.get(id)).status).toBe('running');
  });

  it('falls back to DELETE /jobs/{id} when the PUT route is missing', async () => {
    const id = await runningJob();
    env.emu.clearRequestLog();
    env.emu.setFaults({ next: [{ status: 404, when: 'before', match: 'PUT .*/cancel' }] });
    const r = await cancelJob(env.ctx, { job: id });
    expect(writes()).toEqual(['PUT /v1/jobs/ID/cancel', 'DELETE /v1/jobs/ID']);
    expect(r).toMatchObject({ status: 'canceled', via: 'DELETE /jobs/{id}' });
  });
});
