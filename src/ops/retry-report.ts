// Reporting a bulk retry: what was retried, what was not and why (with the error ids to follow up
// with), what the retry jobs resolved, and one summary sentence. No I/O.
import { describeError } from '../core/errors.js';
import { problemLine, type ConnectionProblem } from './retry-connections.js';
import { errorIdsOf, type Batch, type RetryPlan } from './retry-plan.js';
import { runningText, SKIP_RETRY_RUNNING, type RunningRetry } from './retry-running.js';
import { connectionInApp } from './web-app.js';
import type { BatchOutcome, PostResult, RetryJobRef } from './retry-post.js';
import { retryNext, retryOutcome } from './retry-outcome.js';
import type { NextStep, Outcome } from './outcome.js';
import type { ScopedError } from './patterns.js';
import { plural } from './util.js';

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
  /** Per step, the errors not retried (or unconfirmed), with their ids to retry them by. */
  notRetried?: NotRetried[];
  jobs: RetryJobRef[];
  flows: { flowId: string; name: string; errors: number; jobs: number }[];
  /** Errors expected to fail again (the target rejected the data itself). */
  likelyToFailAgain: number;
  /** Connections that failed their test before the retry, with the errors that wait on them (left out unless forced). */
  connectionProblems?: ConnectionProblem[];
  /** Retry jobs still queued or running whose steps were left out (retry them once those end). */
  runningRetries?: RunningRetry[];
  /** After waiting for the retry jobs: errors resolved, and errors still open. */
  errorsResolvedAfter?: number;
  stillOpenAfter?: number;
  /** After waiting: errors asked for that the retry jobs did not take (another retry may have held them). */
  notTakenAfter?: number;
  /** After waiting: retry jobs still running (or not known to have ended) when we stopped. */
  stillRunning?: number;
  /** A retry request failed ambiguously and its retry job was found instead of posting again. */
  recoveredAmbiguous: number;
  failures: string[];
  summary: string;
  /** How it ended (retry-outcome.ts), when not ok. */
  outcome?: Outcome;
  /** What to do next. */
  next: NextStep[];
}

export interface NotRetried {
  flowId: string;
  flowName: string;
  stepId: string;
  errorIds: string[];
  reason: string;
  unconfirmed?: boolean;
}

/** What waiting for the retry jobs found; `waitNote` says why it could not tell. */
export interface WaitResult {
  errorsResolvedAfter?: number;
  stillOpenAfter?: number;
  /** Errors asked for that the retry jobs did not take. */
  notTakenAfter?: number;
  /** Retry jobs not known to have ended when we stopped waiting. */
  stillRunning?: number;
  waitNote?: string;
}

/** Fix each connection that holds errors back, then run the retry again. */
function connectionNext(problems: readonly ConnectionProblem[]): NextStep[] {
  return problems.filter((p) => p.heldBack).slice(0, 5).map((p) => ({
    op: 'test_connection',
    args: { connection: p.connectionId },
    why: `after fixing connection ${JSON.stringify(p.name)} (${connectionInApp(p.name)}); then retry again: its ${plural(p.errors, 'error')} ${p.errors === 1 ? 'was' : 'were'} left open`,
  }));
}

/** The report with its verdict and next steps (the outcome field only when not ok). */
function judged(r: Omit<RetryReport, 'outcome' | 'next'>, waited: boolean): RetryReport {
  const outcome = retryOutcome(r);
  return { ...r, ...(outcome === 'ok' ? {} : { outcome }), next: [...connectionNext(r.connectionProblems ?? []), ...retryNext({ ...r, waited })] };
}

interface Tally {
  retried: number;
  failed: number;
  unconfirmed: number;
  failures: string[];
  notRetried: NotRetried[];
}

function baseOf(plan: RetryPlan) {
  const problems = plan.connectionProblems.length ? { connectionProblems: plan.connectionProblems } : {};
  const running = plan.runningRetries.length ? { runningRetries: plan.runningRetries } : {};
  return { scope: plan.scope, matched: plan.matched, flows: plan.flows, likelyToFailAgain: plan.likelyToFailAgain, ...problems, ...running };
}

/** "; 47 left out: a retry of their step is still queued or running (retry job 6a1f… (queued)); wait for it, do not retry again". */
function runningSkipText(plan: RetryPlan): string {
  const n = plan.skippedReasons[SKIP_RETRY_RUNNING] ?? 0;
  return n ? `; ${n} left out: ${SKIP_RETRY_RUNNING} (${runningText(plan.runningRetries)}); wait for it to end, do not retry again` : '';
}

/** "; 4 errors will fail again until connection "X" is fixed (…): left out of this retry; …" per connection. */
function problemsText(plan: RetryPlan): string {
  return plan.connectionProblems.slice(0, 3).map((p) => `; ${problemLine(p)}`).join('') + (plan.connectionProblems.length > 3 ? `; and ${plan.connectionProblems.length - 3} more connections` : '');
}

/** The report when no selected error can be retried (nothing was asked or posted). */
export function nothingToRetryReport(plan: RetryPlan): RetryReport {
  const why = !plan.matched
    ? 'no open errors match'
    : plan.skippedReasons[SKIP_RETRY_RUNNING]
      ? `an earlier retry of these errors is still queued or running`
      : plan.connectionProblems.some((p) => p.heldBack) ? 'every selected error waits on a connection that fails its test' : 'no selected error has retry data';
  return judged({
    ...baseOf(plan), retried: 0, skipped: plan.skipped, skippedReasons: plan.skippedReasons, failed: 0, unconfirmed: 0, notRetried: [], jobs: [], recoveredAmbiguous: 0, failures: [],
    summary: `Nothing to retry in ${plan.scope}: ${why}${runningSkipText(plan)}${problemsText(plan)}.`,
  }, false);
}

