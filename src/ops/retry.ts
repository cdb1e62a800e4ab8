// Retrying errors: one job, chosen errors of a flow, or every failed job in a scope (issue 4 item 3).
// Plan (retry-plan.ts, no I/O) -> confirm -> post in batches per step (retry-post.ts, at most once per
// batch) -> optionally wait for the retry jobs -> report (retry-report.ts). What could not be retried is
// reported with its error ids.
import { UsageError, describeError } from '../core/errors.js';
import type { Flow, Job } from '../core/schemas.js';
import { mustConfirm, type ConfirmKind } from './confirm.js';
import type { ScopedError } from './patterns.js';
import { resolveFlow } from './resolve.js';
import { checkRetryConnections, heldBackReason } from './retry-connections.js';
import { planRetry } from './retry-plan.js';
import { RETRY_TYPES, postRetries, type RetryJobRef } from './retry-post.js';
import { runningRetries, runningRetryOf, SKIP_RETRY_RUNNING } from './retry-running.js';
import { nothingToRetryReport, retryReport, type RetryReport, type WaitResult } from './retry-report.js';
import { jobErrors } from './run.js';
import { requireExplicitScope, scanErrors } from './scan.js';
import { Follow, progressAfter } from './follow.js';
import { jobIdOf, plural, type WaitContext } from './util.js';

export { RETRY_BATCH } from './retry-plan.js';
export type { RetryJobRef } from './retry-post.js';
export type { NotRetried, RetryReport } from './retry-report.js';
export { retryOutcome } from './retry-outcome.js';

const TERMINAL = new Set(['completed', 'failed', 'canceled']);

export interface ExecuteOptions {
  scope: string;
  kind: ConfirmKind;
  concurrency?: number;
  wait?: boolean;
  timeoutMs?: number;
  /** Extra reasons counted as skipped before execution (e.g. error ids that are not open). */
  skippedBefore?: Record<string, number>;
  /** Also retry the errors of a connection that fails its test (left out otherwise). */
  force?: boolean;
}

/** Errors selected for a retry, the flows they belong to, and how to run it. */
export interface RetrySelection {
  errors: ScopedError[];
  flows: Map<string, Flow>;
  opts: ExecuteOptions;
}

/** A retry that was posted: its report, and a way to follow its retry jobs afterwards. */
export interface RetryRun {
  report: RetryReport;
  /**
   * Waits for the retry jobs (never posting anything again) until they end, `timeoutMs` (default 10
   * minutes) runs out or the front end's deadline comes (ctx.followUntil), and reports again: `report`
   * becomes the new report (outcome pending when retry jobs still run).
   */
  follow(timeoutMs?: number): Promise<RetryReport>;
}

const DEFAULT_WAIT_MS = 10 * 60_000;

/**
 * Plans, confirms, posts the retries, optionally waits for them, and reports. Shared by retryJob,
 * retryErrors and retryFailedJobs. `errors` must carry flowId and stepId.
 */
export async function startRetry(ctx: WaitContext, sel: RetrySelection): Promise<RetryRun> {
  const { errors, flows, opts } = sel;
  const flowIds = [...new Set(errors.map((e) => e.flowId).filter((f): f is string => !!f))];
  const [verdict, running] = await Promise.all([checkRetryConnections(ctx, errors, flows, !!opts.force), runningRetries(ctx, flowIds)]);
  // A step whose earlier retry still runs is left out (issue 13 item 2), whatever its connection says.
  const runningOf = runningRetryOf(running);
  const hold = (e: ScopedError) => {
    if (runningOf(e)) return SKIP_RETRY_RUNNING;
    const p = verdict.heldBy(e);
    return p && heldBackReason(p);
  };
  const holding = running.filter((r) => errors.some((e) => runningOf(e) === r));
  const plan = planRetry(errors, flows, { ...opts, hold, connectionProblems: verdict.problems, runningRetries: holding });
  if (plan.totalKeys === 0) {
    const report = nothingToRetryReport(plan);
    return { report, follow: async () => report };
  }
  await mustConfirm(ctx, plan.confirm.plan, plan.confirm.kind);
  const posted = await postRetries(ctx, plan.batches, opts.concurrency);
  const run: RetryRun = {
    report: retryReport(plan, errors, posted, {}),
    async follow(timeoutMs = DEFAULT_WAIT_MS) {
      // Progress counts on from the errors posted (postRetries reported 0..totalKeys).
      const waitCtx = progressAfter(ctx, plan.totalKeys);
      const waited = posted.jobs.length ? await waitForRetryJobs(waitCtx, posted.jobs, posted.createdAt, timeoutMs) : {};
      run.report = retryReport(plan, errors, posted, waited);
      return run.report;
    },
  };
  if (opts.wait) await run.follow(opts.timeoutMs);
  return run;
}

