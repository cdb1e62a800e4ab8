// How a flow run reads: to a model (a short report) and to a person (a status line, the counts, the
// errors by pattern). Shared by the operations that start runs; no terminal code here, only Terminal.
import type { RunReport } from '../ops/run.js';
import { truncate } from '../ops/util.js';
import { json, tsv } from './format.js';
import type { Colors, Terminal, ToolResult } from './types.js';
import { formatDuration } from './format.js';
import { outcomeMark } from './retries.js';

/** The report without its next steps (the front ends write those) and outcome (their verdict). */
export function runData(r: RunReport): Omit<RunReport, 'next' | 'outcome'> {
  const { next: _next, outcome: _outcome, ...data } = r;
  return data;
}

// A run whose job failed is still a result for the model, not a failed call: the run happened, and an
// error result invites a second run. Only the terminal's exit code says the job failed (outcome).

/** One line and the report as compact JSON (trigger_flow_run). */
export function runStarted(r: RunReport): ToolResult {
  const data = runData(r);
  return { text: `Flow ${r.flowName}: job ${r.jobId} ${r.status}.\n${json(data)}`, structured: data, isError: false };
}

/** The summary and the errors by pattern (run_and_monitor). */
export function runMonitored(r: RunReport): ToolResult {
  const groups = r.errorGroups.slice(0, 10).map((g) => ({ count: g.count, step: g.stepId, cause: g.causeLabel, pattern: truncate(g.pattern, 120) }));
  return { text: [r.summary, ...(groups.length ? [tsv(groups)] : [])].join('\n'), structured: runData(r), isError: false };
}


function statusText(c: Colors, r: RunReport): string {
  if (r.status === 'timeout') return c.yellow('still running (stopped waiting)');
  if (r.status === 'completed') return c.green(r.status);
  if (r.status === 'failed' || r.status === 'canceled') return c.red(r.status);
  return c.yellow(r.status);
}

/** The person's view of a run: status line, counts, errors by pattern and the fix for the first. */
export function runForTerminal(r: RunReport, t: Terminal): void {
  const { c } = t;
  const data = runData(r);
  if (t.jsonMode) {
    t.object(data);
    return;
  }
  // The mark says the verdict (outcome.ts): a completed run whose records failed is no tick.
  const mark = !r.waited && r.status !== 'timeout' ? c.yellow('…') : outcomeMark(r.outcome ?? 'ok', c);
  const lines = [`${mark} Flow ${c.bold(r.flowName)}: job ${r.jobId} ${statusText(c, r)}${r.durationMs !== undefined ? ` in ${formatDuration(r.durationMs)}` : ''}`];
  if (r.waited && r.status !== 'timeout') {
    const k = r.counts;
    lines.push(`  exported ${k.exported}, succeeded ${k.succeeded}, failed ${k.failed ? c.red(String(k.failed)) : 0}, ignored ${k.ignored}; open errors ${r.openErrors}`);
  }
  if (r.recoveredAfterAmbiguousFailure) lines.push(c.dim('  The start request failed ambiguously; the job it had started was found, so no second run was posted.'));
  if (r.errorGroups.length) {
    lines.push('', c.bold('Errors by pattern'));
    const rows = r.errorGroups.map((g) => ({ count: g.count, pattern: g.pattern, cause: g.causeLabel, retry: g.retry, step: g.stepId }));
    lines.push(t.table(rows, ['count', 'pattern', 'cause', 'retry', 'step']).replace(/^/gm, '  '));
    lines.push('', `${c.bold('Fix')}: ${r.errorGroups[0]!.fix}`);
  }
  t.print(lines.join('\n'));
}
