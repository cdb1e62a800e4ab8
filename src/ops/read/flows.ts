// Reads of flows: the list with open-error counts, and one flow with its steps, connections and mappings.
import type { OpContext } from '../context.js';
import type { Flow, Export, Import } from '../../core/schemas.js';
import { flowSteps } from '../../core/flows.js';
import { mapPool, readWidth } from '../pool.js';
import { resolveIntegration, resolveFlow } from '../resolve.js';
import { compact } from '../project.js';
import { containsText, filterText, INTEGRATION_REF } from './filter.js';
import { mappingOf } from '../mapping/formats.js';

export interface FlowRow {
  id: string;
  name: string;
  integration?: string;
  integrationId?: string;
  enabled: boolean;
  schedule?: string;
  lastRun?: string;
  openErrors?: number;
  [k: string]: unknown;
}
export const FLOW_FIELDS = ['id', 'name', 'integration', 'integrationId', 'enabled', 'schedule', 'lastRun', 'openErrors'] as const;

/** Flows with open-error counts from one summary call per integration (not one per flow). */
/**
 * The flows (by integration, enabled state, name) with their open errors: one request per integration (and
 * per standalone flow), so only for the rows `errorsFor` says will be shown when given (the others have none).
 */
export async function listFlows(ctx: OpContext, q: { integration?: string; enabled?: boolean; name?: string; errorsFor?: { offset: number; count: number } } = {}): Promise<FlowRow[]> {
  const { api, signal } = ctx;
  const integration = filterText(q.integration, 'integration', INTEGRATION_REF, 'the whole account');
  const name = containsText(q.name, 'name', 'flow', 'orders');
  let flows: Flow[];
  let integrations: { _id: string; name: string }[];
  if (integration !== undefined) {
    const i = await resolveIntegration(api, integration);
    integrations = [i];
    flows = await api.integrations.flows(i._id, { signal });
  } else {
    [flows, integrations] = await Promise.all([api.flows.list({}, { signal }), api.integrations.list({}, { signal })]);
  }
  if (q.enabled !== undefined) flows = flows.filter((f) => !f.disabled === q.enabled);
  if (name !== undefined) flows = flows.filter((f) => f.name.toLowerCase().includes(name));
  const names = new Map(integrations.map((i) => [i._id, i.name]));
  const open = new Map<string, number>();
  const counted = q.errorsFor ? flows.slice(q.errorsFor.offset, q.errorsFor.offset + q.errorsFor.count) : flows;
  const integrationIds = [...new Set(counted.map((f) => f._integrationId).filter((x): x is string => !!x))];
  await mapPool(integrationIds, readWidth(ctx), async (id) => {
    for (const s of await api.integrations.errorSummary(id, {}, { signal })) open.set(s._flowId, s.numError);
  }, signal);
  const standalone = counted.filter((f) => !f._integrationId);
  await mapPool(standalone, readWidth(ctx), async (f) => {
    open.set(f._id, (await api.flows.errorSummary(f._id, { signal })).reduce((n, s) => n + s.numError, 0));
  }, signal);
  const shown = new Set(counted);
  return flows.map((f) =>
    compact({
      id: f._id,
      name: f.name,
      integration: f._integrationId ? names.get(f._integrationId) : undefined,
      integrationId: f._integrationId,
      enabled: !f.disabled,
      schedule: f.schedule,
      lastRun: typeof f.lastExecutedAt === 'string' ? f.lastExecutedAt : undefined,
      openErrors: shown.has(f) ? (open.get(f._id) ?? 0) : undefined,
    }) as FlowRow,
  );
}

export interface StepDetail {
  id: string;
  kind: 'export' | 'import';
  role: 'source' | 'processor';
  name?: string;
  adaptorType?: string;
  connection?: string;
  connectionId?: string;
  openErrors: number;
  mapping?: unknown;
  mappingFormat?: 'mapper1' | 'mapper2';
}

/** A flow with its steps, their exports/imports, connections and mappings. */
export async function getFlow(ctx: OpContext, idOrName: string) {
  const { api, signal } = ctx;
  const flow = await resolveFlow(api, idOrName);
  const steps = flowSteps(flow);
  const [summary, connections] = await Promise.all([api.flows.errorSummary(flow._id, { signal }), api.connections.list({}, { signal })]);
  const connName = new Map(connections.map((c) => [c._id, c.name]));
  const open = new Map(summary.map((s) => [s._expOrImpId, s.numError]));
  const details: StepDetail[] = await mapPool(steps, readWidth(ctx), async (s) => {
    const doc: Export | Import = s.kind === 'export' ? await api.exports.get(s.id, { signal }) : await api.imports.get(s.id, { signal });
    const connId = typeof doc._connectionId === 'string' ? doc._connectionId : undefined;
    const m = s.kind === 'import' ? mappingOf(doc as Import) : {};
    return compact({
      id: s.id,
      kind: s.kind,
      role: s.role,
      name: doc.name,
      adaptorType: doc.adaptorType,
      connection: connId ? connName.get(connId) : undefined,
      connectionId: connId,
      openErrors: open.get(s.id) ?? 0,
      mappingFormat: m.format,
      mapping: m.mapping,
    }) as StepDetail;
  }, signal);
  return {
    flow: compact({
      id: flow._id,
      name: flow.name,
      integrationId: flow._integrationId,
      enabled: !flow.disabled,
      schedule: flow.schedule,
      timezone: typeof flow.timezone === 'string' ? flow.timezone : undefined,
      lastRun: typeof flow.lastExecutedAt === 'string' ? flow.lastExecutedAt : undefined,
      lastModified: flow.lastModified,
    }),
    steps: details,
  };
}
