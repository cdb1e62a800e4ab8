import type { NounSpec, RunContext } from '../spec.js';
import { LIMIT, opt } from '../spec.js';
import { arg, FLOW, INTEGRATION, limitOf, optStr, RANGE } from './common.js';
import { renderTable, type Colors } from '../output.js';
import { cliWords } from '../words.js';
import type { RetryReport } from '../../ops/retry.js';

export const WAIT = opt('--wait', 'Wait for the retry jobs to finish and report what was resolved');
export const TIMEOUT = opt('--timeout <seconds>', 'Stop waiting after this long (default 600); exit 8 if still running', { int: true });

export function timeoutMs(rc: RunContext): number | undefined {
  const t = rc.opts.timeout as number | undefined;
  return t !== undefined ? Math.max(1, t) * 1000 : undefined;
}

/** Prints a retry report; exit 8 when --wait ran out of time with retry jobs still running. */
export function printRetry(rc: RunContext, r: RetryReport): number {
  rc.out.object(r as unknown as Record<string, unknown>, { human: (c) => renderRetry(r, c, rc.out.width) });
  const pending = !!rc.opts.wait && r.jobs.some((j) => j.status && !['completed', 'failed', 'canceled'].includes(j.status));
  if (pending) return 8;
  return r.failed > 0 ? 1 : 0;
}

export function renderRetry(r: RetryReport, c: Colors, width: number): string {
  const mark = r.failed ? c.red('✗') : r.retried ? c.green('✓') : c.yellow('•');
  const lines = [`${mark} ${cliWords(r.summary)}`];
  if (r.flows.length) lines.push('', renderTable(r.flows.map((f) => ({ flow: f.name, errors: f.errors, jobs: f.jobs })), ['flow', 'errors', 'jobs'], c, width));
  const reasons = Object.entries(r.skippedReasons ?? {});
  if (reasons.length) lines.push('', c.bold('Skipped'), ...reasons.map(([why, n]) => `  ${n}  ${why}`));
  if (r.failures.length) lines.push('', c.bold('Failures'), ...r.failures.slice(0, 10).map((f) => `  ${c.red('-')} ${cliWords(f)}`));
  if (r.jobs.length) lines.push('', c.dim(`Retry jobs: ${r.jobs.slice(0, 5).map((j) => j.jobId).join(', ')}${r.jobs.length > 5 ? ` and ${r.jobs.length - 5} more` : ''} (celigo-manage jobs get ID)`));
  return lines.join('\n');
}

export const jobs: NounSpec = {
  name: 'jobs',
  verbs: [
    {
      name: 'list',
      summary: 'List jobs in a time range (default: last 24 hours), newest first',
      options: [RANGE, opt('--status <status>', 'Only this status', { choices: ['queued', 'running', 'completed', 'failed', 'canceled', 'retrying'] }), INTEGRATION, FLOW, opt('--type <type>', 'Job type (default flow)', { choices: ['flow', 'retry', 'bulk_retry'] }), LIMIT],
      examples: ['jobs list', 'jobs list --status failed --range yesterday', 'jobs list --flow "Shopify Customers to NetSuite" --json id,status,errors'],
      async run(rc) {
        const { listJobs, JOB_FIELDS } = await import('../../ops/read/jobs.js');
        rc.out.expectFields(JOB_FIELDS);
        const rows = await listJobs(await rc.ctx(), {
          range: optStr(rc, 'range'),
          status: optStr(rc, 'status'),
          integration: optStr(rc, 'integration'),
          flow: optStr(rc, 'flow'),
          type: optStr(rc, 'type'),
        });
        rc.out.list(rows, { noun: 'jobs', fields: JOB_FIELDS, columns: ['id', 'status', 'flow', 'createdAt', 'durationMs', 'success', 'errors', 'openErrors'], limit: limitOf(rc) });
      },
    },
    {
      name: 'get',
      summary: 'Show a job with its steps and the open errors it produced',
      args: ['<job>'],
      argHelp: { job: 'Job id' },
      examples: ['jobs get 6a1f…', 'jobs get 6a1f… --json errors'],
      async run(rc) {
        const { getJob } = await import('../../ops/read/jobs.js');
        const r = await getJob(await rc.ctx(), arg(rc, 0));
        rc.out.object({ ...r.job, steps: r.steps, errors: r.errors, totalErrors: r.totalErrors });
      },
    },
    {
      name: 'retry',
      summary: 'Retry the open errors of one job',
      args: ['<job>'],
      argHelp: { job: 'Job id (a flow job, one of its steps, or an earlier retry job)' },
      options: [WAIT, TIMEOUT],
      mutating: true,
      examples: ['jobs retry 6a1f…', 'jobs retry 6a1f… --wait'],
      async run(rc) {
        const { retryJob } = await import('../../ops/retry.js');
        const r = await retryJob(await rc.ctx(), { job: arg(rc, 0), wait: !!rc.opts.wait, timeoutMs: timeoutMs(rc) });
        return printRetry(rc, r);
      },
    },
  ],
};
