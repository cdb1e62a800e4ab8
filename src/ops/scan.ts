// Finding open (or resolved) errors in a scope with few requests: error summaries per integration and
// per flow first (which steps have errors), then the error lists of just those steps (celigo-api.md §7.6).
import { UsageError } from '../core/errors.js';
import { flowSteps } from '../core/flows.js';
import type { Flow, Integration } from '../core/schemas.js';
import type { OpContext } from './context.js';
import { matchesPattern, type ScopedError } from './patterns.js';
import { mapPool, readWidth } from './pool.js';
import { MIN_PARTIAL, resolveFlow, resolveIntegration } from './resolve.js';
import { rangeFilters, rangeOf, rangeText, type TimeRange } from './timerange.js';
import { emptyArgument, truncate } from './util.js';

export interface ErrorScope {
  integration?: string;
  flow?: string;
  /** Export or import of the flow, by id or name (needs `flow`). */
  step?: string;
  range?: string;
  pattern?: string;
  state?: 'open' | 'resolved';
  /** "account": the whole account, said explicitly (a mass action with no integration or flow needs it). */
  scope?: 'account';
}

const SCOPE_KEYS = ['integration', 'flow', 'step', 'range', 'pattern'] as const;

/**
 * A scope argument that is given must say something: an empty or blank value is an error, never "no
 * filter", because a filter that silently disappears widens the action to the whole account.
 */
export function checkScopeValues(scope: Partial<Record<(typeof SCOPE_KEYS)[number], unknown>>): void {
  for (const k of SCOPE_KEYS) {
    const v = scope[k];
    if (v !== undefined && (typeof v !== 'string' || v.trim() === '')) {
      throw emptyArgument(k);
    }
  }
}

/**
 * An action on many errors names where it acts (an integration or a flow), or says `scope: "account"`
 * for the whole account. Nothing else widens it to everything.
 */
export function requireExplicitScope(scope: ErrorScope, action: string): void {
  checkScopeValues(scope);
  if (scope.integration || scope.flow || scope.scope === 'account') return;
  throw new UsageError(
    `${action} needs a scope: give an integration or a flow (the range and pattern narrow it further), or scope "account" (at a terminal: --scope account) to act on the whole account.`,
  );
}

export interface ScanResult {
  errors: ScopedError[];
  flows: Map<string, Flow>;
  range?: TimeRange;
  /** Errors read before the pattern filter. */
  scanned: number;
  label: string;
}


/** The export or import of a flow named by id or (case-insensitive) name. */
export async function resolveStep(ctx: OpContext, flow: Flow, q: string): Promise<{ id: string; kind: 'export' | 'import'; name: string }> {
  const steps = flowSteps(flow);
  const nameOf = async (s: { id: string; kind: 'export' | 'import' }) =>
    (s.kind === 'export' ? await ctx.api.exports.get(s.id, { signal: ctx.signal }) : await ctx.api.imports.get(s.id, { signal: ctx.signal })).name;
  const byId = steps.find((s) => s.id === q.trim());
  if (byId) return { id: byId.id, kind: byId.kind, name: await nameOf(byId) };
  const named = await Promise.all(steps.map(async (s) => ({ ...s, name: await nameOf(s) })));
  const lc = q.trim().toLowerCase();
  const hits = named.filter((s) => s.name.toLowerCase() === lc);
  // As names of integrations and flows (resolve.ts): part of a name picks a step only when it is long enough to mean one.
  const matches = hits.length ? hits : lc.length >= MIN_PARTIAL ? named.filter((s) => s.name.toLowerCase().includes(lc)) : [];
  if (matches.length === 1) return matches[0];
  const all = named.map((s) => `${s.name} (${s.kind} ${s.id})`);
  if (!matches.length) throw new UsageError(`Flow "${flow.name}" has no step "${q}". Its steps: ${all.join('; ')}.`, all);
  throw new UsageError(`"${q}" matches ${matches.length} steps of flow "${flow.name}": ${matches.map((s) => `${s.name} (${s.id})`).join('; ')}. Give the id.`, all);
}