/** The report of a retry, run to the end (waiting for it when `opts.wait`). */
export async function executeRetry(ctx: WaitContext, errors: ScopedError[], flows: Map<string, Flow>, opts: ExecuteOptions): Promise<RetryReport> {
  return (await startRetry(ctx, { errors, flows, opts })).report;
}

/**
 * Follows the retry jobs until they end (updating `jobs` in place) and counts what they resolved; a
 * timeout or a failure to follow them is told in `waitNote`, never thrown (the retries were posted).
 */
export async function waitForRetryJobs(ctx: WaitContext, jobs: RetryJobRef[], createdAt: Map<string, string>, timeoutMs: number): Promise<WaitResult> {
  const follow = new Follow(ctx, timeoutMs);
  try {
    if (!(await pollRetryJobs(ctx, jobs, createdAt, follow))) {
      const n = notEnded(jobs);
      return { waitNote: `${plural(n, 'retry job')} still running when we stopped following them after ${Math.round(follow.followedMs() / 1000)} s (they continue in integrator.io)`, stillRunning: n };
    }
    // What the retry jobs took, not what was asked: a job may take fewer (another retry held them).
    const notTaken = jobs.reduce((n, j) => n + (j.taken === undefined ? 0 : Math.max(0, j.keys - j.taken)), 0);
    return {
      errorsResolvedAfter: jobs.reduce((n, j) => n + (j.resolved ?? 0), 0),
      stillOpenAfter: jobs.reduce((n, j) => n + (j.failedAgain ?? 0), 0),
      ...(notTaken ? { notTakenAfter: notTaken } : {}),
    };
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    return { waitNote: `stopped following the retry jobs: ${describeError(err)}`, stillRunning: notEnded(jobs) };
  }
}

/** Records an ended retry job took: succeeded, ignored, and failed again (errors it raised, resolved since or not); undefined when it gives no counts. */
function takenBy(j: Job): number | undefined {
  const n = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const counts = [n(j.numSuccess), n(j.numIgnore), Math.max(n(j.numError) ?? 0, n(j.numOpenError) ?? 0)];
  if (n(j.numSuccess) === undefined && n(j.numError) === undefined && n(j.numOpenError) === undefined) return undefined;
  return counts.reduce<number>((a, b) => a + (b ?? 0), 0);
}

const notEnded = (jobs: readonly RetryJobRef[]) => jobs.filter((j) => !j.status || !TERMINAL.has(j.status)).length;

/** Polls the retry jobs (one list request per round when there are many) until all end or `follow` is over. */
async function pollRetryJobs(ctx: WaitContext, jobs: RetryJobRef[], createdAt: Map<string, string>, follow: Follow): Promise<boolean> {
  const { api, signal } = ctx;
  let delay = 1000;
  for (;;) {
    const open = jobs.filter((j) => !j.status || !TERMINAL.has(j.status));
    if (open.length === 0) return true;
    if (follow.over()) return false;
    await follow.nap(delay);
    delay = Math.min(Math.round(delay * 1.5), 10_000);
    let fresh: Job[];
    const since = [...open].map((j) => createdAt.get(j.jobId)).filter((x): x is string => !!x).sort()[0];
    if (open.length <= 3 || !since) fresh = await Promise.all(open.map((j) => api.jobs.get(j.jobId, { signal })));
    else {
      const flowIds = new Set(open.map((j) => j.flowId));
      const filter = flowIds.size === 1 ? { _flowId: [...flowIds][0] } : {};
      const ids = new Set(open.map((j) => j.jobId));
      fresh = (await api.jobs.list({ ...filter, type_in: RETRY_TYPES, createdAt_gte: since }, { signal })).filter((r) => ids.has(r._id));
    }
    for (const f of fresh) {
      const j = jobs.find((x) => x.jobId === f._id);
      if (!j) continue;
      j.status = f.status;
      if (TERMINAL.has(f.status)) {
        j.resolved = typeof f.numSuccess === 'number' ? f.numSuccess : 0;
        j.failedAgain = typeof f.numOpenError === 'number' ? f.numOpenError : 0;
        j.taken = takenBy(f);
      }
    }
    const ended = jobs.filter((j) => j.status && TERMINAL.has(j.status));
    const resolved = ended.reduce((n, j) => n + (j.resolved ?? 0), 0);
    await follow.report(`${ended.length} of ${plural(jobs.length, 'retry job')} ended, ${resolved} errors resolved`);
  }
}

