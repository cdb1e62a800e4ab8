// Errors: the open (or resolved) errors of flows, retrying chosen errors of a flow, and clearing errors by
// scope. Retrying the failed jobs of a whole scope is retry_failed_jobs (jobs.ts).
import { z } from 'zod';
import { clearErrors, type ClearReport } from '../ops/clear.js';
import { ERROR_FIELDS, listErrors } from '../ops/read/errors.js';
import { flowErrorsRetry, startRetry } from '../ops/retry.js';
import { accountScope, errorSourceArg, idOrName, optionalIdOrName, rangeArg } from './args.js';
import { json, listArgs, listResult, READ, tsv } from './format.js';
import { CLI_FLOW, CLI_INTEGRATION, CLI_LIST, CLI_RANGE, terminalLimit } from './jobs.js';
import { force, FORCE_FLAG, outcomeMark, retryForModel, retryForTerminal, retryNextSteps, retryOutcome, WAIT_FLAGS } from './retries.js';
import { defineOperation, entry, type Operation, type Terminal, type ToolResult } from './types.js';

const confirm = z.string().optional().describe('Preview token');
const CLI_STEP = { flags: '--step <step>', description: 'Only this step (export or import id or name; needs --flow)' };
const CLI_PATTERN = { flags: '--pattern <text>', description: 'Only errors whose code or message contains this text' };

const listErrorsOp = defineOperation({
  name: 'list_errors',
  toolset: 'errors',
  title: 'List errors',
  description: 'Error records of a flow or integration, one per row. troubleshoot groups them with causes.',
  input: {
    integration: optionalIdOrName('Integration'),
    flow: optionalIdOrName('Flow'),
    range: rangeArg(),
    resolved: z.boolean().optional().describe('Resolved errors instead of open'),
    source: errorSourceArg(),
    ...listArgs(),
  },
  annotations: READ,
  cli: {
    noun: 'errors',
    verb: 'list',
    summary: 'List open (or resolved) errors of an integration or a flow',
    flags: {
      integration: CLI_INTEGRATION,
      flow: CLI_FLOW,
      range: CLI_RANGE,
      resolved: { description: 'Resolved errors instead of open ones' },
      source: { flags: '--source <source>', description: 'Only errors from this source (e.g. application, connection)' },
      ...CLI_LIST,
    },
    examples: ['errors list --flow "Shopify Customers to NetSuite"', 'errors list --integration "Shopify - NetSuite Orders" --range "last 7 days"', 'errors list --flow "Shopify Customers to NetSuite" --json errorId,code,message'],
  },
  run: (ctx, a) => listErrors(ctx, { integration: a.integration, flow: a.flow, range: a.range, resolved: a.resolved, source: a.source }),
  forModel(r, a): ToolResult {
    const page = listResult(a.resolved ? 'resolved errors' : 'open errors', r.errors, a, ERROR_FIELDS, ['errorId', 'occurredAt', 'flow', 'step', 'code', 'message', 'retryDataKey']);
    // The steps with open errors first; a scope of hundreds of steps shows the 30 with most.
    const steps = [...r.counts].sort((x, y) => y.open - x.open).slice(0, 30).map((c) => ({ flow: c.flow, step: c.step, stepId: c.stepId, open: c.open, lastErrorAt: c.lastErrorAt }));
    const more = r.counts.length > steps.length ? `(${r.counts.length - steps.length} more steps; pass flow to narrow)\n` : '';
    const counts = steps.length ? `Per step:\n${tsv(steps, ['flow', 'step', 'stepId', 'open', 'lastErrorAt'])}\n${more}` : '';
    return { text: counts + page.text, structured: { ...page.structured, ...(steps.length ? { perStep: steps } : {}) } };
  },
  forTerminal(r, t: Terminal, a) {
    t.expectFields(ERROR_FIELDS);
    const withErrors = r.counts.filter((c) => c.open > 0);
    if (!t.jsonMode && t.isTTY && withErrors.length) {
      t.print(t.c.bold(`Open errors by step${r.range ? ` (${r.range})` : ''}`));
      t.print(t.table(withErrors, ['flow', 'step', 'open', 'lastErrorAt']) + '\n');
    }
    t.list(r.errors, { noun: a.resolved ? 'resolved errors' : 'open errors', fields: ERROR_FIELDS, columns: ['occurredAt', 'flow', 'step', 'code', 'message', 'errorId'], limit: terminalLimit(a.limit) });
  },
});

