// Clearing errors by scope, time range and pattern (issue 4 item 4): resolve open errors, or purge resolved
// ones. Previews what it will touch and asks first.
import { CeligoApiError } from '../core/errors.js';
import { enc } from '../core/resource.js';
import type { OpContext } from './context.js';
import { makePlan, mustConfirm } from './confirm.js';
import { groupErrors } from './patterns.js';
import { mapPool } from './pool.js';
import type { NextStep, Outcome } from './outcome.js';
import { byStep, requireExplicitScope, scanErrors, type ErrorScope } from './scan.js';
import { chunk, plural, report } from './util.js';

const BATCH = 500;

export interface ClearReport {
  state: 'open' | 'resolved';
  scope: string;
  matched: number;
  /** Errors resolved (state open) or purged (state resolved). */
  cleared: number;
  failed: number;
  /** Per step, the errors that could not be resolved (still open), with their ids to follow up. */
  notCleared?: { flowId: string; flowName: string; stepId: string; errorIds: string[]; reason: string }[];
  flows: { flowId: string; name: string; steps: { stepId: string; count: number }[] }[];
  patterns: { pattern: string; count: number; cause: string }[];
  /** Purging resolved errors is not available on this API (DELETE …/resolved is unconfirmed, celigo-api.md §7.2). */
  unsupported?: boolean;
  failures: string[];
  summary: string;
  /** How it ended (clearOutcome), when not ok. */
  outcome?: Outcome;
  /** What to do next. */
  next: NextStep[];
}

/**
 * The verdict of a clear: nothing (nothing matched, or the API cannot purge), failed (none cleared),
 * partial (some left), ok (every matched error cleared).
 */
export function clearOutcome(r: Pick<ClearReport, 'matched' | 'cleared' | 'failed' | 'unsupported'>): Outcome {
  if (r.matched === 0) return 'nothing';
  if (r.cleared === 0) return r.unsupported ? 'nothing' : 'failed';
  return r.failed > 0 || r.unsupported ? 'partial' : 'ok';
}

/** The report with its verdict, and the same clear again as the next step when errors were left. */
function judged(r: Omit<ClearReport, 'outcome' | 'next'>, scope: ErrorScope): ClearReport {
  const outcome = clearOutcome(r);
  const args = Object.fromEntries(Object.entries(scope).filter(([, v]) => v !== undefined && v !== ''));
  const next = r.failed > 0 ? [{ op: 'clear_errors', args, why: 'finish: it only touches what is left' }] : [];
  return { ...r, ...(outcome === 'ok' ? {} : { outcome }), next };
}

export async function clearErrors(ctx: OpContext, input: ErrorScope): Promise<ClearReport> {
  const { api, signal } = ctx;
  const state = input.state ?? 'open';
  requireExplicitScope(input, state === 'open' ? 'Resolving errors' : 'Purging resolved errors');
  const scan = await scanErrors(ctx, { ...input, state });
  const steps = [...byStep(scan.errors).values()];
  const flows = [...new Set(steps.map((s) => s.flowId))].map((flowId) => ({
    flowId,
    name: scan.flows.get(flowId)?.name ?? flowId,
    steps: steps.filter((s) => s.flowId === flowId).map((s) => ({ stepId: s.stepId, count: s.errors.length })),
  }));
  const groups = groupErrors(scan.errors);
  const patterns = groups.slice(0, 10).map((g) => ({ pattern: g.pattern, count: g.count, cause: g.causeLabel }));
  const verb = state === 'open' ? 'Resolve' : 'Purge';
  const base = { state, scope: scan.label, matched: scan.errors.length, flows, patterns };
  if (scan.errors.length === 0) {
    return judged({ ...base, cleared: 0, failed: 0, notCleared: [], failures: [], summary: `No ${state} errors match (${scan.label}); nothing to do.` }, input);
  }
  const details = [
    ...flows.slice(0, 15).map((f) => `${f.name}: ${plural(f.steps.reduce((n, s) => n + s.count, 0), 'error')} in ${plural(f.steps.length, 'step')}`),
    ...patterns.slice(0, 8).map((p) => `${p.count}x ${p.pattern}`),
  ];
  await mustConfirm(ctx, makePlan(`${verb} ${plural(scan.errors.length, `${state} error`)} (${scan.label})`, details, steps.map((s) => [s.flowId, s.stepId, s.errors.map((e) => e.errorId)])), 'destructive');

  let cleared = 0;
  let failed = 0;
  let done = 0;
  let unsupported = false;
  const failures: string[] = [];
  const notCleared: NonNullable<ClearReport['notCleared']> = [];
  const total = scan.errors.length;
  await mapPool(steps, 4, async (s) => {
    for (const part of chunk(s.errors.map((e) => String(e.errorId)), BATCH)) {
      if (unsupported) return;
      signal?.throwIfAborted();
      try {
        if (state === 'open') await api.errors.resolve(s.flowId, s.stepId, part, { signal });
        else await api.http.request('DELETE', `/flows/${enc(s.flowId)}/${enc(s.stepId)}/resolved`, { body: { errors: part }, signal });
        cleared += part.length;
      } catch (err) {
        // The flow and step exist (we just read their errors), so 404/405 on the purge means no such endpoint.
        if (state === 'resolved' && err instanceof CeligoApiError && (err.status === 404 || err.status === 405)) {
          unsupported = true;
          return;
        }
        if (signal?.aborted) throw err;
        failed += part.length;
        const flowName = scan.flows.get(s.flowId)?.name ?? s.flowId;
        const reason = err instanceof CeligoApiError ? err.summary : (err as Error).message;
        notCleared.push({ flowId: s.flowId, flowName, stepId: s.stepId, errorIds: part, reason });
        failures.push(`${flowName} step ${s.stepId}: ${plural(part.length, 'error')} NOT ${state === 'open' ? 'resolved (still open)' : 'purged'}: ${reason}`);
      }
      done += part.length;
      await report(ctx, done, total, `${verb.toLowerCase()}d ${done} of ${total}`);
    }
  }, signal);

  if (unsupported) {
    return judged({
      ...base,
      cleared,
      failed,
      unsupported: true,
      notCleared,
      failures,
      summary:
        `This API does not offer purging resolved errors (DELETE …/resolved answered "not found"), so ${cleared ? `only ${cleared} were purged` : 'nothing was purged'}. ` +
        'Resolved errors no longer count as open and integrator.io removes them on its own schedule; nothing else needs doing.',
    }, input);
  }
  const summary =
    `${state === 'open' ? 'Resolved' : 'Purged'} ${failed ? `${cleared} of ${total} errors` : plural(cleared, 'error')} in ${plural(flows.length, 'flow')} (${scan.label})` +
    (failed
      ? `; ${failed} NOT ${state === 'open' ? 'resolved (still open)' : 'purged'} in ${plural(notCleared.length, 'step')}: ${notCleared.slice(0, 5).map((n) => `${n.flowName} step ${n.stepId}`).join(', ')}. ` +
        'Clearing the same scope again finishes (it only touches what is left); notCleared has their errorIds'
      : '') +
    '.';
  return judged({ ...base, cleared, failed, notCleared, failures, summary }, input);
}