// ---- the three entry points: what each selects, then the same retry ----

/** The open errors of one job (a flow job, one of its steps, or an earlier retry job). */
export async function jobRetry(ctx: WaitContext, input: { job: string; wait?: boolean; timeoutMs?: number; force?: boolean }): Promise<RetrySelection> {
  const { api, signal } = ctx;
  let job = await api.jobs.get(jobIdOf(input.job), { signal });
  if ((job.type === 'export' || job.type === 'import') && job._flowJobId) job = await api.jobs.get(job._flowJobId, { signal });
  if (!job._flowId) throw new UsageError(`Job ${job._id} (${job.type}) belongs to no flow, so it has no errors to retry.`);
  const flow = await resolveFlow(api, job._flowId);
  const errors = await jobErrors(ctx, flow, job);
  return { errors, flows: new Map([[flow._id, flow]]), opts: { scope: `job ${job._id} of flow ${flow.name}`, kind: 'change', wait: input.wait, timeoutMs: input.timeoutMs, force: input.force } };
}

export interface FlowErrorsInput {
  flow: string;
  step?: string;
  errorIds?: string[];
  all?: boolean;
  wait?: boolean;
  timeoutMs?: number;
  concurrency?: number;
  force?: boolean;
}

/** Open errors of a flow: the given error ids, or all of them (of one step, if given). */
export async function flowErrorsRetry(ctx: WaitContext, input: FlowErrorsInput): Promise<RetrySelection> {
  if (!input.errorIds?.length && !input.all) {
    throw new UsageError('Say which errors to retry: errorIds (the error list shows them), or all: true for every open error of the flow (or step).');
  }
  const scan = await scanErrors(ctx, { flow: input.flow, step: input.step, state: 'open' });
  let errors = scan.errors;
  const skippedBefore: Record<string, number> = {};
  if (input.errorIds?.length) {
    const want = new Set(input.errorIds.map(String));
    errors = errors.filter((e) => want.has(String(e.errorId)));
    const missing = want.size - new Set(errors.map((e) => String(e.errorId))).size;
    if (missing) skippedBefore['not open (already resolved or unknown)'] = missing;
  }
  return { errors, flows: scan.flows, opts: { scope: scan.label, kind: 'change', wait: input.wait, timeoutMs: input.timeoutMs, concurrency: input.concurrency, skippedBefore, force: input.force } };
}

export interface ScopeInput {
  range?: string;
  integration?: string;
  flow?: string;
  pattern?: string;
  /** "account": the whole account, said explicitly. */
  scope?: 'account';
  concurrency?: number;
  wait?: boolean;
  timeoutMs?: number;
  force?: boolean;
}

/** Every open error of failed jobs in a scope (time range, integration, flow, pattern). */
export async function scopeRetry(ctx: WaitContext, input: ScopeInput): Promise<RetrySelection> {
  requireExplicitScope(input, 'Retrying failed jobs');
  const scan = await scanErrors(ctx, { integration: input.integration, flow: input.flow, range: input.range, pattern: input.pattern, state: 'open' });
  return { errors: scan.errors, flows: scan.flows, opts: { scope: scan.label, kind: 'change', concurrency: input.concurrency, wait: input.wait, timeoutMs: input.timeoutMs, force: input.force } };
}

/** Retries the open errors of one job. */
export async function retryJob(ctx: WaitContext, input: { job: string; wait?: boolean; timeoutMs?: number; force?: boolean }): Promise<RetryReport> {
  return (await startRetry(ctx, await jobRetry(ctx, input))).report;
}

/** Retries open errors of a flow: the given error ids, or all of them (of one step, if given). */
export async function retryErrors(ctx: WaitContext, input: FlowErrorsInput): Promise<RetryReport> {
  return (await startRetry(ctx, await flowErrorsRetry(ctx, input))).report;
}

/**
 * Retries every open error of failed jobs in a scope. Always previews and asks (it is a mass action
 * unless it touches a single job).
 */
export async function retryFailedJobs(ctx: WaitContext, input: ScopeInput): Promise<RetryReport> {
  return (await startRetry(ctx, await scopeRetry(ctx, input))).report;
}