const retryErrorsOp = defineOperation({
  name: 'retry_errors',
  toolset: 'errors',
  title: 'Retry errors',
  description: 'Retry chosen open errors of one flow: by id, step, or all. Across flows: retry_failed_jobs.',
  input: {
    flow: idOrName('Flow'),
    step: optionalIdOrName('Step'),
    errorIds: z.array(z.string()).optional().describe('errorId values, e.g. ["812a…"]'),
    all: z.boolean().optional().describe('Every open error of the flow (or step)'),
    force,
    confirm,
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  cli: {
    noun: 'errors',
    verb: 'retry',
    summary: 'Retry open errors of a flow: all of them, one step\'s, or chosen error ids',
    details:
      'Without --id it retries every open error of the flow (or of the step given by --step); with --id, only those errors. ' +
      'It asks first on a production profile, or when the errors belong to more than one job (--yes to skip). ' +
      'To retry the failed jobs of an integration or a time range: jobs retry-failed.',
    flags: { flow: CLI_FLOW, step: { flags: '--step <step>', description: 'Only this step (export or import id or name)' }, errorIds: { flags: '--id <errorId>', description: 'Retry only this error (repeatable)' }, force: FORCE_FLAG },
    // At a terminal, no --id means every open error of the flow or step.
    fixed: { all: true },
    terminalFlags: WAIT_FLAGS,
    examples: [
      'errors retry --flow "Shopify Customers to NetSuite"',
      'errors retry --flow "Shopify Customers to NetSuite" --step "Upsert NetSuite customers from Shopify" --yes',
      'errors retry --flow "Shopify Customers to NetSuite" --id 812a… --id 812b… --wait',
    ],
  },
  run: async (ctx, a) => startRetry(ctx, await flowErrorsRetry(ctx, { flow: a.flow, step: a.step, errorIds: a.errorIds, all: a.all, force: a.force })),
  forModel: retryForModel,
  forTerminal: retryForTerminal,
  outcome: retryOutcome,
  next: retryNextSteps,
});

/** The report as both front ends show it (its next steps are written out by the front end). */
function clearView(r: ClearReport): Record<string, unknown> {
  const { next: _next, ...rest } = r;
  return rest;
}

function clearForTerminal(r: ClearReport, t: Terminal): void {
  if (t.jsonMode) {
    t.object(clearView(r));
    return;
  }
  const { next: _next, summary, outcome, flows, ...rest } = r;
  t.print(`${outcomeMark(outcome ?? 'ok', t.c)} ${summary}\n\n`);
  // One row per step with its count (each flow's steps would otherwise be a JSON cell).
  const steps = flows.flatMap((f) => f.steps.map((s) => ({ flow: f.name, flowId: f.flowId, stepId: s.stepId, errors: s.count })));
  t.object({ ...rest, steps });
}

const clearErrorsOp = defineOperation({
  name: 'clear_errors',
  toolset: 'errors',
  title: 'Clear errors',
  description: 'Resolve open errors without retrying them (resolved errors cannot be retried), or purge resolved ones.',
  input: {
    integration: optionalIdOrName('Integration'),
    flow: optionalIdOrName('Flow'),
    step: optionalIdOrName('Step'),
    range: rangeArg(),
    pattern: z.string().optional().describe('Error code or message text, e.g. "DUP_RECORD"'),
    state: z.enum(['open', 'resolved']).optional().describe('open (default): resolve them; resolved: purge them'),
    scope: accountScope(),
    confirm,
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  cli: {
    noun: 'errors',
    verb: 'clear',
    summary: 'Resolve open errors (or purge resolved ones) by scope, time range and pattern',
    details: 'Shows what it will clear and asks first; without a terminal it needs --yes. Cleared errors cannot be retried afterwards.',
    flags: {
      integration: CLI_INTEGRATION,
      flow: CLI_FLOW,
      step: CLI_STEP,
      range: CLI_RANGE,
      pattern: CLI_PATTERN,
      state: { description: 'open: resolve open errors (default); resolved: purge resolved ones' },
      scope: { description: 'account: the whole account (needed when neither --integration nor --flow is given)' },
    },
    examples: [
      'errors clear --flow "Salesforce Accounts to NetSuite Customers" --pattern INVALID_LOGIN',
      'errors clear --integration "Shopify - NetSuite Orders" --range "last week" --yes',
      'errors clear --flow "Shopify Customers to NetSuite" --state resolved --yes',
    ],
  },
  run: (ctx, a) => clearErrors(ctx, { integration: a.integration, flow: a.flow, step: a.step, range: a.range, pattern: a.pattern, state: a.state, scope: a.scope }),
  forModel: (r) => ({ text: `${r.summary}\n${json(clearView(r))}`, structured: clearView(r) }),
  forTerminal: clearForTerminal,
});

export const errorOperations: Operation[] = [entry(listErrorsOp), entry(retryErrorsOp), entry(clearErrorsOp)];
