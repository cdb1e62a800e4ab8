// Flows: list, inspect, run, change, enable and disable; run and monitor a flow (or one export of it);
// which flows use a resource.
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { updateFlow, type UpdateFlowResult } from '../ops/changes.js';
import { checkDependencies, type DependencyReport } from '../ops/dependencies.js';
import { FLOW_FIELDS, getFlow, listFlows } from '../ops/read/flows.js';
import { runExport, runFlow } from '../ops/run.js';
import { idOrName, optionalIdOrName, wholeNumber } from './args.js';
import { READ, json, listArgs, listResult, objectResult, tsv } from './format.js';
import { runForTerminal, runMonitored, runStarted } from './run-view.js';
import { defineOperation, entry, type Operation, type Terminal, type ToolResult } from './types.js';
import { TIMEOUT_SEC_DESCRIPTION, waitArg } from './wait.js';

const FLOW_ARG = { description: 'Flow id or name' };

function capped(text: string, structured: object): ToolResult {
  // Cut to the result budget by toolOf (fit.ts), as every result is.
  return { text, structured: { ...structured } };
}

const updateInput = {
  flow: idOrName('Flow'),
  enabled: z.boolean().optional().describe('true enables, false disables'),
  schedule: z.string().optional().describe('Cron, UTC, e.g. "? 0 2 ? * *" (02:00 daily); "" removes it'),
  name: z.string().optional().describe('New name, e.g. "Orders (nightly)"'),
  confirm: z.string().optional().describe('Preview token'),
};

/** The change without its next steps and outcome (the front ends write those). */
function updateData(r: UpdateFlowResult): Omit<UpdateFlowResult, 'next' | 'outcome'> {
  const { next: _next, outcome: _outcome, ...data } = r;
  return data;
}

function updateForTerminal(r: UpdateFlowResult, t: Terminal): void {
  const data = updateData(r);
  if (t.jsonMode) {
    t.object(data);
    return;
  }
  if (r.outcome === 'nothing') {
    t.note(r.summary);
    return;
  }
  const { summary, ...rest } = data;
  t.print(`${t.c.green('✓')} ${summary}`);
  t.print('');
  t.object(rest);
}

function dependenciesText(r: DependencyReport): string {
  const flows = r.flows.map((f) => ({ flow: f.name, id: f._id, enabled: !f.disabled, uses: f.uses.join(', ') }));
  return [
    r.summary,
    ...(flows.length ? [tsv(flows)] : []),
    ...(r.integrations.length ? [`Integrations: ${r.integrations.map((i) => `${i.name} (${i._id})`).join(', ')}`] : []),
  ].join('\n');
}

function dependenciesForTerminal(r: DependencyReport, t: Terminal): void {
  if (t.jsonMode) {
    t.object({ ...r });
    return;
  }
  const { c } = t;
  const lines = [r.inUse ? c.yellow(r.summary) : c.green(r.summary)];
  const flows = r.flows.map((f) => ({ flow: f.name, id: f._id, enabled: !f.disabled, scheduled: f.scheduled, uses: f.uses.join(', ') }));
  if (flows.length) lines.push('', c.bold('Flows'), t.table(flows, ['flow', 'id', 'enabled', 'scheduled', 'uses']));
  if (r.integrations.length) lines.push('', c.bold('Integrations'), t.table(r.integrations.map((i) => ({ integration: i.name, id: i._id })), ['integration', 'id']));
  if (r.steps.length) lines.push('', c.bold('Steps'), t.table(r.steps.map((s) => ({ type: s.type, step: s.name, id: s._id })), ['type', 'step', 'id']));
  t.print(lines.join('\n'));
}

