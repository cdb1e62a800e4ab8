// How a retry (or a clear) ended, decided once from its counts, and what to do next, as data. The three
// retry operations (one job, chosen errors of a flow, failed jobs in a scope) share this verdict, so the
// same counts read the same to a model (isError) and at a terminal (exit code). No I/O.
import { SKIP_SAME_RECORD } from './retry-plan.js';
import type { RetryJobRef } from './retry-post.js';
import { doneOutcome, type NextStep, type Outcome } from './outcome.js';
import type { RunningRetry } from './retry-running.js';

/** The counts a retry verdict is read from. */
export interface RetryCounts {
  /** Distinct retry data keys posted and accepted. */
  retried: number;
  /** Errors whose retry request was refused or gave up. */
  failed: number;
  /** Errors whose retry request may or may not have taken effect. */
  unconfirmed?: number;
  /** Errors left out before posting, by reason. */
  skippedReasons: Record<string, number>;
  /** After waiting (every retry job ended): errors the retry jobs resolved. */
  errorsResolvedAfter?: number;
  /** After waiting: errors the retry jobs failed again. */
  stillOpenAfter?: number;
  /** After waiting: errors asked for that the retry jobs did not take (another retry may have held them). */
  notTakenAfter?: number;
  /** After waiting: retry jobs still running when we stopped following them. */
  stillRunning?: number;
}

/** Skipped errors that were not retried (a second error of a record already selected is retried with it). */
export function notRetriedBeforePosting(skippedReasons: Record<string, number>): number {
  return Object.entries(skippedReasons).reduce((n, [why, count]) => (why === SKIP_SAME_RECORD ? n : n + count), 0);
}

/**
 * The verdict of a retry:
 * - nothing: no retry request was made (nothing matched, or nothing selected could be retried);
 * - failed: requests were made and none was accepted;
 * - waited for, and the retry jobs resolved none: nothing when they took none, else failed (every error
 *   failed again: the same rule as a run whose every record failed, ops/outcome.ts);
 * - partial: some errors were not retried (refused, unconfirmed, no retry data, not open, not taken) or failed again;
 * - pending: everything was posted and we stopped waiting while retry jobs still ran;
 * - ok: every selected error was retried (and, when waited for, resolved).
 */
export function retryOutcome(r: RetryCounts): Outcome {
  const unconfirmed = r.unconfirmed ?? 0;
  if (r.retried + r.failed + unconfirmed === 0) return 'nothing';
  if (r.retried === 0) return 'failed';
  const notTaken = r.notTakenAfter ?? 0;
  if (r.errorsResolvedAfter !== undefined) {
    const verdict = doneOutcome(r.errorsResolvedAfter, r.retried - r.errorsResolvedAfter);
    if (verdict === 'failed') return notTaken >= r.retried && !r.stillOpenAfter ? 'nothing' : 'failed';
  }
  const left = r.failed + unconfirmed + notRetriedBeforePosting(r.skippedReasons) + (r.stillOpenAfter ?? 0) + notTaken;
  if (left > 0) return 'partial';
  if ((r.stillRunning ?? 0) > 0) return 'pending';
  return 'ok';
}

/** What the next steps of a retry are read from. */
export interface RetryFacts extends RetryCounts {
  notRetried?: { flowId: string; flowName: string; stepId: string; errorIds: string[]; unconfirmed?: boolean }[];
  jobs: RetryJobRef[];
  flows: { flowId: string }[];
  /** Retry jobs still queued or running whose steps were left out. */
  runningRetries?: RunningRetry[];
  /** Whether the retry jobs were waited for. */
  waited: boolean;
}

/** Error ids per next step: enough to act on, small enough for one tool call or command line. */
const IDS_PER_STEP = 25;
const MAX_STEPS = 5;

/** What to do after a retry: retry what was refused, check what is unconfirmed, follow or inspect the retry jobs. */
export function retryNext(r: RetryFacts): NextStep[] {
  const next: NextStep[] = [];
  for (const rr of (r.runningRetries ?? []).slice(0, 3)) {
    next.push({ op: 'get_job', args: { job: rr.jobId }, why: 'an earlier retry of these errors is still queued or running: check it until it ends (do not retry again)' });
  }
  const notRetried = r.notRetried ?? [];
  for (const n of notRetried.filter((x) => !x.unconfirmed).slice(0, MAX_STEPS)) {
    const more = n.errorIds.length > IDS_PER_STEP ? ` (the first ${IDS_PER_STEP}; all ${n.errorIds.length} are in notRetried)` : '';
    next.push({ op: 'retry_errors', args: { flow: n.flowId, step: n.stepId, errorIds: n.errorIds.slice(0, IDS_PER_STEP) }, why: `retry the errors of ${n.flowName} step ${n.stepId} that were not retried${more}` });
  }
  for (const flowId of [...new Set(notRetried.filter((x) => x.unconfirmed).map((x) => x.flowId))].slice(0, MAX_STEPS)) {
    next.push({ op: 'list_jobs', args: { flow: flowId, type: 'retry' }, why: 'see whether the unconfirmed retries started before retrying them' });
  }
  if (!r.waited) {
    if (r.jobs.length) next.push({ op: 'get_job', args: { job: r.jobs[0].jobId }, why: `see what the retry resolved${r.jobs.length > 1 ? ` (1 of ${r.jobs.length} retry jobs)` : ''}` });
    return next;
  }
  const running = r.jobs.filter((j) => j.resolved === undefined);
  for (const j of running.slice(0, 3)) next.push({ op: 'get_job', args: { job: j.jobId }, why: 'still running: check it until it ends (do not retry again)' });
  if ((r.stillOpenAfter ?? 0) > 0) {
    const failedAgain = [...new Set(r.jobs.filter((j) => (j.failedAgain ?? 0) > 0).map((j) => j.flowId))];
    for (const flow of (failedAgain.length ? failedAgain : r.flows.map((f) => f.flowId)).slice(0, 3)) {
      next.push({ op: 'list_errors', args: { flow }, why: 'see the errors that failed again' });
    }
  }
  return next;
}
