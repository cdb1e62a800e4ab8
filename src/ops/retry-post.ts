// Posting a planned bulk retry: POST /flows/{f}/{step}/retry per batch, steps in parallel (bounded),
// batches of one step in order. A retry POST starts work, so it is never repeated blindly (design.md §2,
// at-most-once.ts): after a 5xx or reset we look for the retry job it may have created and post again
// only when there is none; a 429 is posted again; after a timeout we never post again (unconfirmed).
import { describeError } from '../core/errors.js';
import type { Job } from '../core/schemas.js';
import { attemptAtMostOnce } from './at-most-once.js';
import { mapPool } from './pool.js';
import { batchesPerStep, type Batch } from './retry-plan.js';
import { nowOf, report, sleep, type WaitContext } from './util.js';

/** Attempts per batch in the first pass, and again in the final sweep of batches that gave up. */
export const POST_ATTEMPTS = 6;
/** Jobs that retry errors: one step's (`retry`) or many errors at once (`bulk_retry`, celigo-api.md W2). */
export const RETRY_TYPES: ('retry' | 'bulk_retry')[] = ['retry', 'bulk_retry'];

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
  /** Records the retry job really took (succeeded, ignored or failed again), once it ended and says so. */
  taken?: number;
}

export type BatchOutcome =
  | { kind: 'posted' }
  | { kind: 'rejected'; err: unknown; attempts: number }
  | { kind: 'gaveUp'; err: unknown; attempts: number }
  | { kind: 'unconfirmed'; err: unknown; why: string };

export interface PostResult {
  /** Retry jobs of the accepted batches, in the order they were found. */
  jobs: RetryJobRef[];
  /** When each retry job was created, where known (waiting lists jobs from the oldest). */
  createdAt: Map<string, string>;
  /** Every batch with how it ended, in the order they ended. */
  settled: { batch: Batch; outcome: BatchOutcome }[];
  /** Batches accepted (2xx) whose retry job has not shown up yet. */
  unseenJobs: number;
  /** Batches whose request failed ambiguously and whose retry job was found instead of posting again. */
  recoveredAmbiguous: number;
}

/** The step a retry job works on (its export or import), when it names one. */
export function stepOf(j: Job): string | undefined {
  return (typeof j._importId === 'string' ? j._importId : undefined) ?? (typeof j._exportId === 'string' ? j._exportId : undefined);
}

/**
 * The retry jobs of this operation: each flow's retry jobs before we posted (its baseline), the jobs
 * already claimed by a batch, and a lookup for the job a batch created (the newest one of its step
 * that is neither in the baseline nor claimed).
 */
class RetryJobs {
  readonly jobs: RetryJobRef[] = [];
  readonly createdAt = new Map<string, string>();
  recoveredAmbiguous = 0;
  unseenJobs = 0;
  private readonly baselines = new Map<string, Promise<Set<string>>>();
  private readonly claimed = new Set<string>();
  private readonly windowStart: string;

  constructor(private readonly ctx: WaitContext) {
    this.windowStart = new Date(nowOf(ctx).getTime() - 10 * 60_000).toISOString();
  }

  private list(flowId: string): Promise<Job[]> {
    return this.ctx.api.jobs.list({ _flowId: flowId, type_in: RETRY_TYPES, createdAt_gte: this.windowStart }, { signal: this.ctx.signal });
  }

  baseline(flowId: string): Promise<Set<string>> {
    let p = this.baselines.get(flowId);
    if (!p) {
      p = this.list(flowId).then((rows) => new Set(rows.map((r) => r._id)));
      this.baselines.set(flowId, p);
    }
    return p;
  }

  async created(b: Batch): Promise<Job | undefined> {
    const before = await this.baseline(b.flowId);
    const rows = await this.list(b.flowId);
    const fresh = rows.filter((r) => !before.has(r._id) && !this.claimed.has(r._id));
    return fresh.find((r) => stepOf(r) === b.stepId) ?? fresh.find((r) => stepOf(r) === undefined);
  }

  accept(b: Batch, id: string, status: string | undefined, at: string | undefined, recovered: boolean): void {
    this.claimed.add(id);
    if (at) this.createdAt.set(id, at);
    this.jobs.push({ jobId: id, flowId: b.flowId, stepId: b.stepId, keys: b.keys.length, status });
    if (recovered) this.recoveredAmbiguous++;
  }
}

