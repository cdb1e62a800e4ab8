import type { NounSpec, RunContext } from '../spec.js';
import { LIMIT, opt } from '../spec.js';
import { arg, done, INTEGRATION, limitOf, optStr } from './common.js';
import { renderTable, formatDuration, colorStatus, type Colors } from '../output.js';
import { cliWords } from '../words.js';
import type { RunReport } from '../../ops/run.js';
import { UsageError } from '../../core/errors.js';

/** Prints a run report; exit 8 when the job was still running at the timeout, 1 when it failed. */
export function printRun(rc: RunContext, r: RunReport): number {
  rc.out.object(r as unknown as Record<string, unknown>, { human: (c) => renderRun(r, c, rc.out.width) });
  if (r.status === 'timeout') return 8;
  if (r.waited && (r.status === 'failed' || r.status === 'canceled')) return 1;
  return 0;
}

export function renderRun(r: RunReport, c: Colors, width: number): string {
  const mark = r.status === 'completed' ? c.green('✓') : r.status === 'timeout' || !r.waited ? c.yellow('…') : c.red('✗');
  const status = r.status === 'timeout' ? c.yellow('still running (stopped waiting)') : colorStatus(c, r.status);
  const lines = [`${mark} Flow ${c.bold(r.flowName)}: job ${r.jobId} ${status}${r.durationMs !== undefined ? ` in ${formatDuration(r.durationMs)}` : ''}`];
  if (r.waited && r.status !== 'timeout') {
    const k = r.counts;
    lines.push(`  exported ${k.exported}, succeeded ${k.succeeded}, failed ${k.failed ? c.red(String(k.failed)) : 0}, ignored ${k.ignored}; open errors ${r.openErrors}`);
  }
  if (r.recoveredAfterAmbiguousFailure) lines.push(c.dim('  The start request failed ambiguously; the job it had started was found, so no second run was posted.'));
  if (r.errorGroups.length) {
    lines.push('', c.bold('Errors by pattern'));
    const rows = r.errorGroups.map((g) => ({ count: g.count, pattern: g.pattern, cause: g.causeLabel, retry: g.retry, step: g.stepId }));
    lines.push(renderTable(rows, ['count', 'pattern', 'cause', 'retry', 'step'], c, width).replace(/^/gm, '  '));
    lines.push('', `${c.bold('Fix')}: ${cliWords(r.errorGroups[0].fix)}`);
  }
  const next = [`celigo-manage jobs get ${r.jobId}`];
  if (r.status === 'timeout' || !r.waited) next.push(`celigo-manage jobs get ${r.jobId}   (check again later)`);
  if (r.errorGroups.length || r.status === 'failed') next.push(`celigo-manage troubleshoot --job ${r.jobId}`);
  if (r.errorGroups.some((g) => g.retry === 'now')) next.push(`celigo-manage jobs retry ${r.jobId}`);
  lines.push('', c.bold('Next'), ...[...new Set(next)].map((n) => `  ${n}`));
  return lines.join('\n');
}

async function setEnabled(rc: RunContext, enabled: boolean): Promise<void> {
  const { updateFlow } = await import('../../ops/changes.js');
  const r = await updateFlow(await rc.ctx(), { flow: arg(rc, 0), enabled });
  done(rc, r.changed.length ? `${enabled ? 'Enabled' : 'Disabled'} flow "${r.flow}".` : `Flow "${r.flow}" was already ${enabled ? 'enabled' : 'disabled'}.`, r);
}

