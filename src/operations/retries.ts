// What the three retry operations (retry_job, retry_errors, retry_failed_jobs) share: how a retry reads to
// a model and to a person, its verdict (ops/retry-outcome.ts, decided once for all three), and the
// terminal's --wait / --timeout.
//
// --wait and --timeout are terminal flags, not input: retry_job and retry_errors take no wait argument on
// the MCP wire (their schemas are fixed), and retry_failed_jobs takes no timeout. So the operation posts
// the retries and returns them with a way to follow them (RetryRun.follow); at a terminal, --wait follows
// them before the report is shown, and the verdict is read from the report after that.
import { z } from 'zod';
import type { RetryReport, RetryRun } from '../ops/retry.js';
import { json, tsv } from './format.js';
import type { Colors, NextStep, Outcome, Terminal, TerminalFlag, ToolResult } from './types.js';

/** The retries' `force`: errors whose connection fails its test are left out without it. */
export const force = z.boolean().optional().describe('Also retry errors whose connection fails its test');
/** Its flag at a terminal. */
export const FORCE_FLAG = { description: 'Also retry the errors whose connection fails its test (left out otherwise: they would fail again)' };

/** How long a terminal may follow a run or a retry (--timeout, in seconds). */
export const TIMEOUT_BOUNDS = { min: 1, max: 86_400, unit: 'seconds' };

export const WAIT_FLAGS: TerminalFlag[] = [
  { flags: '--wait', description: 'Wait for the retry jobs to finish and report what was resolved' },
  { flags: '--timeout <seconds>', description: 'Stop waiting after this long (default 600); exit 8 if still running', number: TIMEOUT_BOUNDS },
];

/** The report as both front ends show it: its next steps are written out by the front end, not repeated. */
export function reportView(r: RetryReport): Record<string, unknown> {
  const { next: _next, ...rest } = r;
  return rest;
}

export const retryOutcome = (run: RetryRun): Outcome => run.report.outcome ?? 'ok';
export const retryNextSteps = (run: RetryRun): NextStep[] => run.report.next;

/** The model's view of one job's or one flow's retry: the summary, then the report as compact JSON. */
export function retryForModel(run: RetryRun): ToolResult {
  const view = reportView(run.report);
  return { text: `${run.report.summary}\n${json(view)}`, structured: view };
}

/** The model's view of a bulk retry: the summary, the flows as a table, failures and retry jobs. */
export function bulkRetryForModel(run: RetryRun): ToolResult {
  const r = run.report;
  const lines = [
    r.summary,
    r.flows.length > 0 && tsv(r.flows.map((f) => ({ flow: f.name, id: f.flowId, errors: f.errors, jobs: f.jobs }))),
    r.failures.length > 0 && `Failures:\n- ${r.failures.slice(0, 10).join('\n- ')}`,
    r.jobs.length > 0 && `Retry jobs: ${r.jobs.slice(0, 20).map((j) => j.jobId).join(', ')}${r.jobs.length > 20 ? ', …' : ''}`,
  ].filter(Boolean);
  const text = lines.join('\n');
  return { text: text.length > 60_000 ? text.slice(0, 60_000) + '\n…(truncated)' : text, structured: reportView(r) };
}

/** "--timeout 30" in milliseconds, or undefined: the command checked its bounds before anything was posted. */
function timeoutMsOf(flags: Record<string, unknown>): number | undefined {
  const v = flags.timeout;
  return typeof v === 'number' ? v * 1000 : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) * 1000 : undefined;
}

/** The mark in front of the summary: the verdict at a glance. */
export function outcomeMark(outcome: Outcome, c: Colors): string {
  if (outcome === 'ok') return c.green('✓');
  if (outcome === 'pending') return c.yellow('…');
  if (outcome === 'nothing') return c.yellow('•');
  return c.red('✗');
}

function renderRetry(r: RetryReport, t: Terminal): string {
  const { c } = t;
  const lines = [`${outcomeMark(r.outcome ?? 'ok', c)} ${r.summary}`];
  if (r.flows.length) lines.push('', t.table(r.flows.map((f) => ({ flow: f.name, errors: f.errors, jobs: f.jobs })), ['flow', 'errors', 'jobs']));
  const reasons = Object.entries(r.skippedReasons ?? {});
  if (reasons.length) lines.push('', c.bold('Skipped'), ...reasons.map(([why, n]) => `  ${n}  ${why}`));
  if (r.failures.length) lines.push('', c.bold('Failures'), ...r.failures.slice(0, 10).map((f) => `  ${c.red('-')} ${f}`));
  if (r.jobs.length) lines.push('', c.dim(`Retry jobs: ${r.jobs.slice(0, 5).map((j) => j.jobId).join(', ')}${r.jobs.length > 5 ? ` and ${r.jobs.length - 5} more` : ''}`));
  return lines.join('\n');
}

/** The person's view of any retry: with --wait, follows the retry jobs first (the verdict is read after). */
export async function retryForTerminal(run: RetryRun, t: Terminal, _input: unknown, flags: Record<string, unknown>): Promise<void> {
  if (flags.wait === true) await run.follow(timeoutMsOf(flags));
  t.object(reportView(run.report), { human: () => renderRetry(run.report, t) });
}
