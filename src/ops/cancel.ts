// Stop a runaway job (issue 17 item 1): cancel a queued or running flow job and follow it to its final
// state. PUT /jobs/{id}/cancel is the official form (celigo-api.md §6.1, AI); DELETE /jobs/{id} the older
// one (TCHOW, IAD-hist), tried only when the PUT route itself is missing. A job is not a resource a backup
// can hold or a restore put back, so there is no backup: the confirmation is the guard.
import { CeligoApiError, UsageError } from '../core/errors.js';
import type { Job } from '../core/schemas.js';
import type { OpContext } from './context.js';
import { mustConfirm, makePlan } from './confirm.js';
import { Follow } from './follow.js';
import type { NextStep, Outcome } from './outcome.js';
import { jobRow, type JobRow } from './read/jobs.js';

/** Job types a person starts and can stop; export and import jobs are steps of a flow job. */
const PARENT_TYPES = ['flow', 'retry', 'bulk_retry'];
const ENDED = ['completed', 'failed', 'canceled'];
/** How long to follow a canceling job to its end (the emulator takes 1 s; Celigo's is unknown). */
const FOLLOW_MS = 30_000;
const POLL_MS = 1_000;

export interface CancelJobReport {
  jobId: string;
  flow?: string;
  flowId?: string;
  type: string;
  /** The status when we asked. */
  statusBefore: string;
  /** The status we last read: canceled, or canceling when it had not ended by the time we stopped following. */
  status: string;
  canceledBy?: string;
  endedAt?: string;
  /** Which request cancelled it (PUT /jobs/{id}/cancel, or DELETE /jobs/{id} where the PUT route is missing). */
  via: 'PUT /jobs/{id}/cancel' | 'DELETE /jobs/{id}';
  job: JobRow;
  summary: string;
  /** pending: still canceling when we stopped following; nothing: it ended on its own before the cancel took. */
  outcome?: Outcome;
  next: NextStep[];
}

function ensureCancelable(job: Job): void {
  const what = `Job ${job._id}`;
  if (!PARENT_TYPES.includes(job.type)) {
    const parent = typeof job._flowJobId === 'string' ? ` Cancel its flow job instead: ${job._flowJobId}.` : '';
    throw new UsageError(`${what} is an ${job.type} step of a flow run, which cannot be cancelled on its own.${parent}`);
  }
  if (ENDED.includes(job.status)) {
    const when = typeof job.endedAt === 'string' ? ` at ${job.endedAt}` : '';
    throw new UsageError(`${what} already ended (${job.status}${when}); there is nothing to cancel. Only a queued or running job can be cancelled.`);
  }
}

/** Sends the cancel; a missing PUT route (404 or 405 on a job that exists) falls back to DELETE /jobs/{id}. */
async function sendCancel(ctx: OpContext, job: Job): Promise<CancelJobReport['via']> {
  try {
    await ctx.api.jobs.cancel(job._id, { signal: ctx.signal });
    return 'PUT /jobs/{id}/cancel';
  } catch (err) {
    if (!(err instanceof CeligoApiError) || (err.status !== 404 && err.status !== 405) || job.type !== 'flow') throw await explain(ctx, job, err);
    await ctx.api.jobs.delete(job._id, { signal: ctx.signal }).catch(async (e: unknown) => {
      throw await explain(ctx, job, e);
    });
    return 'DELETE /jobs/{id}';
  }
}

/** A refused cancel of a job that ended meanwhile reads as that, not as the API's words. */
async function explain(ctx: OpContext, job: Job, err: unknown): Promise<unknown> {
  if (!(err instanceof CeligoApiError) || err.status < 400 || err.status >= 500) return err;
  const now = await ctx.api.jobs.get(job._id, { signal: ctx.signal }).catch(() => undefined);
  if (now && ENDED.includes(now.status)) return new UsageError(`Job ${job._id} ended (${now.status}) before the cancel reached it; nothing was cancelled.`);
  return err;
}

/** Reads the job until it has ended or the follow budget is spent. */
async function followToEnd(ctx: OpContext, id: string): Promise<Job> {
  const follow = new Follow(ctx, FOLLOW_MS);
  for (;;) {
    const job = await ctx.api.jobs.get(id, { signal: ctx.signal });
    if (ENDED.includes(job.status) || follow.over()) return job;
    await follow.report(`job ${id}: ${job.status}`);
    await follow.nap(POLL_MS);
  }
}

export async function cancelJob(ctx: OpContext, input: { job: string }): Promise<CancelJobReport> {
  const id = input.job.trim();
  if (ctx.api.http.readOnly) throw new UsageError(`Read-only mode allows no changes: job ${id} was not cancelled and nothing was sent. Run without read-only mode to cancel it.`);
  if (!/^[0-9a-f]{24}$/i.test(id)) throw new UsageError(`"${input.job}" is not a job id (24 hex characters). list_jobs (jobs list --status running) finds it.`);
  const job = await ctx.api.jobs.get(id, { signal: ctx.signal });
  ensureCancelable(job);
  const flow = job._flowId ? await ctx.api.flows.get(job._flowId, { signal: ctx.signal }).catch(() => undefined) : undefined;
  const label = `${job.type} job ${job._id}${flow ? ` of flow "${flow.name}"` : ''}`;
  await mustConfirm(ctx, makePlan(`Cancel ${label}`, [`status now: ${job.status}`, 'records already processed stay processed; the rest of the run does not happen'], { cancel: job._id }), 'destructive');
  const via = await sendCancel(ctx, job);
  const end = await followToEnd(ctx, job._id);
  const base = {
    jobId: job._id,
    ...(flow ? { flow: flow.name } : {}),
    ...(job._flowId ? { flowId: job._flowId } : {}),
    type: job.type,
    statusBefore: job.status,
    status: end.status,
    ...(typeof end.canceledBy === 'string' ? { canceledBy: end.canceledBy } : {}),
    ...(typeof end.endedAt === 'string' ? { endedAt: end.endedAt } : {}),
    via,
    job: jobRow(end, flow?.name),
  };
  const seeJob: NextStep = { op: 'get_job', args: { job: job._id }, why: 'what it did before it stopped' };
  if (end.status === 'canceled') return { ...base, summary: `Cancelled ${label} (it was ${job.status}); it ended canceled.`, next: [seeJob] };
  if (!ENDED.includes(end.status)) {
    return { ...base, summary: `Asked to cancel ${label}; it is still ${end.status}. Check it again in a minute.`, outcome: 'pending', next: [seeJob] };
  }
  return { ...base, summary: `${label} ended ${end.status} on its own before the cancel took effect.`, outcome: 'nothing', next: [seeJob] };
}