/** Counts and explains how each batch ended, in the order they ended. */
export function tallyOutcomes(plan: RetryPlan, errors: readonly ScopedError[], settled: readonly { batch: Batch; outcome: BatchOutcome }[]): Tally {
  const t: Tally = { retried: 0, failed: 0, unconfirmed: 0, failures: [], notRetried: [] };
  for (const { batch: b, outcome: out } of settled) {
    if (out.kind === 'posted') {
      t.retried += b.keys.length;
      continue;
    }
    const name = plan.flows.find((f) => f.flowId === b.flowId)?.name ?? b.flowId;
    const ids = errorIdsOf(errors, b);
    if (out.kind === 'unconfirmed') {
      t.unconfirmed += b.errors;
      t.failures.push(`${name} step ${b.stepId}: ${plural(b.keys.length, 'error')} not confirmed: ${out.why}. Not posted again, so nothing is retried twice; check the flow's retry jobs before retrying them.`);
      t.notRetried.push({ flowId: b.flowId, flowName: name, stepId: b.stepId, errorIds: ids, reason: out.why, unconfirmed: true });
      continue;
    }
    t.failed += b.errors;
    const why = out.kind === 'gaveUp'
      ? `the retry request failed ${out.attempts} times without taking effect (last: ${describeError(out.err)})`
      : `integrator.io refused the retry request (${describeError(out.err)})`;
    t.failures.push(`${name} step ${b.stepId}: ${plural(b.keys.length, 'error')} NOT retried and still open: ${why}`);
    t.notRetried.push({ flowId: b.flowId, flowName: name, stepId: b.stepId, errorIds: ids, reason: why });
  }
  return t;
}

/** The one sentence that says what happened. */
export function retrySummary(plan: RetryPlan, t: Tally, posted: Pick<PostResult, 'jobs' | 'unseenJobs'>, waited: WaitResult): string {
  const { retried, failed, unconfirmed, notRetried } = t;
  const stepsNotRetried = notRetried.filter((n) => !n.unconfirmed);
  const notTaken = waited.notTakenAfter ?? 0;
  // "Retried" only once the retry jobs ended and took what was asked; before, the retry was asked for.
  const verb = waited.errorsResolvedAfter !== undefined && !notTaken ? 'Retried' : 'Asked to retry';
  return (
    `${verb} ${failed + unconfirmed ? `${retried} of ${plan.totalKeys} errors` : plural(retried, 'error')} in ${plural(posted.jobs.length, 'retry job')} (${plan.scope})` +
    (plan.skipped ? `; skipped ${plan.skipped}` : '') +
    runningSkipText(plan) +
    problemsText(plan) +
    (failed ? `; ${failed} NOT retried (still open) in ${plural(stepsNotRetried.length, 'step')}: ${stepsNotRetried.slice(0, 5).map((n) => `${n.flowName} step ${n.stepId}`).join(', ')}; their errorIds are in notRetried` : '') +
    (unconfirmed ? `; ${unconfirmed} unconfirmed (the request may or may not have started a retry; see failures)` : '') +
    (posted.unseenJobs ? `; ${plural(posted.unseenJobs, 'accepted request')} whose retry job has not shown in the job list yet` : '') +
    (notTaken ? `; the retry ${posted.jobs.length === 1 ? 'job' : 'jobs'} took ${Math.max(0, retried - notTaken)} of the ${retried} errors asked (the others stay open; another retry may hold them)` : '') +
    (waited.errorsResolvedAfter !== undefined
      ? `; ${waited.errorsResolvedAfter} resolved, ${waited.stillOpenAfter} failed again`
      : plan.likelyToFailAgain ? `; ${plan.likelyToFailAgain} will likely fail again (data the target rejects)` : '') +
    (waited.waitNote ? `; ${waited.waitNote}` : '') +
    '.'
  );
}

/** The report of a retry that was posted (and perhaps waited for). */
export function retryReport(plan: RetryPlan, errors: readonly ScopedError[], posted: PostResult, waited: WaitResult): RetryReport {
  const t = tallyOutcomes(plan, errors, posted.settled);
  const { jobs } = posted;
  if (waited.waitNote) {
    t.failures.push(`${waited.waitNote}; the retries were posted and continue in integrator.io: retry jobs ${jobs.slice(0, 5).map((j) => j.jobId).join(', ')}${jobs.length > 5 ? ', …' : ''}.`);
  }
  const wasWaited = waited.errorsResolvedAfter !== undefined || waited.stillRunning !== undefined || waited.waitNote !== undefined;
  return judged({
    ...baseOf(plan),
    retried: t.retried, skipped: plan.skipped, skippedReasons: plan.skippedReasons, failed: t.failed, unconfirmed: t.unconfirmed, notRetried: t.notRetried,
    jobs: jobs.slice(0, 200), errorsResolvedAfter: waited.errorsResolvedAfter, stillOpenAfter: waited.stillOpenAfter,
    ...(waited.notTakenAfter ? { notTakenAfter: waited.notTakenAfter } : {}),
    ...(waited.stillRunning !== undefined ? { stillRunning: waited.stillRunning } : {}),
    recoveredAmbiguous: posted.recoveredAmbiguous, failures: t.failures, summary: retrySummary(plan, t, posted, waited),
  }, wasWaited);
}
