// Jobs: the flow runs over a time range, one job with its steps and errors, retrying one job, and retrying
// the failed jobs of a whole scope (retry_failed_jobs, a workflow; at a terminal: jobs retry-failed).
import { z } from 'zod';
import { JOB_STATUSES } from '../core/schemas.js';
import { UsageError } from '../core/errors.js';
import { getJob, JOB_FIELDS, listJobs } from '../ops/read/jobs.js';
import { jobRetry, scopeRetry, startRetry } from '../ops/retry.js';
import { accountScope, JOB_ID_DESC, optionalIdOrName, rangeArg, wholeNumber } from './args.js';
import { toolView } from './terminal-input.js';
import { listArgs, listResult, objectResult, READ } from './format.js';
import { bulkRetryForModel, force, FORCE_FLAG, retryForModel, retryForTerminal, retryNextSteps, retryOutcome, WAIT_FLAGS } from './retries.js';
import { defineOperation, entry, type Operation, type Terminal } from './types.js';
import { waitArg } from './wait.js';


/** The terminal's words for the shared scope flags (the input's descriptions are kept short for models). */
export const CLI_RANGE = { description: 'Time range in your time zone (TZ), end excluded: ISO, "A..B", or a phrase (today, yesterday, "last 24 hours", "last 7 days", "since Monday")' };
export const CLI_INTEGRATION = { description: 'Integration id or name' };
export const CLI_FLOW = { description: 'Flow id or name' };
/** --limit shows rows at a terminal; fields and cursor page results for models (--json and --limit do that here). */
export const CLI_LIST = {
  limit: { flags: '--limit <n>', description: 'Show at most N rows (default: 50 on a terminal, all when piped or with --json)' },
  fields: { hidden: true },
  cursor: { hidden: true },
} as const;

/** --limit at a terminal: a positive number of rows. */
export function terminalLimit(limit: number | undefined): number | undefined {
  if (limit !== undefined && limit < 1) throw new UsageError('--limit must be a positive integer.');
  return limit;
}

const JOB_COLUMNS = ['id', 'status', 'flow', 'createdAt', 'durationMs', 'success', 'errors', 'openErrors'];
const RETRY = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true } as const;

const listJobsOp = defineOperation({
  name: 'list_jobs',
  toolset: 'jobs',
  title: 'List jobs',
  description: 'Flow runs (jobs), newest first, with status and counts.',
  input: {
    range: rangeArg(),
    status: z.enum(JOB_STATUSES).optional().describe('Only jobs in this status, e.g. "failed"'),
    integration: optionalIdOrName('Integration'),
    flow: optionalIdOrName('Flow'),
    type: z.enum(['flow', 'retry', 'bulk_retry']).optional().describe('Default flow (runs); retry, bulk_retry: retries'),
    ...listArgs(),
  },
  annotations: READ,
  cli: {
    noun: 'jobs',
    verb: 'list',
    summary: 'List jobs in a time range (default: last 24 hours), newest first',
    flags: { range: CLI_RANGE, status: { description: 'Only this status' }, integration: CLI_INTEGRATION, flow: CLI_FLOW, type: { description: 'Job type (default flow)' }, ...CLI_LIST },
    examples: ['jobs list', 'jobs list --status failed --range yesterday', 'jobs list --flow "Shopify Customers to NetSuite" --json id,status,errors'],
  },
  // Every job of the range is read and counted (an honest total); `limit` and `cursor` page the result,
  // and only the newest up to the end of the rows shown are kept (a limit on the read would make the total
  // wrong and the next page empty).
  run: (ctx, a) => listJobs(ctx, { range: a.range, status: a.status, integration: a.integration, flow: a.flow, type: a.type, shown: ctx.rowsShown?.(a) }),
  forModel: (p, a) => listResult('jobs', p.rows, a, JOB_FIELDS, JOB_COLUMNS, p.total),
  forTerminal(p, t: Terminal, a) {
    t.expectFields(JOB_FIELDS);
    t.list(p.rows, { noun: 'jobs', fields: JOB_FIELDS, columns: JOB_COLUMNS, limit: terminalLimit(a.limit), total: p.total });
  },
});

