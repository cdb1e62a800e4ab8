// Reads of flow-step errors: per-step open counts and the errors of a flow or an integration.
import type { OpContext } from '../context.js';
import type { Flow } from '../../core/schemas.js';
import { flowSteps } from '../../core/flows.js';
import { UsageError } from '../../core/errors.js';
import { mapPool, readWidth } from '../pool.js';
import { resolveIntegration, resolveFlow } from '../resolve.js';
import { rangeFilters, rangeOf, rangeText } from '../timerange.js';
import { compact } from '../project.js';

export interface ErrorRow {
  flow: string;
  flowId: string;
  stepId: string;
  step?: string;
  errorId: string;
  occurredAt: string;
  code?: string;
  message?: string;
  source?: string;
  retryDataKey?: string;
  jobId?: string;
  [k: string]: unknown;
}
export const ERROR_FIELDS = ['flow', 'flowId', 'stepId', 'step', 'errorId', 'occurredAt', 'code', 'message', 'source', 'retryDataKey', 'jobId'] as const;

/** Open (or resolved) errors of a flow or an integration: per-step counts and the errors themselves. */
export async function listErrors(
  ctx: OpContext,
  q: { integration?: string; flow?: string; range?: string; resolved?: boolean; source?: string },
) {
  const { api, signal } = ctx;
  if (!q.integration && !q.flow) throw new UsageError('Give an integration or a flow (id or name) whose errors to list.');
  const range = q.range ? rangeOf(ctx, q.range) : undefined;
  let flows: Flow[];
  if (q.flow) flows = [await resolveFlow(api, q.flow)];
  else flows = await api.integrations.flows((await resolveIntegration(api, q.integration!))._id, { signal });
  const stepNames = new Map<string, string>();
  const counts: { flow: string; flowId: string; stepId: string; step?: string; open: number; lastErrorAt?: string }[] = [];
  const work: { flow: Flow; stepId: string }[] = [];
  await mapPool(flows, readWidth(ctx), async (f) => {
    const summary = await api.flows.errorSummary(f._id, { signal });
    for (const s of summary) {
      counts.push(compact({ flow: f.name, flowId: f._id, stepId: s._expOrImpId, open: s.numError, lastErrorAt: s.lastErrorAt }));
      if (q.resolved || s.numError > 0) work.push({ flow: f, stepId: s._expOrImpId });
    }
  }, signal);
  const rows: ErrorRow[] = [];
  await mapPool(work, readWidth(ctx), async ({ flow, stepId }) => {
    const filters = { ...rangeFilters(range, 'occurredAt'), source: q.source };
    const errs = q.resolved
      ? await api.errors.listResolved(flow._id, stepId, filters, { signal })
      : await api.errors.listOpen(flow._id, stepId, filters, { signal });
    for (const e of errs) {
      rows.push(
        compact({
          flow: flow.name,
          flowId: flow._id,
          stepId,
          errorId: e.errorId,
          occurredAt: e.occurredAt,
          code: e.code,
          message: e.message,
          source: e.source,
          retryDataKey: e.retryDataKey,
          jobId: e._flowJobId,
        }) as ErrorRow,
      );
    }
  }, signal);
  // Step names only for steps that have errors: one GET each, in parallel.
  const kinds = new Map(flows.flatMap((f) => flowSteps(f).map((st) => [st.id, st.kind] as const)));
  const stepIds = [...new Set(rows.map((r) => r.stepId))];
  await mapPool(stepIds, readWidth(ctx), async (id) => {
    const doc = kinds.get(id) === 'import' ? await api.imports.get(id, { signal }) : await api.exports.get(id, { signal });
    stepNames.set(id, doc.name);
  }, signal);
  for (const r of rows) r.step = stepNames.get(r.stepId);
  for (const c of counts) c.step = stepNames.get(c.stepId);
  rows.sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  return { counts: counts.filter((c) => c.open > 0 || q.flow), errors: rows, range: range && rangeText(range) };
}
