// Retrying errors: one job, chosen errors of a flow, or every failed job in a scope (issue 4 item 3).
// Preview -> confirm -> POST /flows/{f}/{step}/retry in batches per step, with bounded concurrency.
// A retry POST starts work, so it is never repeated blindly: after an ambiguous failure we look for the
// retry job it may have created (design.md §2), and post again only when there is none (a 429 was never
// processed: post again). After a timeout we never post again. No retryDataKey is accepted twice in one
// operation; what could not be retried is reported with its error ids.
import { CeligoApiError, UsageError, describeError } from '../core/errors.js';
import type { Flow, Job } from '../core/schemas.js';
import { makePlan, mustConfirm, type ConfirmKind } from './confirm.js';
import { groupErrors, type ScopedError } from './patterns.js';
import { mapPool } from './pool.js';
import { resolveFlow } from './resolve.js';
import { isAmbiguous, jobErrors } from './run.js';
import { byStep, scanErrors } from './scan.js';
import { chunk, nowOf, plural, report, sleep, type WaitContext } from './util.js';

/** Keys per retry request. The real limit is not documented; 200 keeps each request small. */
export const RETRY_BATCH = 200;
/** Attempts per batch in the first pass, and again in the final sweep of batches that gave up. */
const POST_ATTEMPTS = 6;
const TERMINAL = new Set(['completed', 'failed', 'canceled']);
/** Jobs that retry errors: one step's (`retry`) or many errors at once (`bulk_retry`, celigo-api.md W2). */
const RETRY_TYPES: ('retry' | 'bulk_retry')[] = ['retry', 'bulk_retry'];

export interface RetryJobRef {
  jobId: string;
  flowId: string;
  stepId: string;
  keys: number;
  status?: string;
  /** Errors the retry resolved (the retry job's numSuccess), once it ended. */
  resolved?: number;
  /** Errors that failed again and stay open (the retry job's numOpenError), once it ended. */
  failedAgain?: number;
}

export interface RetryReport {
  scope: string;
  /** Open errors selected. */
  matched: number;
  /** Distinct retry data keys posted and accepted. */
  retried: number;
  skipped: number;
  skippedReasons: Record<string, number>;
  /** Errors in batches that could not be posted (still open, not retried). */
  failed: number;
  /** Errors whose retry request timed out or could not be checked: maybe retried; never posted twice. */
  unconfirmed?: number;
  /** Per step, the errors not retried (or unconfirmed), with their ids to follow up with retry_errors. */
  notRetried?: NotRetried[];
  jobs: RetryJobRef[];
  flows: { flowId: string; name: string; errors: number; jobs: number }[];
  /** Errors expected to fail again (the target rejected the data itself). */
  likelyToFailAgain: number;
  /** After waiting for the retry jobs: errors resolved, and errors still open. */
  errorsResolvedAfter?: number;
  stillOpenAfter?: number;
  /** A retry request failed ambiguously and its retry job was found instead of posting again. */
  recoveredAmbiguous: number;
  failures: string[];
  summary: string;
}

export interface NotRetried {
  flowId: string;
  flowName: string;
  stepId: string;
  errorIds: string[];
  reason: string;
  unconfirmed?: boolean;
}

type BatchOutcome =
  | { kind: 'posted' }
  | { kind: 'rejected'; err: unknown; attempts: number }
  | { kind: 'gaveUp'; err: unknown; attempts: number }
  | { kind: 'unconfirmed'; err: unknown; why: string };

export interface ExecuteOptions {
  scope: string;
  kind: ConfirmKind;
  concurrency?: number;
  wait?: boolean;
  timeoutMs?: number;
  /** Extra reasons counted as skipped before execution (e.g. error ids that are not open). */
  skippedBefore?: Record<string, number>;
}

interface Batch {
  flowId: string;
  stepId: string;
  keys: string[];
  /** Errors covered by these keys. */
  errors: number;
}

function stepOf(j: Job): string | undefined {
  return (typeof j._importId === 'string' ? j._importId : undefined) ?? (typeof j._exportId === 'string' ? j._exportId : undefined);
}