export const flows: NounSpec = {
  name: 'flows',
  verbs: [
    {
      name: 'list',
      summary: 'List flows with their integration, schedule, last run and open errors',
      options: [INTEGRATION, opt('--enabled', 'Only enabled flows'), opt('--disabled', 'Only disabled flows'), opt('--name <text>', 'Only names containing this text'), LIMIT],
      examples: ['flows list', 'flows list --integration "Shopify - NetSuite Orders" --enabled', 'flows list --json id,name,openErrors', '--demo flows list | cut -f2'],
      async run(rc) {
        const { listFlows, FLOW_FIELDS } = await import('../../ops/read/flows.js');
        rc.out.expectFields(FLOW_FIELDS);
        if (rc.opts.enabled && rc.opts.disabled) throw new UsageError('Give --enabled or --disabled, not both.');
        const enabled = rc.opts.enabled ? true : rc.opts.disabled ? false : undefined;
        const rows = await listFlows(await rc.ctx(), { integration: optStr(rc, 'integration'), enabled, name: optStr(rc, 'name') });
        rc.out.list(rows, { noun: 'flows', fields: FLOW_FIELDS, columns: ['id', 'name', 'integration', 'enabled', 'schedule', 'lastRun', 'openErrors'], limit: limitOf(rc) });
      },
    },
    {
      name: 'get',
      summary: 'Show a flow with its steps, connections and mappings',
      args: ['<flow>'],
      argHelp: { flow: 'Flow id or name' },
      examples: ['flows get "Shopify Customers to NetSuite"', 'flows get "Shopify Customers to NetSuite" --json steps'],
      async run(rc) {
        const { getFlow } = await import('../../ops/read/flows.js');
        const r = await getFlow(await rc.ctx(), arg(rc, 0));
        const steps = r.steps.map(({ mapping: _m, connectionId: _c, ...s }) => s);
        rc.out.object({ ...r.flow, steps: rc.out.jsonMode ? r.steps : steps }, { fields: [...Object.keys(r.flow), 'steps'] });
      },
    },
    {
      name: 'run',
      summary: 'Run a flow now; with --wait, monitor it to the end and report',
      args: ['<flow>'],
      argHelp: { flow: 'Flow id or name' },
      options: [opt('--wait', 'Monitor the job until it ends (progress on a terminal)'), opt('--timeout <seconds>', 'Stop waiting after this long (default 600); exit 8 if still running', { int: true })],
      details: 'Exit code: 0 when the job completed (or was started without --wait), 1 when it failed, 8 when --wait timed out while it still runs, 2 on Ctrl-C (the run continues in integrator.io).',
      mutating: true,
      examples: ['flows run "Shopify Customers to NetSuite"', 'flows run "Shopify Customers to NetSuite" --wait --timeout 900', '--demo flows run "Shopify Customers to NetSuite" --wait --json status,counts'],
      async run(rc) {
        const { runFlow } = await import('../../ops/run.js');
        const timeout = rc.opts.timeout as number | undefined;
        if (timeout !== undefined && timeout < 1) throw new UsageError('--timeout must be at least 1 second.');
        const r = await runFlow(await rc.ctx(), { flow: arg(rc, 0), wait: !!rc.opts.wait, timeoutMs: timeout !== undefined ? timeout * 1000 : undefined });
        return printRun(rc, r);
      },
    },
    {
      name: 'update',
      summary: 'Rename a flow, change its schedule, or enable/disable it',
      args: ['<flow>'],
      argHelp: { flow: 'Flow id or name' },
      options: [
        opt('--name <name>', 'New name'),
        opt('--schedule <cron>', 'Cron: Celigo\'s 6 fields ("? 0 2 ? * *") or 5 fields ("0 2 * * *"); "" removes it'),
        opt('--enable', 'Enable the flow'),
        opt('--disable', 'Disable the flow'),
      ],
      mutating: true,
      examples: ['flows update "Shopify Customers to NetSuite" --schedule "0 2 * * *"', 'flows update "Shopify Customers to NetSuite" --name "Shopify Customers (nightly)" --yes'],
      async run(rc) {
        if (rc.opts.enable && rc.opts.disable) throw new UsageError('Give --enable or --disable, not both.');
        const name = optStr(rc, 'name');
        const schedule = optStr(rc, 'schedule');
        const enabled = rc.opts.enable ? true : rc.opts.disable ? false : undefined;
        if (name === undefined && schedule === undefined && enabled === undefined) {
          throw new UsageError('Nothing to change: give --name, --schedule, --enable or --disable. To change a mapping use: celigo-manage mapping update.');
        }
        const { updateFlow } = await import('../../ops/changes.js');
        const r = await updateFlow(await rc.ctx(), { flow: arg(rc, 0), name, schedule, enabled });
        done(rc, r.changed.length ? `Updated flow "${r.flow}": ${r.changed.join('; ')}.` : `Flow "${r.flow}" already has these settings.`, r);
      },
    },
    {
      name: 'enable',
      summary: 'Enable a flow',
      args: ['<flow>'],
      argHelp: { flow: 'Flow id or name' },
      mutating: true,
      examples: ['flows enable "Shopify Customers to NetSuite"'],
      run: (rc) => setEnabled(rc, true),
    },
    {
      name: 'disable',
      summary: 'Disable a flow (lists what depends on it)',
      args: ['<flow>'],
      argHelp: { flow: 'Flow id or name' },
      mutating: true,
      examples: ['flows disable "Shopify Customers to NetSuite" --yes'],
      run: (rc) => setEnabled(rc, false),
    },
  ],
};
