// Retrying errors: one job, chosen errors of a flow, or every failed job in a scope (issue 4 item 3).
// Preview -> confirm -> POST /flows/{f}/{step}/retry in batches per step, with bounded concurrency.
// A retry POST starts work, so it is never repeated blindly: after an ambiguous failure we look for the
// retry job it may have created (design.md §2). No retryDataKey is posted twice in one operation.
import { CeligoApiError, UsageError } from '../core/errors.js';
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
const POST_ATTEMPTS = 3;
const TERMINAL = new Set(['completed', 'failed', 'canceled']);

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
  /** Errors in batches that could not be posted. */
  failed: number;
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
    return { ...base, retried: 0, skipped: skippedCount(), skippedReasons, failed: 0, jobs: [], recoveredAmbiguous: 0, failures: [], summary: `Nothing to retry in ${opts.scope}: ${errors.length ? 'no selected error has retry data' : 'no open errors match'}.` };
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
      p = api.jobs.list({ _flowId: flowId, type: 'retry', createdAt_gte: windowStart }, { signal }).then((rows) => new Set(rows.map((r) => r._id)));
      baselines.set(flowId, p);
    }
    return p;
  };
  const findCreated = async (b: Batch): Promise<Job | undefined> => {
    const before = await baselineOf(b.flowId);
    const rows = await api.jobs.list({ _flowId: b.flowId, type: 'retry', createdAt_gte: windowStart }, { signal });
    const fresh = rows.filter((r) => !before.has(r._id) && !claimed.has(r._id));
    return fresh.find((r) => stepOf(r) === b.stepId) ?? fresh.find((r) => stepOf(r) === undefined);
  };

  const jobs: RetryJobRef[] = [];
  const createdAt = new Map<string, string>();
  const failures: string[] = [];
  let retried = 0;
  let failed = 0;
  let recoveredAmbiguous = 0;
  let posted = 0;

  const postBatch = async (b: Batch): Promise<void> => {
    await baselineOf(b.flowId);
    let lastErr: unknown;
    for (let attempt = 1; attempt <= POST_ATTEMPTS; attempt++) {
      try {
        const r = await api.errors.retry(b.flowId, b.stepId, b.keys, { signal });
        if (!r._id) throw new Error('integrator.io accepted the retry but returned no job id');
        claimed.add(r._id);
        if (r.job) createdAt.set(r._id, r.job.createdAt);
        jobs.push({ jobId: r._id, flowId: b.flowId, stepId: b.stepId, keys: b.keys.length, status: r.job?.status });
        return;
      } catch (err) {
        if (!isAmbiguous(err)) throw err;
        lastErr = err;
        for (let look = 0; look < 2; look++) {
          const found = await findCreated(b);
          if (found) {
            claimed.add(found._id);
            createdAt.set(found._id, found.createdAt);
            jobs.push({ jobId: found._id, flowId: b.flowId, stepId: b.stepId, keys: b.keys.length, status: found.status });
            recoveredAmbiguous++;
            return;
          }
          if (look === 0) await sleep(ctx, 500 * attempt);
        }
      }
    }
    throw lastErr;
  };

  const perStep = new Map<string, Batch[]>();
  for (const b of batches) {
    const k = `${b.flowId}/${b.stepId}`;
    perStep.set(k, [...(perStep.get(k) ?? []), b]);
  }
  const concurrency = Math.max(1, Math.min(opts.concurrency ?? 4, 16));
  await mapPool([...perStep.values()], concurrency, async (list) => {
    for (const b of list) {
      signal?.throwIfAborted();
      try {
        await postBatch(b);
        retried += b.keys.length;
      } catch (err) {
        if (signal?.aborted) throw err;
        failed += b.errors;
        const name = flows.get(b.flowId)?.name ?? b.flowId;
        failures.push(`${name} step ${b.stepId}: ${b.keys.length} keys not retried: ${err instanceof CeligoApiError ? err.summary : (err as Error).message}`);
      }
      posted += b.keys.length;
      await report(ctx, posted, totalKeys, `retried ${posted} of ${totalKeys}`);
    }
  }, signal);

  // 4. Optionally wait for the retry jobs and count what they resolved.
  let errorsResolvedAfter: number | undefined;
  let stillOpenAfter: number | undefined;
  if (opts.wait && jobs.length) {
    const ended = await waitForJobs(ctx, jobs, createdAt, opts.timeoutMs ?? 10 * 60_000);
    if (ended) {
      errorsResolvedAfter = jobs.reduce((n, j) => n + (j.resolved ?? 0), 0);
      stillOpenAfter = jobs.reduce((n, j) => n + (j.failedAgain ?? 0), 0);
    }
  }

  const summary =
    `Retried ${plural(retried, 'error')} in ${plural(jobs.length, 'retry job')} (${opts.scope})` +
    (skippedCount() ? `; skipped ${skippedCount()}` : '') +
    (failed ? `; ${failed} could not be posted` : '') +
    (errorsResolvedAfter !== undefined ? `; ${errorsResolvedAfter} resolved, ${stillOpenAfter} failed again` : likelyToFailAgain ? `; ${likelyToFailAgain} will likely fail again (data the target rejects)` : '') +
    '.';
  return { ...base, retried, skipped: skippedCount(), skippedReasons, failed, jobs: jobs.slice(0, 200), errorsResolvedAfter, stillOpenAfter, recoveredAmbiguous, failures, summary };
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
      fresh = (await api.jobs.list({ ...filter, type: 'retry', createdAt_gte: since }, { signal })).filter((r) => ids.has(r._id));
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