/**
 * Posts the retries and reports. Shared by retryJob, retryErrors and retryFailedJobs.
 * `errors` must carry flowId and stepId.
 */
export async function executeRetry(ctx: WaitContext, errors: ScopedError[], flows: Map<string, Flow>, opts: ExecuteOptions): Promise<RetryReport> {
  const { api, signal } = ctx;
  const skippedReasons: Record<string, number> = { ...(opts.skippedBefore ?? {}) };
  const skip = (why: string, n = 1) => (skippedReasons[why] = (skippedReasons[why] ?? 0) + n);

  // 1. Batches per step; every key once.
  const seen = new Set<string>();
  const batches: Batch[] = [];
  for (const g of byStep(errors).values()) {
    const keys: string[] = [];
    for (const e of g.errors) {
      const k = e.retryDataKey;
      if (!k) {
        skip('no retry data');
        continue;
      }
      const full = `${g.flowId}/${g.stepId}/${k}`;
      if (seen.has(full)) {
        skip('same record as another selected error');
        continue;
      }
      seen.add(full);
      keys.push(k);
    }
    for (const part of chunk(keys, RETRY_BATCH)) batches.push({ flowId: g.flowId, stepId: g.stepId, keys: part, errors: part.length });
  }
  const totalKeys = batches.reduce((n, b) => n + b.keys.length, 0);
  const groups = groupErrors(errors);
  const likelyToFailAgain = groups.filter((g) => g.retry === 'no').reduce((n, g) => n + g.count, 0);
  const flowRows = [...new Map([...byStep(errors).values()].map((g) => [g.flowId, g.flowId])).keys()].map((flowId) => {
    const errs = errors.filter((e) => e.flowId === flowId);
    return { flowId, name: flows.get(flowId)?.name ?? flowId, errors: errs.length, jobs: new Set(errs.map((e) => e._flowJobId).filter(Boolean)).size };
  });
  const base = {
    scope: opts.scope,
    matched: errors.length,
    flows: flowRows,
    likelyToFailAgain,
  };
  const skippedCount = () => Object.values(skippedReasons).reduce((a, b) => a + b, 0);
  if (totalKeys === 0) {
    return { ...base, retried: 0, skipped: skippedCount(), skippedReasons, failed: 0, unconfirmed: 0, notRetried: [], jobs: [], recoveredAmbiguous: 0, failures: [], summary: `Nothing to retry in ${opts.scope}: ${errors.length ? 'no selected error has retry data' : 'no open errors match'}.` };
  }

  // 2. Preview and confirm.
  const jobCount = new Set(errors.map((e) => e._flowJobId).filter(Boolean)).size;
  const details = [
    `${plural(totalKeys, 'error')} in ${plural(jobCount, 'job')} of ${plural(flowRows.length, 'flow')}: ${flowRows.slice(0, 10).map((f) => `${f.name} (${f.errors})`).join(', ')}`,
    ...groups.slice(0, 8).map((g) => `${g.count}x ${g.pattern} — ${g.causeLabel}${g.retry === 'no' ? ' (will likely fail again)' : ''}`),
    ...(skippedCount() ? [`skipping ${skippedCount()}: ${Object.entries(skippedReasons).map(([k, v]) => `${v} ${k}`).join(', ')}`] : []),
  ];
  const kind: ConfirmKind = jobCount > 1 && opts.kind === 'change' ? 'mass' : opts.kind;
  await mustConfirm(ctx, makePlan(`Retry ${plural(totalKeys, 'error')} in ${plural(jobCount, 'job')}`, details, batches.map((b) => [b.flowId, b.stepId, b.keys])), kind);

  // 3. Post, steps in parallel (bounded), batches of one step in order.
  const baselines = new Map<string, Promise<Set<string>>>();
  const claimed = new Set<string>();
  const windowStart = new Date(nowOf(ctx).getTime() - 10 * 60_000).toISOString();
  const baselineOf = (flowId: string) => {
    let p = baselines.get(flowId);
    if (!p) {
      p = api.jobs.list({ _flowId: flowId, type_in: RETRY_TYPES, createdAt_gte: windowStart }, { signal }).then((rows) => new Set(rows.map((r) => r._id)));
      baselines.set(flowId, p);
    }
    return p;
  };
  const findCreated = async (b: Batch): Promise<Job | undefined> => {
    const before = await baselineOf(b.flowId);
    const rows = await api.jobs.list({ _flowId: b.flowId, type_in: RETRY_TYPES, createdAt_gte: windowStart }, { signal });
    const fresh = rows.filter((r) => !before.has(r._id) && !claimed.has(r._id));
    return fresh.find((r) => stepOf(r) === b.stepId) ?? fresh.find((r) => stepOf(r) === undefined);
  };

  const jobs: RetryJobRef[] = [];
  const createdAt = new Map<string, string>();
  const failures: string[] = [];
  const notRetried: NotRetried[] = [];
  let retried = 0;
  let failed = 0;
  let unconfirmed = 0;
  let recoveredAmbiguous = 0;
  /** Batches accepted (2xx) whose retry job has not shown up yet. */
  let unseenJobs = 0;
  let posted = 0;
  const errorIdsOf = (b: Batch): string[] => {
    const keys = new Set(b.keys);
    return errors.filter((e) => e.flowId === b.flowId && e.stepId === b.stepId && e.retryDataKey && keys.has(e.retryDataKey)).map((e) => String(e.errorId));
  };
  const accept = (b: Batch, id: string, status: string | undefined, at: string | undefined, recovered: boolean) => {
    claimed.add(id);
    if (at) createdAt.set(id, at);
    jobs.push({ jobId: id, flowId: b.flowId, stepId: b.stepId, keys: b.keys.length, status });
    if (recovered) recoveredAmbiguous++;
  };

  /**
   * Posts one batch. A POST that failed without taking effect (429, or 5xx / reset with no new retry job
   * to be found) is posted again, up to `attempts` times. A timeout is different: the server may still be
   * working on the request, so a job not visible yet proves nothing, and posting again could retry the
   * same errors twice; the batch is then reported as unconfirmed, never re-posted.
   */
  const postBatch = async (b: Batch, attempts: number): Promise<BatchOutcome> => {
    await baselineOf(b.flowId);
    let lastErr: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const r = await api.errors.retry(b.flowId, b.stepId, b.keys, { signal });
        // Celigo's web app ignores the retry answer and looks the retry job up (celigo-api.md W13): use
        // the id when the answer has one, and otherwise find the job as the web app does.
        let job: Pick<Job, '_id' | 'status' | 'createdAt'> | undefined = r._id ? { _id: r._id, status: r.job?.status ?? 'queued', createdAt: r.job?.createdAt ?? '' } : undefined;
        for (let look = 0; !job && look < 3; look++) {
          if (look) await sleep(ctx, 500 * look);
          job = await findCreated(b).catch(() => undefined);
        }
        if (job) accept(b, job._id, job.status, job.createdAt || undefined, false);
        else unseenJobs++;
        return { kind: 'posted' };
      } catch (err) {
        if (signal?.aborted) throw err;
        const rateLimited = err instanceof CeligoApiError && err.status === 429;
        if (!rateLimited && !isAmbiguous(err)) return { kind: 'rejected', err, attempts: attempt };
        lastErr = err;
        if (!rateLimited) {
          let found: Job | undefined;
          try {
            for (let look = 0; look < 2 && !found; look++) {
              found = await findCreated(b);
              if (!found && look === 0) await sleep(ctx, 500 * attempt);
            }
          } catch (checkErr) {
            if (signal?.aborted) throw checkErr;
            return { kind: 'unconfirmed', err, why: `the retry request failed (${describeError(err)}) and checking whether it took effect failed too (${describeError(checkErr)})` };
          }
          if (found) {
            accept(b, found._id, found.status, found.createdAt, true);
            return { kind: 'posted' };
          }
          if (err instanceof CeligoApiError && err.code === 'timeout') {
            return { kind: 'unconfirmed', err, why: `the retry request timed out and no retry job has appeared yet; it may still start` };
          }
        }
        if (attempt < attempts) await sleep(ctx, Math.min(8000, 500 * 2 ** (attempt - 1)));
      }
    }
    return { kind: 'gaveUp', err: lastErr, attempts };
  };

  const perStep = new Map<string, Batch[]>();
  for (const b of batches) {
    const k = `${b.flowId}/${b.stepId}`;
    perStep.set(k, [...(perStep.get(k) ?? []), b]);
  }
  const settle = (b: Batch, out: BatchOutcome) => {
    if (out.kind === 'posted') {
      retried += b.keys.length;
      return;
    }
    const name = flows.get(b.flowId)?.name ?? b.flowId;
    const ids = errorIdsOf(b);
    if (out.kind === 'unconfirmed') {
      unconfirmed += b.errors;
      failures.push(`${name} step ${b.stepId}: ${plural(b.keys.length, 'error')} not confirmed: ${out.why}. Not posted again, so nothing is retried twice; check list_jobs {"flow":"${b.flowId}","type":"retry"} before retrying them.`);
      notRetried.push({ flowId: b.flowId, flowName: name, stepId: b.stepId, errorIds: ids, reason: out.why, unconfirmed: true });
      return;
    }
    failed += b.errors;
    const why = out.kind === 'gaveUp'
      ? `the retry request failed ${out.attempts} times without taking effect (last: ${describeError(out.err)})`
      : `integrator.io refused the retry request (${describeError(out.err)})`;
    failures.push(`${name} step ${b.stepId}: ${plural(b.keys.length, 'error')} NOT retried and still open: ${why}`);
    notRetried.push({ flowId: b.flowId, flowName: name, stepId: b.stepId, errorIds: ids, reason: why });
  };

  const concurrency = Math.max(1, Math.min(opts.concurrency ?? 4, 16));
  const gaveUp: Batch[] = [];
  await mapPool([...perStep.values()], concurrency, async (list) => {
    for (const b of list) {
      signal?.throwIfAborted();
      const out = await postBatch(b, POST_ATTEMPTS);
      if (out.kind === 'gaveUp') gaveUp.push(b);
      else settle(b, out);
      posted += b.keys.length;
      await report(ctx, posted, totalKeys, `retried ${posted} of ${totalKeys}`);
    }
  }, signal);
  // Batches that met a burst of failures get one more round once the others are done.
  for (const b of gaveUp) {
    signal?.throwIfAborted();
    const out = await postBatch(b, POST_ATTEMPTS);
    settle(b, out.kind === 'gaveUp' ? { ...out, attempts: 2 * POST_ATTEMPTS } : out);
  }

  // 4. Optionally wait for the retry jobs and count what they resolved.
  let errorsResolvedAfter: number | undefined;
  let stillOpenAfter: number | undefined;
  let waitNote: string | undefined;
  if (opts.wait && jobs.length) {
    try {
      const ended = await waitForJobs(ctx, jobs, createdAt, opts.timeoutMs ?? 10 * 60_000);
      if (ended) {
        errorsResolvedAfter = jobs.reduce((n, j) => n + (j.resolved ?? 0), 0);
        stillOpenAfter = jobs.reduce((n, j) => n + (j.failedAgain ?? 0), 0);
      } else waitNote = 'some retry jobs were still running when we stopped waiting';
    } catch (err) {
      if (signal?.aborted) throw err;
      waitNote = `stopped following the retry jobs: ${describeError(err)}`;
    }
    if (waitNote) failures.push(`${waitNote}; the retries were posted and continue in integrator.io: check them with get_job ${jobs.slice(0, 5).map((j) => j.jobId).join(', ')}${jobs.length > 5 ? ', …' : ''}.`);
  }

  const notDone = failed + unconfirmed;
  const summary =
    `Retried ${notDone ? `${retried} of ${totalKeys} errors` : plural(retried, 'error')} in ${plural(jobs.length, 'retry job')} (${opts.scope})` +
    (skippedCount() ? `; skipped ${skippedCount()}` : '') +
    (failed ? `; ${failed} NOT retried (still open) in ${plural(notRetried.filter((n) => !n.unconfirmed).length, 'step')}: ${notRetried.filter((n) => !n.unconfirmed).slice(0, 5).map((n) => `${n.flowName} step ${n.stepId}`).join(', ')}; retry them with retry_errors and the errorIds in notRetried` : '') +
    (unconfirmed ? `; ${unconfirmed} unconfirmed (the request may or may not have started a retry; see failures)` : '') +
    (unseenJobs ? `; ${plural(unseenJobs, 'accepted request')} whose retry job has not shown in list_jobs yet` : '') +
    (errorsResolvedAfter !== undefined ? `; ${errorsResolvedAfter} resolved, ${stillOpenAfter} failed again` : likelyToFailAgain ? `; ${likelyToFailAgain} will likely fail again (data the target rejects)` : '') +
    (waitNote ? `; ${waitNote}` : '') +
    '.';
  return { ...base, retried, skipped: skippedCount(), skippedReasons, failed, unconfirmed, notRetried, jobs: jobs.slice(0, 200), errorsResolvedAfter, stillOpenAfter, recoveredAmbiguous, failures, summary };
}