/**
 * Celigo's web app ignores the retry answer and looks the retry job up (celigo-api.md W13): use the id
 * when the answer has one, and otherwise find the job as the web app does.
 */
async function acceptAnswer(ctx: WaitContext, tracked: RetryJobs, b: Batch, answer: { _id?: string; job?: Job }): Promise<void> {
  let job: Pick<Job, '_id' | 'status' | 'createdAt'> | undefined = answer._id
    ? { _id: answer._id, status: answer.job?.status ?? 'queued', createdAt: answer.job?.createdAt ?? '' }
    : undefined;
  for (let look = 0; !job && look < 3; look++) {
    if (look) await sleep(ctx, 500 * look);
    job = await tracked.created(b).catch(() => undefined);
  }
  if (job) tracked.accept(b, job._id, job.status, job.createdAt || undefined, false);
  else tracked.unseenJobs++;
}

/**
 * Posts one batch, at most once in effect. A POST that failed without taking effect (429, or 5xx /
 * reset with no new retry job to be found) is posted again, up to `attempts` times. After a timeout the
 * server may still be working on the request, so a job not visible yet proves nothing, and posting again
 * could retry the same errors twice; the batch is then unconfirmed, never re-posted.
 */
async function postBatch(ctx: WaitContext, tracked: RetryJobs, b: Batch, attempts: number): Promise<BatchOutcome> {
  await tracked.baseline(b.flowId);
  const out = await attemptAtMostOnce<{ answer?: { _id?: string; job?: Job }; found?: Job }>(ctx, {
    attempts,
    post: async () => ({ answer: await ctx.api.errors.retry(b.flowId, b.stepId, b.keys, { signal: ctx.signal }) }),
    tookEffect: async (attempt) => {
      let found: Job | undefined;
      for (let look = 0; look < 2 && !found; look++) {
        found = await tracked.created(b);
        if (!found && look === 0) await sleep(ctx, 500 * attempt);
      }
      return found ? { found } : undefined;
    },
  });
  switch (out.kind) {
    case 'done': {
      const { found, answer } = out.value;
      if (found) tracked.accept(b, found._id, found.status, found.createdAt, true);
      else await acceptAnswer(ctx, tracked, b, answer ?? {});
      return { kind: 'posted' };
    }
    case 'rejected':
      return { kind: 'rejected', err: out.err, attempts: out.attempt };
    case 'checkFailed':
      return { kind: 'unconfirmed', err: out.err, why: `the retry request failed (${describeError(out.err)}) and checking whether it took effect failed too (${describeError(out.checkErr)})` };
    case 'timedOut':
      return { kind: 'unconfirmed', err: out.err, why: `the retry request timed out and no retry job has appeared yet; it may still start` };
    case 'exhausted':
      return { kind: 'gaveUp', err: out.lastErr, attempts: out.attempts };
  }
}

/**
 * Posts every batch (progress after each) and says how each ended. Batches that met a burst of
 * failures get one more round once the others are done.
 */
export async function postRetries(ctx: WaitContext, batches: readonly Batch[], concurrency = 4): Promise<PostResult> {
  const { signal } = ctx;
  const tracked = new RetryJobs(ctx);
  const totalKeys = batches.reduce((n, b) => n + b.keys.length, 0);
  const settled: PostResult['settled'] = [];
  const gaveUp: Batch[] = [];
  let posted = 0;
  await mapPool(batchesPerStep(batches), Math.max(1, Math.min(concurrency, 16)), async (list) => {
    for (const b of list) {
      signal?.throwIfAborted();
      const outcome = await postBatch(ctx, tracked, b, POST_ATTEMPTS);
      if (outcome.kind === 'gaveUp') gaveUp.push(b);
      else settled.push({ batch: b, outcome });
      posted += b.keys.length;
      await report(ctx, posted, totalKeys, `retried ${posted} of ${totalKeys}`);
    }
  }, signal);
  for (const b of gaveUp) {
    signal?.throwIfAborted();
    const out = await postBatch(ctx, tracked, b, POST_ATTEMPTS);
    settled.push({ batch: b, outcome: out.kind === 'gaveUp' ? { ...out, attempts: 2 * POST_ATTEMPTS } : out });
  }
  const { jobs, createdAt, unseenJobs, recoveredAmbiguous } = tracked;
  return { jobs, createdAt, settled, unseenJobs, recoveredAmbiguous };
}