export const flowOperations: Operation[] = [
  entry(defineOperation({
    name: 'list_flows',
    toolset: 'flows',
    title: 'List flows',
    description: 'Flows with enabled state, schedule, last run, open errors.',
    input: {
      integration: optionalIdOrName('Integration'),
      enabled: z.boolean().optional().describe('true: only enabled flows; false: only disabled'),
      name: z.string().optional().describe('Name contains, e.g. "orders"'),
      ...listArgs(),
    },
    annotations: READ,
    cli: {
      noun: 'flows',
      verb: 'list',
      summary: 'List flows with their integration, schedule, last run and open errors',
      flags: {
        integration: { description: 'Integration id or name' },
        enabled: { flags: '--enabled', description: 'Only enabled flows', negate: '--disabled' },
        name: { flags: '--name <text>', description: 'Only names containing this text' },
        fields: { hidden: true },
        limit: { flags: '--limit <n>', description: 'Show at most N rows (default: 50 on a terminal, all when piped or with --json)' },
        cursor: { hidden: true },
      },
      examples: ['flows list', 'flows list --integration "Shopify - NetSuite Orders" --enabled', 'flows list --json id,name,openErrors', '--demo flows list | cut -f2'],
    },
    run: (ctx, a) => listFlows(ctx, { integration: a.integration, enabled: a.enabled, name: a.name, errorsFor: ctx.rowsShown?.(a) }),
    forModel: (rows, a) => listResult('flows', rows, a, FLOW_FIELDS),
    forTerminal(rows, t, a) {
      t.list(rows, { noun: 'flows', fields: FLOW_FIELDS, columns: ['id', 'name', 'integration', 'enabled', 'schedule', 'lastRun', 'openErrors'], limit: a.limit });
    },
  })),
  entry(defineOperation({
    name: 'get_flow',
    toolset: 'flows',
    title: 'Get a flow',
    description: 'One flow: steps, connections, mappings, open errors.',
    input: { flow: idOrName('Flow') },
    annotations: READ,
    cli: {
      noun: 'flows',
      verb: 'get',
      summary: 'Show a flow with its steps, connections and mappings',
      args: ['flow'],
      flags: { flow: FLOW_ARG },
      examples: ['flows get "Shopify Customers to NetSuite"', 'flows get "Shopify Customers to NetSuite" --json steps'],
    },
    run: (ctx, a) => getFlow(ctx, a.flow),
    forModel: (r) => objectResult(`Flow ${JSON.stringify(r.flow.name)} (${r.flow.id}), ${r.steps.length} steps:`, r),
    forTerminal(r, t) {
      const steps = t.jsonMode ? r.steps : r.steps.map(({ mapping: _m, connectionId: _c, ...s }) => s);
      t.object({ ...r.flow, steps }, { fields: [...Object.keys(r.flow), 'steps'] });
    },
  })),
  entry(defineOperation({
    name: 'trigger_flow_run',
    toolset: 'flows',
    title: 'Run a flow',
    description: 'Start a flow run. To follow it and report: run_and_monitor.',
    input: {
      flow: idOrName('Flow'),
      // `wait`: the rule and its words are in wait.ts (a single-call tool: no wait unless asked).
      wait: waitArg(false),
      timeoutSec: wholeNumber(1, 3600, 'seconds').optional().describe(TIMEOUT_SEC_DESCRIPTION),
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    cli: {
      noun: 'flows',
      verb: 'run',
      summary: 'Run a flow now; with --wait, monitor it to the end and report',
      args: ['flow'],
      flags: {
        flow: FLOW_ARG,
        wait: { description: 'Monitor the job until it ends (progress on a terminal)' },
        timeoutSec: { flags: '--timeout <seconds>', description: 'Stop waiting after this long (default 600); exit 8 if still running' },
      },
      details: 'Exit code: 0 when the job completed with no failed records (or was started without --wait), 1 when it failed or some records failed, 8 when --wait timed out while it still runs, 2 on Ctrl-C (the run continues in integrator.io).',
      examples: ['flows run "Shopify Customers to NetSuite"', 'flows run "Shopify Customers to NetSuite" --wait --timeout 900', '--demo flows run "Shopify Customers to NetSuite" --wait --json status,counts'],
    },
    run(ctx, a) {
      if (a.timeoutSec !== undefined && a.timeoutSec < 1) throw new UsageError('The timeout must be at least 1 second.');
      return runFlow(ctx, { flow: a.flow, wait: a.wait, timeoutMs: a.timeoutSec ? a.timeoutSec * 1000 : undefined });
    },
    forModel: runStarted,
    forTerminal: runForTerminal,
  })),
  entry(defineOperation({
    name: 'update_flow',
    toolset: 'flows',
    title: 'Update a flow',
    description: 'Enable, disable, schedule or rename a flow (previewed, backed up). Mappings: update_mapping.',
    input: updateInput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    cli: [
      {
        noun: 'flows',
        verb: 'update',
        summary: 'Rename a flow, change its schedule, or enable/disable it',
        args: ['flow'],
        flags: {
          flow: FLOW_ARG,
          enabled: { flags: '--enable', description: 'Enable the flow', negate: '--disable' },
          schedule: { flags: '--schedule <cron>', description: 'Cron: Celigo\'s 6 fields ("? 0 2 ? * *") or 5 fields ("0 2 * * *"); "" removes it' },
          name: { flags: '--name <name>', description: 'New name' },
        },
        examples: ['flows update "Shopify Customers to NetSuite" --schedule "0 2 * * *"', 'flows update "Shopify Customers to NetSuite" --name "Shopify Customers (nightly)" --yes'],
      },
      ...([true, false] as const).map((enabled) => ({
        noun: 'flows',
        verb: enabled ? 'enable' : 'disable',
        summary: enabled ? 'Enable a flow' : 'Disable a flow (lists what depends on it)',
        args: ['flow' as const],
        flags: { flow: FLOW_ARG, schedule: { hidden: true }, name: { hidden: true } },
        fixed: { enabled },
        examples: [enabled ? 'flows enable "Shopify Customers to NetSuite"' : 'flows disable "Shopify Customers to NetSuite" --yes'],
      })),
    ],
    run: (ctx, a) => updateFlow(ctx, a),
    forModel(r) {
      const data = updateData(r);
      return { text: `${r.summary}\n${json(data)}`, structured: data };
    },
    forTerminal: updateForTerminal,
  })),
  entry(defineOperation({
    name: 'run_and_monitor',
    toolset: 'workflows',
    title: 'Run and monitor',
    description: 'Run a flow or one export, follow it to the end, report records and error patterns.',
    input: {
      flow: optionalIdOrName('Flow'),
      export: z.string().optional().describe('Instead of flow: export id or name (its flow runs only it)'),
      // `wait`: the rule and its words are in wait.ts (a workflow: it follows the run unless told not to).
      wait: waitArg(true),
      timeoutSec: wholeNumber(5, 3600, 'seconds').optional().describe(TIMEOUT_SEC_DESCRIPTION),
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    cli: {
      noun: 'flows',
      verb: 'monitor',
      summary: 'Run a flow (or one export of it), follow it to the end, report records and error patterns',
      args: ['flow'],
      flags: {
        flow: FLOW_ARG,
        export: { description: 'Instead of a flow: an export id or name (its flow runs with only that export)' },
        timeoutSec: { flags: '--timeout <seconds>', description: 'Stop waiting after this long (5 to 3600, default 600); exit 8 if still running' },
      },
      fixed: { wait: true },
      details: 'Always follows the run (to start one without following it: flows run). Exit code: 0 when the job completed with no failed records, 1 when it failed or some records failed, 8 when it still runs at the timeout, 2 on Ctrl-C (the run continues in integrator.io).',
      examples: ['flows monitor "Shopify Customers to NetSuite"', 'flows monitor --export "Get Shopify customers" --timeout 900'],
    },
    run(ctx, a) {
      if (!a.flow === !a.export) throw new UsageError('Pass flow or export (one of them).');
      const opts = { wait: a.wait ?? true, timeoutMs: a.timeoutSec ? a.timeoutSec * 1000 : undefined };
      return a.flow ? runFlow(ctx, { flow: a.flow, ...opts }) : runExport(ctx, { export: a.export!, ...opts });
    },
    forModel: runMonitored,
    forTerminal: runForTerminal,
  })),
  entry(defineOperation({
    name: 'check_dependencies',
    toolset: 'workflows',
    title: 'Check dependencies',
    description: 'Which flows and integrations use a resource: check before changing or disabling a shared one.',
    input: {
      // The values of DEPENDENCY_TYPES (ops/dependencies.ts).
      type: z.enum(['integration', 'flow', 'export', 'import', 'connection', 'tag']).describe('Kind of resource, e.g. "connection"'),
      id: z.string().min(1).describe('Id or name (for a tag: the tag), e.g. "NetSuite Prod"'),
    },
    annotations: READ,
    cli: {
      noun: 'flows',
      verb: 'using',
      summary: 'Which flows and integrations use a resource: check before a delete, a disable or a connection change',
      args: ['type', 'id'],
      flags: {
        type: { description: 'integration, flow, export, import, connection or tag' },
        id: { description: 'Its id or name (for a tag: the tag)' },
      },
      examples: ['flows using connection "NetSuite Production"', 'flows using flow "Shopify Customers to NetSuite"', 'flows using tag critical --json flows'],
    },
    run: (ctx, a) => checkDependencies(ctx, a),
    forModel: (r) => capped(dependenciesText(r), r),
    forTerminal: dependenciesForTerminal,
  })),
];