/** Polls the retry jobs (one list request per round when there are many) until all end or time runs out. */
async function waitForJobs(ctx: WaitContext, jobs: RetryJobRef[], createdAt: Map<string, string>, timeoutMs: number): Promise<boolean> {
  const { api, signal } = ctx;
  let waited = 0;
  let delay = 1000;
  for (;;) {
    const open = jobs.filter((j) => !j.status || !TERMINAL.has(j.status));
    if (open.length === 0) return true;
    if (waited >= timeoutMs) return false;
    await sleep(ctx, delay);
    waited += delay;
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
      }
    }
    await report(ctx, jobs.filter((j) => j.status && TERMINAL.has(j.status)).length, jobs.length, 'waiting for retry jobs');
  }
}

// ---- the three entry points ----

/** Retries the open errors of one job (a flow job, one of its steps, or an earlier retry job). */
export async function retryJob(ctx: WaitContext, input: { job: string; wait?: boolean; timeoutMs?: number }): Promise<RetryReport> {
  const { api, signal } = ctx;
  let job = await api.jobs.get(input.job.trim(), { signal });
  if ((job.type === 'export' || job.type === 'import') && job._flowJobId) job = await api.jobs.get(job._flowJobId, { signal });
  if (!job._flowId) throw new UsageError(`Job ${job._id} (${job.type}) belongs to no flow, so it has no errors to retry.`);
  const flow = await resolveFlow(api, job._flowId);
  const errors = await jobErrors(ctx, flow, job);
  return executeRetry(ctx, errors, new Map([[flow._id, flow]]), { scope: `job ${job._id} of flow ${flow.name}`, kind: 'change', wait: input.wait, timeoutMs: input.timeoutMs });
}

