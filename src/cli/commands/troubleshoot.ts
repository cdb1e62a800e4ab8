import type { NounSpec, RunContext } from '../spec.js';
import { opt } from '../spec.js';
import { arg, optStr } from './common.js';
import { renderTable, type Colors } from '../output.js';
import { cliWords } from '../words.js';
import { UsageError } from '../../core/errors.js';
import type { TroubleshootReport } from '../../ops/troubleshoot.js';

export function renderTroubleshoot(r: TroubleshootReport, c: Colors, width: number): string {
  const lines: string[] = [c.bold(`Troubleshooting ${r.target.type} ${r.target.name ?? r.target.id}`), '', cliWords(r.summary)];
  if (r.likelyCause) {
    lines.push('', `${c.bold('Likely cause')}: ${c.red(r.likelyCause.label)}${r.likelyCause.pattern ? c.dim(` (${r.likelyCause.pattern})`) : ''}`);
    lines.push(`${c.bold('Fix')}: ${cliWords(r.likelyCause.fix)}`);
    for (const e of r.likelyCause.evidence.slice(0, 5)) lines.push(`  ${c.dim('-')} ${cliWords(e)}`);
  }
  if (r.suspectChange) {
    const s = r.suspectChange;
    lines.push('', `${c.yellow('!')} ${c.bold('Changed just before the errors')}: ${s.resourceType} ${s.resourceName ?? s.resourceId} at ${s.at} (${s.minutesBeforeFirstError} min before the first error${s.by ? `, by ${s.by}` : ''}, from ${s.source})${s.fields.length ? `: ${s.fields.slice(0, 6).join(', ')}` : ''}`);
  }
  if (r.errorGroups.length) {
    lines.push('', c.bold(`Errors by pattern (${r.totalErrors} open)`));
    const rows = r.errorGroups.slice(0, 15).map((g) => ({ count: g.count, pattern: g.pattern, cause: g.causeLabel, step: g.stepName ?? g.stepId, retry: g.retry, lastSeen: g.lastSeen }));
    lines.push(renderTable(rows, ['count', 'pattern', 'cause', 'step', 'retry', 'lastSeen'], c, width - 2).replace(/^/gm, '  '));
  }
  const tested = r.steps.filter((s) => s.connection);
  if (tested.length) {
    lines.push('', c.bold('Connections of the failing steps'));
    for (const s of tested) {
      const k = s.connection!;
      lines.push(`  ${k.ok ? c.green('ok  ') : c.red('down')}  ${k.name ?? k.connectionId} ${c.dim(`(${s.kind} ${s.name ?? s.stepId})`)}${k.ok ? '' : `: ${k.message ?? 'failed'}`}`);
    }
  }
  if (r.changes.length && !r.suspectChange) {
    lines.push('', c.bold('Recent changes'));
    for (const ch of r.changes.slice(0, 5)) lines.push(`  ${ch.at}  ${ch.resourceType} ${ch.resourceName ?? ch.resourceId}: ${ch.action}`);
  }
  if (r.nextSteps.length) {
    lines.push('', c.bold('Next'));
    for (const n of r.nextSteps) lines.push(`  ${cliWords(n)}`);
  }
  return lines.join('\n');
}

async function target(rc: RunContext): Promise<{ job?: string; flow?: string; integration?: string }> {
  const job = optStr(rc, 'job');
  const flow = optStr(rc, 'flow');
  const integration = optStr(rc, 'integration');
  const positional = arg(rc, 0);
  const given = [job, flow, integration].filter(Boolean).length;
  if (given > 1 || (given === 1 && positional)) throw new UsageError('Troubleshoot one thing: a job (--job), a flow (--flow) or an integration (--integration).');
  if (given === 1) return { job, flow, integration };
  if (!positional) throw new UsageError('Say what to troubleshoot: --job ID, --flow NAME or --integration NAME.');
  // A bare argument: a job id, else a flow, else an integration.
  const ctx = await rc.ctx();
  if (/^[0-9a-f]{24}$/i.test(positional)) {
    const isJob = await ctx.api.jobs.get(positional, { signal: rc.signal }).then(() => true, () => false);
    if (isJob) return { job: positional };
  }
  const { resolveFlow, resolveIntegration } = await import('../../ops/resolve.js');
  const asFlow = await resolveFlow(ctx.api, positional).then((f) => f._id, (e: unknown) => e);
  if (typeof asFlow === 'string') return { flow: asFlow };
  const asIntegration = await resolveIntegration(ctx.api, positional).then((i) => i._id, () => undefined);
  if (asIntegration) return { integration: asIntegration };
  throw asFlow instanceof UsageError ? new UsageError(`No job, flow or integration "${positional}". ${asFlow.message}`, asFlow.candidates) : asFlow;
}

export const troubleshootNoun: NounSpec = {
  name: 'troubleshoot',
  command: {
    name: 'troubleshoot',
    summary: 'Why a job, flow or integration fails: errors by pattern, likely cause, the fix, what changed',
    args: ['[target]'],
    argHelp: { target: 'A job id, flow or integration (id or name); or use one of the flags' },
    options: [opt('--job <job>', 'Job id'), opt('--flow <flow>', 'Flow id or name'), opt('--integration <integration>', 'Integration id or name'), opt('--lookback-days <n>', 'How far back to look for errors and changes (default 7)', { int: true })],
    examples: ['troubleshoot --flow "Shopify Customers to NetSuite"', 'troubleshoot --job 6a1f…', '--demo troubleshoot --integration "Salesforce - NetSuite Customers" --json likelyCause,nextSteps'],
    async run(rc) {
      const t = await target(rc);
      const { troubleshoot } = await import('../../ops/troubleshoot.js');
      const r = await troubleshoot(await rc.ctx(), { ...t, lookbackDays: rc.opts.lookbackDays as number | undefined });
      rc.out.object(r as unknown as Record<string, unknown>, { human: (c) => renderTroubleshoot(r, c, rc.out.width) });
    },
  },
};
