// Open-error counts per step, per flow and per integration (celigo-api.md §7.6).
import { iso } from './clock.js';
import type { ErrRec } from './flow-errors.js';
import { flowSteps } from './flow-steps.js';
import type { Rec, Store } from './store.js';
import { parseDateParam } from './validate.js';

export interface ErrorFilter {
  from?: number;
  to?: number;
  source?: string;
}

export function passes(e: ErrRec, f: ErrorFilter): boolean {
  return (f.from === undefined || e.at >= f.from) && (f.to === undefined || e.at <= f.to) && (!f.source || e.pattern.source === f.source);
}

export function stepCounts(store: Store, flowId: string, stepId: string, f: ErrorFilter = {}): { numError: number; lastErrorAt?: number } {
  const open = store.errors.step(flowId, stepId)?.open ?? [];
  let n = 0;
  let last: number | undefined;
  for (const e of open) {
    if (!passes(e, f)) continue;
    n++;
    if (last === undefined || e.at > last) last = e.at;
  }
  return { numError: n, lastErrorAt: last };
}

export function flowErrorSummary(store: Store, flow: Rec, f: ErrorFilter = {}): { _expOrImpId: string; numError: number; lastErrorAt?: string }[] {
  const seen = new Set<string>();
  const out: { _expOrImpId: string; numError: number; lastErrorAt?: string }[] = [];
  for (const s of flowSteps(flow)) {
    if (seen.has(s.stepId)) continue;
    seen.add(s.stepId);
    const c = stepCounts(store, flow._id, s.stepId, f);
    out.push(c.numError > 0 && c.lastErrorAt !== undefined ? { _expOrImpId: s.stepId, numError: c.numError, lastErrorAt: iso(c.lastErrorAt) } : { _expOrImpId: s.stepId, numError: 0 });
  }
  return out;
}

export function flowTotals(store: Store, flow: Rec, f: ErrorFilter = {}): { numError: number; lastErrorAt?: number } {
  let n = 0;
  let last: number | undefined;
  const steps = store.errors.stepsOf(flow._id);
  if (!steps) return { numError: 0 };
  for (const stepId of steps.keys()) {
    const c = stepCounts(store, flow._id, stepId, f);
    n += c.numError;
    if (c.lastErrorAt !== undefined && (last === undefined || c.lastErrorAt > last)) last = c.lastErrorAt;
  }
  return { numError: n, lastErrorAt: last };
}

/** occurredAt_gte / occurredAt_lte / source from a query string. */
export function errorFilterFromQuery(q: URLSearchParams): ErrorFilter {
  const gte = q.get('occurredAt_gte');
  const lte = q.get('occurredAt_lte');
  return {
    from: gte ? parseDateParam('occurredAt_gte', gte, 'invalid_query_params') : undefined,
    to: lte ? parseDateParam('occurredAt_lte', lte, 'invalid_query_params') : undefined,
    source: q.get('source') ?? undefined,
  };
}