/** Retries open errors of a flow: the given error ids, or all of them (of one step, if given). */
export async function retryErrors(
  ctx: WaitContext,
  input: { flow: string; step?: string; errorIds?: string[]; all?: boolean; wait?: boolean; timeoutMs?: number; concurrency?: number },
): Promise<RetryReport> {
  if (!input.errorIds?.length && !input.all) {
    throw new UsageError('Say which errors to retry: errorIds (from list_errors), or all: true for every open error of the flow (or step).');
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
  return executeRetry(ctx, errors, scan.flows, { scope: scan.label, kind: 'change', wait: input.wait, timeoutMs: input.timeoutMs, concurrency: input.concurrency, skippedBefore });
}

/**
 * Retries every open error of failed jobs in a scope (time range, integration, flow, pattern).
 * Always previews and asks (it is a mass action unless it touches a single job).
 */
export async function retryFailedJobs(
  ctx: WaitContext,
  input: { range?: string; integration?: string; flow?: string; pattern?: string; concurrency?: number; wait?: boolean; timeoutMs?: number },
): Promise<RetryReport> {
  const scan = await scanErrors(ctx, { integration: input.integration, flow: input.flow, range: input.range, pattern: input.pattern, state: 'open' });
  return executeRetry(ctx, scan.errors, scan.flows, { scope: scan.label, kind: 'change', concurrency: input.concurrency, wait: input.wait, timeoutMs: input.timeoutMs });
}