const getJobOp = defineOperation({
  name: 'get_job',
  toolset: 'jobs',
  title: 'Get a job',
  description: 'One job: status, steps with counts, open errors by pattern.',
  input: { job: z.string().describe(JOB_ID_DESC) },
  annotations: READ,
  cli: {
    noun: 'jobs',
    verb: 'get',
    summary: 'Show a job with its steps and the open errors it produced',
    args: ['job'],
    examples: ['jobs get 6a1f…', 'jobs get 6a1f… --json errors'],
  },
  run: (ctx, a) => getJob(ctx, a.job),
  forModel: (r) => objectResult(`Job ${r.job.id}: ${r.job.status}, ${r.totalErrors} open error(s) from this job.`, r),
  forTerminal: (r, t) => t.object({ ...r.job, steps: r.steps, errors: r.errors, totalErrors: r.totalErrors }),
});

const retryJobOp = defineOperation({
  name: 'retry_job',
  toolset: 'jobs',
  title: 'Retry a job',
  description: "Retry one job's open errors. Many jobs: retry_failed_jobs.",
  input: { job: z.string().describe(JOB_ID_DESC), force },
  annotations: RETRY,
  cli: {
    noun: 'jobs',
    verb: 'retry',
    summary: 'Retry the open errors of one job',
    args: ['job'],
    flags: { job: { description: 'Job id (a flow job, one of its steps, or an earlier retry job)' }, force: FORCE_FLAG },
    terminalFlags: WAIT_FLAGS,
    examples: ['jobs retry 6a1f…', 'jobs retry 6a1f… --wait'],
  },
  run: async (ctx, a) => startRetry(ctx, await jobRetry(ctx, { job: a.job, force: a.force })),
  forModel: retryForModel,
  forTerminal: retryForTerminal,
  outcome: retryOutcome,
  next: retryNextSteps,
});

const retryFailedJobsOp = defineOperation({
  name: 'retry_failed_jobs',
  toolset: 'workflows',
  title: 'Retry failed jobs',
  description: 'Retry the failed jobs of a flow, integration or account over a time range, optionally one error pattern.',
  input: {
    range: rangeArg(),
    integration: optionalIdOrName('Integration'),
    flow: optionalIdOrName('Flow'),
    pattern: z.string().optional().describe('Error code or message text, or /regex/, e.g. "429"'),
    scope: accountScope(),
    concurrency: wholeNumber(1, 16).optional().describe('Steps retried in parallel, 1-16 (default 4)'),
    // The rule and its words are in wait.ts (a workflow: it follows the retry jobs unless told not to).
    wait: waitArg(true),
    force,
    confirm: z.string().optional().describe('Preview token'),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  cli: {
    noun: 'jobs',
    verb: 'retry-failed',
    summary: 'Retry the open errors of failed jobs by time range, integration or flow',
    details:
      'It previews what it will retry and asks first (--yes to skip). The same error is never retried twice in one run. ' +
      'To retry one job: jobs retry; chosen errors or one step of a flow: errors retry.',
    flags: {
      range: CLI_RANGE,
      integration: CLI_INTEGRATION,
      flow: CLI_FLOW,
      pattern: { flags: '--pattern <text>', description: 'Only errors whose code or message contains this text (or /regex/)' },
      concurrency: { flags: '--concurrency <n>', description: 'Parallel retry requests (default 4, at most 16)' },
      scope: { description: 'account: the whole account (needed when neither --integration nor --flow is given)' },
      force: FORCE_FLAG,
    },
    // The terminal follows the retries itself (--wait, --timeout): see retries.ts.
    fixed: { wait: false },
    terminalFlags: WAIT_FLAGS,
    examples: [
      'jobs retry-failed --integration "Shopify - NetSuite Orders" --range yesterday --pattern timeout --yes',
      'jobs retry-failed --flow "Shopify Customers to NetSuite" --wait',
    ],
  },
  run: async (ctx, a) => startRetry(ctx, await scopeRetry(ctx, { ...a, wait: a.wait ?? true })),
  forModel: bulkRetryForModel,
  forTerminal: retryForTerminal,
  outcome: retryOutcome,
  next: retryNextSteps,
});

// The tool leaves the parallelism to its default (the command's --concurrency tunes it): one number a
// model has no reason to choose, and bytes every tools/list pays.
const { concurrency: _concurrency, ...retryToolInput } = retryFailedJobsOp.input;

export const jobOperations: Operation[] = [entry(listJobsOp), entry(getJobOp), entry(retryJobOp), toolView(retryToolInput, retryFailedJobsOp)];
