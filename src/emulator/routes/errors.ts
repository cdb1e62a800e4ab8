// Errors of one flow step: /flows/{flowId}/{stepId}/errors|resolved|retry (celigo-api.md §7). The path has no
// exports/ or imports/ segment (§7.1). Pages hold config.errorsPageSize errors, newest first; `nextPageURL`
// is a relative /v1 URL with a `cursor` parameter, present only when more pages exist (§1.7: format unknown).
import { resolveErrorsBody, retryErrorsBody } from '../../core/schemas.js';
import { type ErrRec, renderError } from '../flow-errors.js';
import { type FlowStep, flowSteps } from '../flow-steps.js';
import { retryDataKey } from '../ids.js';
import { renderJob } from '../job-table.js';
import { startRetry } from '../jobs.js';
import { ApiError, type Reply } from '../respond.js';
import type { Ctx, RouteDef } from '../router.js';
import type { Rec } from '../store.js';
import { errorFilterFromQuery, passes } from '../summaries.js';
import { parseIntParam, validateBody } from '../validate.js';
import { otherForm } from '../config.js';
import { getOr404 } from './resources.js';

function flowAndStep(ctx: Ctx): { flow: Rec; step: FlowStep } {
  const flow = getOr404(ctx.store, 'flows', ctx.params.id, 'Flow');
  const step = flowSteps(flow).find((s) => s.stepId === ctx.params.stepId);
  if (!step) throw new ApiError(404, 'not_found', `Step ${ctx.params.stepId} is not an export or import of this flow.`);
  return { flow, step };
}

function encodeCursor(e: ErrRec): string {
  return Buffer.from(`${e.at}:${e.id}`).toString('base64url');
}

function decodeCursor(c: string): { at: number; id: number } {
  const m = /^(\d+):(\d+)$/.exec(Buffer.from(c, 'base64url').toString());
  if (!m) throw new ApiError(400, 'invalid_query_params', 'Invalid cursor.', 'cursor');
  return { at: Number(m[1]), id: Number(m[2]) };
}

function page(ctx: Ctx, resolved: boolean): Reply {
  const { flow, step } = flowAndStep(ctx);
  const f = errorFilterFromQuery(ctx.query);
  const cursorQ = ctx.query.get('cursor');
  const cursor = cursorQ ? decodeCursor(cursorQ) : undefined;
  const limitQ = ctx.query.get('limit');
  const size = Math.min(ctx.config.errorsPageSize, limitQ ? parseIntParam('limit', limitQ, 1) : Infinity);
  const bucket = ctx.store.errors.step(flow._id, step.stepId);
  const list = resolved ? bucket?.sortedResolved() ?? [] : bucket?.sortedOpen() ?? [];
  const out: Record<string, unknown>[] = [];
  let last: ErrRec | undefined;
  let more = false;
  for (let i = list.length - 1; i >= 0; i--) {
    const e = list[i];
    if (cursor && (e.at > cursor.at || (e.at === cursor.at && e.id >= cursor.id))) continue;
    if (!passes(e, f)) continue;
    if (out.length === size) {
      more = true;
      break;
    }
    out.push(renderError(e, resolved));
    last = e;
  }
  // Resolved errors come under `resolved` (celigo-api.md W3); the other form keeps the older `errors`.
  const key = resolved && !otherForm(ctx.config, 'resolved-key') ? 'resolved' : 'errors';
  const body: Record<string, unknown> = { [key]: out };
  if (more && last) {
    const q = new URLSearchParams(ctx.query);
    q.set('cursor', encodeCursor(last));
    const rel = `/v1/flows/${flow._id}/${step.stepId}/${resolved ? 'resolved' : 'errors'}?${q.toString()}`;
    body.nextPageURL = otherForm(ctx.config, 'errors-next-page') ? `${ctx.origin}${rel}` : rel;
  }
  return { status: 200, body, mask: false };
}

export const errorRoutes: RouteDef[] = [
  { method: 'GET', path: '/flows/:id/:stepId/errors', handler: (ctx) => page(ctx, false), note: 'filters occurredAt_gte/_lte, source; nextPageURL with a cursor' },
  { method: 'GET', path: '/flows/:id/:stepId/resolved', handler: (ctx) => page(ctx, true), note: '{resolved:[…], nextPageURL?} (W3), plus resolvedAt/resolvedBy' },
  {
    method: 'PUT',
    path: '/flows/:id/:stepId/resolved',
    note: 'body {errors:[errorId]} (§11) -> 204; unknown ids are ignored',
    handler: (ctx) => {
      const { flow, step } = flowAndStep(ctx);
      const body = validateBody(resolveErrorsBody, ctx.body);
      const ids = new Set(body.errors.map(String));
      const which = new Set((ctx.store.errors.step(flow._id, step.stepId)?.open ?? []).filter((e) => ids.has(String(e.id))));
      ctx.store.errors.resolve(flow._id, step.stepId, which, ctx.now, ctx.caller.userId);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/flows/:id/:stepId/retry',
    note: 'body {retryDataKeys} or {errorIds} -> 200 a queued job of type "retry" (§7.5 best guess); resolved errors are ignored',
    handler: (ctx) => {
      const { flow, step } = flowAndStep(ctx);
      const body = validateBody(retryErrorsBody, ctx.body);
      const open = ctx.store.errors.step(flow._id, step.stepId)?.open ?? [];
      let errs: ErrRec[];
      if ('retryDataKeys' in body) {
        const keys = new Set(body.retryDataKeys);
        errs = open.filter((e) => keys.has(retryDataKey(e.id)));
      } else {
        const ids = new Set(body.errorIds.map(String));
        errs = open.filter((e) => ids.has(String(e.id)));
      }
      errs = errs.filter((e) => !e.retryJobId);
      const job = startRetry(ctx.store, flow, step, errs, ctx.caller.userId, ctx.now);
      return { status: 200, body: renderJob(job), mask: false };
    },
  },
];

