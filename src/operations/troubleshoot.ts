// Troubleshoot: why a job, a flow or an integration fails. Errors grouped by pattern, the likely cause
// and its fix, the failing steps' connection tests, and what changed just before the errors began; its
// next steps (undo the change, fix the connection or the mapping, retry) come from the report itself.
import { z } from 'zod';
import type { TroubleshootReport } from '../ops/troubleshoot.js';
import { truncate } from '../ops/util.js';
import { READ, tsv } from './format.js';
import { defineOperation, entry, type Colors, type Operation, type Terminal, type ToolResult } from './types.js';

const TEXT_LIMIT = 60_000;
const lines = (...parts: (string | undefined | false)[]) => parts.filter(Boolean).join('\n');

function troubleshootForModel(r: TroubleshootReport): ToolResult {
  const groups = tsv(r.errorGroups.slice(0, 10).map((g) => ({ count: g.count, step: g.stepName ?? g.stepId, cause: g.causeLabel, retry: g.retry, firstSeen: g.firstSeen, pattern: truncate(g.pattern, 120) })));
  const badConns = [...new Map(r.steps.flatMap((s) => (s.connection && !s.connection.ok ? [[s.connection.connectionId, s.connection] as const] : []))).values()];
  const s = r.suspectChange;
  const text = lines(
    r.summary,
    r.likelyCause && `Likely cause: ${r.likelyCause.label}. Evidence: ${r.likelyCause.evidence.join('; ')}`,
    groups && `Error patterns (${r.errorGroups.length}):\n${groups}`,
    badConns.length > 0 && `Connection tests failed: ${badConns.map((k) => `${k.name ?? k.connectionId} (${k.code})`).join(', ')}`,
    s && `Changed before the errors: ${s.resourceType} ${s.resourceName ?? s.resourceId} at ${s.at} (${s.minutesBeforeFirstError} min before)${s.fields.length ? `: ${s.fields.slice(0, 6).join(', ')}` : ''}${s.by ? ` by ${s.by}` : ''}`,
  );
  return { text: text.length > TEXT_LIMIT ? text.slice(0, TEXT_LIMIT) + '\n…(truncated)' : text, structured: { ...r } };
}

function troubleshootText(r: TroubleshootReport, t: Terminal, c: Colors): string {
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
  if (r.errorGroups.length) {
    const rows = r.errorGroups.slice(0, 15).map((g) => ({ count: g.count, pattern: g.pattern, cause: g.causeLabel, step: g.stepName ?? g.stepId, retry: g.retry, lastSeen: g.lastSeen }));
    // Not indented: the table is fitted to the terminal's full width.
    out.push('', c.bold(`Errors by pattern (${r.totalErrors} open)`), t.table(rows, ['count', 'pattern', 'cause', 'step', 'retry', 'lastSeen']));
  }
  const tested = r.steps.flatMap((st) => (st.connection ? [{ step: st, k: st.connection }] : []));
  if (tested.length) {
    out.push('', c.bold('Connections of the failing steps'));
    for (const { step, k } of tested) out.push(`  ${k.ok ? c.green('ok  ') : c.red('down')}  ${k.name ?? k.connectionId} ${c.dim(`(${step.kind} ${step.name ?? step.stepId})`)}${k.ok ? '' : `: ${k.message ?? 'failed'}`}`);
  }
  if (r.changes.length && !s) {
    out.push('', c.bold('Recent changes'));
    for (const ch of r.changes.slice(0, 5)) out.push(`  ${ch.at}  ${ch.resourceType} ${ch.resourceName ?? ch.resourceId}: ${ch.action}`);
  }
  return out.join('\n');
}

export const troubleshootOperations: Operation[] = [
  entry(
    defineOperation({
      name: 'troubleshoot',
      toolset: 'workflows',
      title: 'Troubleshoot',
      description: 'Why a job, flow or integration fails: error patterns, likely cause and fix, connection tests, changes made just before.',
      input: {
        job: z.string().optional().describe('Job id'),
        flow: z.string().optional().describe('Flow id or name'),
        integration: z.string().optional().describe('Integration id or name'),
        target: z.string().optional().describe('Or: a job id, flow or integration, looked up in that order'),
        lookbackDays: z.number().int().min(1).max(365).optional().describe('Days before the errors to look for changes (default 7)'),
      },
      annotations: READ,
      cli: {
        noun: 'troubleshoot',
        summary: 'Why a job, flow or integration fails: errors by pattern, likely cause, the fix, what changed',
        args: ['target'],
        flags: {
          target: { description: 'A job id, flow or integration (id or name); or use one of the flags' },
          lookbackDays: { flags: '--lookback-days <n>', description: 'How far back to look for errors and changes (default 7)' },
        },
        examples: ['troubleshoot --flow "Shopify Customers to NetSuite"', 'troubleshoot --job 6a1f…', '--demo troubleshoot --integration "Salesforce - NetSuite Customers" --json likelyCause,next'],
      },
      run: async (ctx, input) => (await import('../ops/troubleshoot.js')).troubleshoot(ctx, input),
      forModel: troubleshootForModel,
      forTerminal(r, t) {
        t.object({ ...r }, { human: (c) => troubleshootText(r, t, c) });
      },
    }),
  ),
];
