// A run report (ops/run.ts: a flow run, or an export run through its flow) for both front ends: its
// outcome, its next steps as data, the model's text and the person's view. Any operation that runs a flow
// and returns a RunReport can use these.
import type { RunReport } from '../ops/run.js';
import { omit } from './connections.js';
import { json } from './format.js';
import type { Colors, NextStep, Outcome, Terminal, ToolResult } from './types.js';

/** pending when still running at the timeout (exit 8); failed when followed to a failed or cancelled end. */
export function runOutcome(r: RunReport): Outcome {
  if (r.status === 'timeout') return 'pending';
  return r.waited && (r.status === 'failed' || r.status === 'canceled') ? 'failed' : 'ok';
}

export function runNext(r: RunReport): NextStep[] {
  const job = { job: r.jobId };
  const out: NextStep[] = [{ op: 'get_job', args: job, ...(r.status === 'timeout' || !r.waited ? { why: 'check it again later' } : {}) }];
  if (r.errorGroups.length || r.status === 'failed') out.push({ op: 'troubleshoot', args: job, why: 'why it failed' });
  if (r.errorGroups.length) out.push({ op: 'list_errors', args: { flow: r.flowId } });
  if (r.errorGroups.some((g) => g.retry === 'now')) out.push({ op: 'retry_job', args: job, why: 'its errors can be retried now' });
  return out;
}

/** The report without its follow-ups, verdict and next steps (the front ends write those from runNext and runOutcome). */
const shown = (r: RunReport) => omit(r, ['followUp', 'outcome', 'next']);

export function runForModel(heading: string, r: RunReport): ToolResult {
  const s = shown(r);
  return { text: `${heading}\n${json(s)}`, structured: s };
}

const STATUS_COLOR: Record<string, keyof Omit<Colors, 'enabled' | 'bold' | 'dim'>> = { completed: 'green', failed: 'red', canceled: 'yellow', running: 'yellow', queued: 'yellow' };

/** "850ms", "4.2s", "12s", "3m05s", "1h02m". */
function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function runLines(r: RunReport, t: Terminal): string[] {
  const { c } = t;
  const mark = r.status === 'completed' ? c.green('✓') : r.status === 'timeout' || !r.waited ? c.yellow('…') : c.red('✗');
  const color = STATUS_COLOR[r.status];
  const status = r.status === 'timeout' ? c.yellow('still running (stopped waiting)') : color ? c[color](r.status) : r.status;
  const lines = [`${mark} Flow ${c.bold(r.flowName)}: job ${r.jobId} ${status}${r.durationMs !== undefined ? ` in ${duration(r.durationMs)}` : ''}`];
  if (r.waited && r.status !== 'timeout') {
    const k = r.counts;
    lines.push(`  exported ${k.exported}, succeeded ${k.succeeded}, failed ${k.failed ? c.red(String(k.failed)) : 0}, ignored ${k.ignored}; open errors ${r.openErrors}`);
  }
  if (r.recoveredAfterAmbiguousFailure) lines.push(c.dim('  The start request failed ambiguously; the job it had started was found, so no second run was posted.'));
  if (r.errorGroups.length) {
    const rows = r.errorGroups.map((g) => ({ count: g.count, pattern: g.pattern, cause: g.causeLabel, retry: g.retry, step: g.stepId }));
    lines.push('', c.bold('Errors by pattern'), t.table(rows, ['count', 'pattern', 'cause', 'retry', 'step']).replace(/^/gm, '  '));
    lines.push('', `${c.bold('Fix')}: ${r.errorGroups[0]!.fix}`);
  }
  return lines;
}

/** The report as JSON, or a headline with counts and the errors by pattern. */
export function runForTerminal(r: RunReport, t: Terminal): void {
  if (t.jsonMode) t.object(shown(r));
  else t.print(runLines(r, t).join('\n'));
}