/** Flows in scope with the ids of their steps that have open errors (from the summaries). */
async function flowsWithOpenErrors(ctx: OpContext, scope: ErrorScope, integ: Integration | undefined, range: TimeRange | undefined): Promise<{ flow: Flow; steps?: string[] }[]> {
  const { api, signal } = ctx;
  const q = rangeFilters(range, 'occurredAt');
  if (scope.flow) return [{ flow: await resolveFlow(api, scope.flow) }];
  let flows: Flow[];
  let withErrors: Set<string>;
  if (integ) {
    const [summary, list] = await Promise.all([api.integrations.errorSummary(integ._id, q, { signal }), api.integrations.flows(integ._id, { signal })]);
    flows = list;
    withErrors = new Set(summary.filter((s) => s.numError > 0).map((s) => s._flowId));
  } else {
    const [integs, list] = await Promise.all([api.integrations.list({}, { signal }), api.flows.list({}, { signal })]);
    flows = list;
    const sums = await mapPool(integs, readWidth(ctx), (i) => api.integrations.errorSummary(i._id, q, { signal }), signal);
    withErrors = new Set(sums.flat().filter((s) => s.numError > 0).map((s) => s._flowId));
    // Flows outside any integration have no integration summary: they are checked one by one.
    for (const f of list) if (!f._integrationId) withErrors.add(f._id);
  }
  return flows.filter((f) => withErrors.has(f._id)).map((flow) => ({ flow }));
}

/**
 * Errors in a scope (an integration, a flow, a step, or the whole account), within a time range and
 * matching a pattern. Open errors come from the steps the summaries say have errors; resolved errors
 * from every step in scope.
 */
export async function scanErrors(ctx: OpContext, scope: ErrorScope, opts: { defaultRange?: string } = {}): Promise<ScanResult> {
  const { api, signal } = ctx;
  const state = scope.state ?? 'open';
  checkScopeValues(scope);
  if (scope.step && !scope.flow) throw new UsageError('A step needs its flow: pass flow as well as step.');
  const range = scope.range || opts.defaultRange ? rangeOf(ctx, scope.range, opts.defaultRange) : undefined;
  const filters = rangeFilters(range, 'occurredAt');
  const flows = new Map<string, Flow>();
  let targets: { flow: Flow; stepId: string }[] = [];
  // The integration as found (by id, name or part of its name): its own name is what the label, and so
  // the confirmation of a change, shows.
  const integ = scope.integration && !scope.flow ? await resolveIntegration(api, scope.integration) : undefined;
  /** The step as found, likewise (a step needs its flow: one flow, one step). */
  let stepName: string | undefined;
  const stepOf = async (f: Flow, q: string) => {
    const st = await resolveStep(ctx, f, q);
    stepName = st.name;
    return st.id;
  };

  if (state === 'resolved') {
    const list = scope.flow
      ? [await resolveFlow(api, scope.flow)]
      : integ
        ? await api.integrations.flows(integ._id, { signal })
        : await api.flows.list({}, { signal });
    for (const f of list) {
      flows.set(f._id, f);
      const stepIds = scope.step ? [await stepOf(f, scope.step)] : [...new Set(flowSteps(f).map((s) => s.id))];
      for (const id of stepIds) targets.push({ flow: f, stepId: id });
    }
  } else {
    const candidates = await flowsWithOpenErrors(ctx, scope, integ, range);
    const per = await mapPool(candidates, readWidth(ctx), async ({ flow }) => {
      flows.set(flow._id, flow);
      if (scope.step) return [{ flow, stepId: await stepOf(flow, scope.step) }];
      const summary = await api.flows.errorSummary(flow._id, { signal });
      return summary.filter((s) => s.numError > 0).map((s) => ({ flow, stepId: s._expOrImpId }));
    }, signal);
    targets = per.flat();
  }

  const lists = await mapPool(targets, readWidth(ctx), async ({ flow, stepId }) => {
    const rows = state === 'resolved'
      ? await api.errors.listResolved(flow._id, stepId, filters, { signal })
      : await api.errors.listOpen(flow._id, stepId, filters, { signal });
    return rows.map((e) => ({ ...e, flowId: flow._id, stepId }) as ScopedError);
  }, signal);
  const all = lists.flat();
  const errors = all.filter((e) => matchesPattern(scope.pattern, e));
  const parts = [
    scope.flow ? `flow ${[...flows.values()][0]?.name ?? scope.flow}` : integ ? `integration ${integ.name}` : 'all integrations',
    scope.step ? `step ${stepName ?? scope.step}` : undefined,
    range ? rangeText(range) : undefined,
    // The label is repeated in summaries: a long pattern is cut (it is matched in full).
    scope.pattern ? `matching "${truncate(scope.pattern, 80)}"` : undefined,
  ].filter(Boolean);
  return { errors, flows, range, scanned: all.length, label: parts.join(', ') };
}

/** Errors grouped by flow and step, for previews and batches. */
export function byStep(errors: readonly ScopedError[]): Map<string, { flowId: string; stepId: string; errors: ScopedError[] }> {
  const out = new Map<string, { flowId: string; stepId: string; errors: ScopedError[] }>();
  for (const e of errors) {
    const k = `${e.flowId}/${e.stepId}`;
    let g = out.get(k);
    if (!g) out.set(k, (g = { flowId: e.flowId!, stepId: e.stepId!, errors: [] }));
    g.errors.push(e);
  }
  return out;
}
