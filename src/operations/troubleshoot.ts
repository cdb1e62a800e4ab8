// Troubleshoot: why a job, a flow or an integration fails. Errors grouped by pattern, the likely cause
// and its fix, the failing steps' connection tests, and what changed just before the errors began; its
// next steps (undo the change, fix the connection or the mapping, retry) come from the report itself. A
// model reads the patterns a page at a time (troubleshoot-model.ts); a person reads the report.
import { z } from 'zod';
import { patternRegex } from '../ops/patterns.js';
import { decodeCursor } from '../ops/project.js';
import type { TroubleshootReport } from '../ops/troubleshoot.js';
import { JOB_ID_DESC, optionalIdOrName, wholeNumber } from './args.js';
import { READ } from './format.js';
import { toolView } from './terminal-input.js';
import { groupMatches, troubleshootForModel } from './troubleshoot-model.js';
import { defineOperation, type Colors, type Operation, type Terminal } from './types.js';

export { troubleshootModelOutput } from './troubleshoot-model.js';

/** Error patterns the terminal's table shows (--json has them all). */
const TERMINAL_PATTERNS = 15;

function troubleshootText(r: TroubleshootReport, t: Terminal, c: Colors, pattern: string | undefined): string {
  const out: string[] = [c.bold(`Troubleshooting ${r.target.type} ${r.target.name ?? r.target.id}`), '', r.summary];
  if (r.likelyCause) {
    out.push('', `${c.bold('Likely cause')}: ${c.red(r.likelyCause.label)}${r.likelyCause.pattern ? c.dim(` (${r.likelyCause.pattern})`) : ''}`);
    out.push(`${c.bold('Fix')}: ${r.likelyCause.fix}`);
    for (const e of r.likelyCause.evidence.slice(0, 5)) out.push(`  ${c.dim('-')} ${e}`);
  }
  const s = r.suspectChange;
  if (s) {
    out.push('', `${c.yellow('!')} ${c.bold('Changed just before the errors')}: ${s.resourceType} ${s.resourceName ?? s.resourceId} at ${s.at} (${s.minutesBeforeFirstError} min before the first error${s.by ? `, by ${s.by}` : ''}, from ${s.source})${s.fields.length ? `: ${s.fields.slice(0, 6).join(', ')}` : ''}`);
  }
  const groups = r.errorGroups.filter((g) => groupMatches(pattern, g));
  if (groups.length) {
    const rows = groups.slice(0, TERMINAL_PATTERNS).map((g) => ({ count: g.count, pattern: g.pattern, cause: g.causeLabel, step: g.stepName ?? g.stepId, retry: g.retry, lastSeen: g.lastSeen }));
    const heading = pattern ? `Errors by pattern matching ${JSON.stringify(pattern)} (${groups.length} of ${r.errorGroups.length} patterns; ${r.totalErrors} open errors)` : `Errors by pattern (${r.totalErrors} open)`;
    // Not indented: the table is fitted to the terminal's full width.
    out.push('', c.bold(heading), t.table(rows, ['count', 'pattern', 'cause', 'step', 'retry', 'lastSeen']));
    if (groups.length > TERMINAL_PATTERNS) out.push(c.dim(`… ${groups.length - TERMINAL_PATTERNS} more patterns (--json errorGroups lists them all)`));
  } else if (pattern) out.push('', `No error pattern matches ${JSON.stringify(pattern)} (of ${r.errorGroups.length}).`);
  // One line per connection (nine steps on one SFTP connection are one connection down), its steps named.
  const byConnection = new Map<string, { k: NonNullable<(typeof r.steps)[number]['connection']>; steps: string[] }>();
  for (const st of r.steps) {
    if (!st.connection) continue;
    const at = byConnection.get(st.connection.connectionId) ?? { k: st.connection, steps: [] };
    at.steps.push(`${st.kind} ${st.name ?? st.stepId}`);
    byConnection.set(st.connection.connectionId, at);
  }
  if (byConnection.size) {
    out.push('', c.bold('Connections of the failing steps'));
    for (const { k, steps } of byConnection.values()) {
      const named = steps.length <= 3 ? steps.join(', ') : `${steps.length} steps: ${steps.slice(0, 2).join(', ')} and ${steps.length - 2} more`;
      out.push(`  ${k.ok ? c.green('ok  ') : c.red('down')}  ${k.name ?? k.connectionId} ${c.dim(`(${named})`)}${k.ok ? '' : `: ${k.message ?? 'failed'}`}`);
    }
  }
  if (r.changes.length && !s) {
    out.push('', c.bold('Recent changes'));
    for (const ch of r.changes.slice(0, 5)) out.push(`  ${ch.at}  ${ch.resourceType} ${ch.resourceName ?? ch.resourceId}: ${ch.action}`);
  }
  return out.join('\n');
}

// The tool names its subject with job, flow or integration; the command also takes it positionally
// (`target`, looked up in that order) and --lookback-days: each left out of tools/list saves its bytes.
const toolInput = {
  job: z.string().optional().describe(JOB_ID_DESC),
  flow: optionalIdOrName('Flow'),
  integration: optionalIdOrName('Integration'),
  pattern: z.string().optional().describe('Only patterns with this text or /regex/, e.g. "LastName"'),
  cursor: z.string().optional().describe('A nextCursor value'),
};

const troubleshootOp = defineOperation({
      name: 'troubleshoot',
      toolset: 'workflows',
      title: 'Troubleshoot',
      description: 'Why a job, flow or integration fails: error patterns, likely cause and fix, connection tests, recent changes.',
      input: {
        ...toolInput,
        target: z.string().optional().describe('A job id, flow or integration, looked up in that order'),
        lookbackDays: wholeNumber(1, 365, 'days').optional().describe('Days before the errors to look for changes (default 7)'),
      },
      annotations: READ,
      cli: {
        noun: 'troubleshoot',
        summary: 'Why a job, flow or integration fails: errors by pattern, likely cause, the fix, what changed',
        args: ['target'],
        flags: {
          target: { description: 'A job id, flow or integration (id or name); or use one of the flags' },
          lookbackDays: { flags: '--lookback-days <n>', description: 'How far back to look for errors and changes (default 7)' },
          pattern: { description: 'Only error patterns containing this text (or matching /regex/) in the table' },
          cursor: { hidden: true },
        },
        examples: ['troubleshoot --flow "Shopify Customers to NetSuite"', 'troubleshoot --job 6a1f…', '--demo troubleshoot --integration "Salesforce - NetSuite Customers" --json likelyCause,next'],
      },
      async run(ctx, input) {
        // A bad cursor or /regex/ is refused before anything is read.
        decodeCursor(input.cursor);
        if (input.pattern) patternRegex(input.pattern);
        const { job, flow, integration, target, lookbackDays } = input;
        return (await import('../ops/troubleshoot.js')).troubleshoot(ctx, { job, flow, integration, target, lookbackDays });
      },
      forModel: (r, input) => troubleshootForModel(r, input),
      forTerminal(r, t, input) {
        const shown = input.pattern ? { ...r, errorGroups: r.errorGroups.filter((g) => groupMatches(input.pattern, g)) } : r;
        t.object({ ...shown }, { human: (c) => troubleshootText(r, t, c, input.pattern) });
      },
});

export const troubleshootOperations: Operation[] = [toolView(toolInput, troubleshootOp)];
