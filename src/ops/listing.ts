// The read side of the product: lists and details projected to the fields people need.
// Both front ends (MCP tools, CLI) call these; neither formats anything here.
import type { OpContext } from './context.js';
import type { Flow, Job, Connection, Export, Import, FlowStepError } from '../core/schemas.js';
import { flowSteps } from '../core/flows.js';
import { mapPool } from './pool.js';
import { hasTag, tagOf } from './tags.js';
import { resolveIntegration, resolveFlow, resolveConnection, resolveExport, resolveImport } from './resolve.js';
import { parseTimeRange } from './timerange.js';
import { compact } from './project.js';
import { UsageError } from '../core/errors.js';

const CONCURRENCY = 8;

export interface IntegrationRow {
  id: string;
  name: string;
  status: string;
  version?: string;
  flows: number;
  enabledFlows: number;
  openErrors?: number;
  /** Its one tag (Celigo keeps one per integration), if it has one. */
  tag?: string;
  [k: string]: unknown;
}
export const INTEGRATION_FIELDS = ['id', 'name', 'status', 'version', 'flows', 'enabledFlows', 'openErrors', 'tag'] as const;

export async function listIntegrations(ctx: OpContext, q: { name?: string; tag?: string; errors?: boolean } = {}): Promise<IntegrationRow[]> {
  const { api, signal } = ctx;
  const [integrations, flows] = await Promise.all([api.integrations.list({}, { signal }), api.flows.list({}, { signal })]);
  const byIntegration = new Map<string, Flow[]>();
  for (const f of flows) if (f._integrationId) byIntegration.set(f._integrationId, [...(byIntegration.get(f._integrationId) ?? []), f]);
  let rows: IntegrationRow[] = integrations.map((i) => {
    const fl = byIntegration.get(i._id) ?? [];
    const enabled = fl.filter((f) => !f.disabled).length;
    const mode = typeof i.mode === 'string' && i.mode !== 'settings' ? i.mode : undefined;
    return compact({
      id: i._id,
      name: i.name,
      status: mode ?? (fl.length === 0 ? 'empty' : enabled > 0 ? 'active' : 'inactive'),
      version: typeof i.version === 'string' ? i.version : undefined,
      flows: fl.length,
      enabledFlows: enabled,
      tag: tagOf(i),
    }) as IntegrationRow;
  });
  if (q.name) {
    const n = q.name.toLowerCase();
    rows = rows.filter((r) => r.name.toLowerCase().includes(n));
  }
  if (q.tag?.trim()) {
    const inUse = [...new Set(integrations.map(tagOf).filter((t): t is string => t !== undefined))].sort();
    if (!integrations.some((i) => hasTag(i, q.tag!))) {
      throw new UsageError(`No integration has tag "${q.tag}". Integration tags in use: ${inUse.join(', ') || '(none)'}.`);
    }
    rows = rows.filter((r) => hasTag(r, q.tag!));
  }
  if (q.errors !== false) {
    await mapPool(rows, CONCURRENCY, async (r) => {
      const summary = await api.integrations.errorSummary(r.id, {}, { signal });
      r.openErrors = summary.reduce((n, s) => n + s.numError, 0);
    }, signal);
  }
  return rows;
}

export async function getIntegration(ctx: OpContext, idOrName: string) {
  const { api, signal } = ctx;
  const integration = await resolveIntegration(api, idOrName);
  const [flows, errors] = await Promise.all([
    api.integrations.flows(integration._id, { signal }),
    api.integrations.errorSummary(integration._id, {}, { signal }),
  ]);
  const openByFlow = new Map(errors.map((e) => [e._flowId, e.numError]));
  return {
    integration,
    flows: flows.map((f) => compact({ id: f._id, name: f.name, enabled: !f.disabled, schedule: f.schedule, openErrors: openByFlow.get(f._id) ?? 0 })),
  };
}

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
export async function listFlows(ctx: OpContext, q: { integration?: string; enabled?: boolean; name?: string } = {}): Promise<FlowRow[]> {
  const { api, signal } = ctx;
  let flows: Flow[];
  let integrations: { _id: string; name: string }[];
  if (q.integration) {
    const i = await resolveIntegration(api, q.integration);
    integrations = [i];
    flows = await api.integrations.flows(i._id, { signal });
  } else {
    [flows, integrations] = await Promise.all([api.flows.list({}, { signal }), api.integrations.list({}, { signal })]);
  }
  if (q.enabled !== undefined) flows = flows.filter((f) => !f.disabled === q.enabled);
  if (q.name) {
    const n = q.name.toLowerCase();
    flows = flows.filter((f) => f.name.toLowerCase().includes(n));
  }
  const names = new Map(integrations.map((i) => [i._id, i.name]));
  const open = new Map<string, number>();
  const integrationIds = [...new Set(flows.map((f) => f._integrationId).filter((x): x is string => !!x))];
  await mapPool(integrationIds, CONCURRENCY, async (id) => {
    for (const s of await api.integrations.errorSummary(id, {}, { signal })) open.set(s._flowId, s.numError);
  }, signal);
  const standalone = flows.filter((f) => !f._integrationId);
  await mapPool(standalone, CONCURRENCY, async (f) => {
    open.set(f._id, (await api.flows.errorSummary(f._id, { signal })).reduce((n, s) => n + s.numError, 0));
  }, signal);
  return flows.map((f) =>
    compact({
      id: f._id,
      name: f.name,
      integration: f._integrationId ? names.get(f._integrationId) : undefined,
      integrationId: f._integrationId,
      enabled: !f.disabled,
      schedule: f.schedule,
      lastRun: typeof f.lastExecutedAt === 'string' ? f.lastExecutedAt : undefined,
      openErrors: open.get(f._id) ?? 0,
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

export function mappingOf(imp: Import): { format?: 'mapper1' | 'mapper2'; mapping?: unknown } {
  if (Array.isArray(imp.mappings) && imp.mappings.length) return { format: 'mapper2', mapping: imp.mappings };
  if (imp.mapping && typeof imp.mapping === 'object') return { format: 'mapper1', mapping: imp.mapping };
  return {};
}

/** A flow with its steps, their exports/imports, connections and mappings. */
export async function getFlow(ctx: OpContext, idOrName: string) {
  const { api, signal } = ctx;
  const flow = await resolveFlow(api, idOrName);
  const steps = flowSteps(flow);
  const [summary, connections] = await Promise.all([api.flows.errorSummary(flow._id, { signal }), api.connections.list({}, { signal })]);
  const connName = new Map(connections.map((c) => [c._id, c.name]));
  const open = new Map(summary.map((s) => [s._expOrImpId, s.numError]));
  const details: StepDetail[] = await mapPool(steps, CONCURRENCY, async (s) => {
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

export interface ConnectionRow {
  id: string;
  name: string;
  type: string;
  status: 'online' | 'offline';
  offline: boolean;
  [k: string]: unknown;
}
export const CONNECTION_FIELDS = ['id', 'name', 'type', 'status', 'offline'] as const;

export async function listConnections(ctx: OpContext, q: { type?: string; name?: string } = {}): Promise<ConnectionRow[]> {
  let rows: Connection[] = await ctx.api.connections.list(q.type ? { type: q.type } : {}, { signal: ctx.signal });
  if (q.name) rows = rows.filter((c) => c.name.toLowerCase().includes(q.name!.toLowerCase()));
  return rows.map((c) => ({ id: c._id, name: c.name, type: c.type, offline: !!c.offline, status: c.offline ? 'offline' : 'online' }));
}

export async function testConnection(ctx: OpContext, idOrName: string) {
  const c = await resolveConnection(ctx.api, idOrName);
  const r = await ctx.api.connections.ping(c._id, { signal: ctx.signal });
  return compact({
    id: c._id,
    name: c.name,
    type: c.type,
    healthy: r.ok,
    offline: !!c.offline,
    latencyMs: r.latencyMs,
    code: r.code,
    error: r.ok ? undefined : `${r.errorCode ? r.errorCode + ': ' : ''}${r.message ?? 'failed'}`,
  });
}

export interface ExportRow {
  id: string;
  name: string;
  adaptorType?: string;
  connection?: string;
  flow?: string;
  status: string;
  schedule?: string;
  [k: string]: unknown;
}
export const EXPORT_FIELDS = ['id', 'name', 'adaptorType', 'connection', 'flow', 'status', 'schedule'] as const;

/** Exports with the flow that runs them: its schedule and whether it is enabled. */
export async function listExports(ctx: OpContext, q: { integration?: string; name?: string } = {}): Promise<ExportRow[]> {
  const { api, signal } = ctx;
  const integration = q.integration ? await resolveIntegration(api, q.integration) : undefined;
  const [exps, flows, conns] = await Promise.all([
    integration ? api.integrations.exports(integration._id, { signal }) : api.exports.list({}, { signal }),
    integration ? api.integrations.flows(integration._id, { signal }) : api.flows.list({}, { signal }),
    api.connections.list({}, { signal }),
  ]);
  const connName = new Map(conns.map((c) => [c._id, c.name]));
  const flowOf = new Map<string, Flow>();
  for (const f of flows) for (const s of flowSteps(f)) if (s.kind === 'export' && !flowOf.has(s.id)) flowOf.set(s.id, f);
  let rows = exps.map((e) => {
    const f = flowOf.get(e._id);
    const pgSchedule = f?.pageGenerators?.find((p) => p._exportId === e._id)?.schedule;
    return compact({
      id: e._id,
      name: e.name,
      adaptorType: e.adaptorType,
      connection: typeof e._connectionId === 'string' ? connName.get(e._connectionId) : undefined,
      flow: f?.name,
      status: !f ? 'unused' : f.disabled ? 'disabled' : 'enabled',
      schedule: (typeof pgSchedule === 'string' ? pgSchedule : undefined) ?? f?.schedule,
    }) as ExportRow;
  });
  if (q.name) rows = rows.filter((r) => r.name.toLowerCase().includes(q.name!.toLowerCase()));
  return rows;
}

export interface ImportRow {
  id: string;
  name: string;
  adaptorType?: string;
  connection?: string;
  mappingFormat?: string;
  mappedFields: number;
  [k: string]: unknown;
}
export const IMPORT_FIELDS = ['id', 'name', 'adaptorType', 'connection', 'mappingFormat', 'mappedFields'] as const;

function countMapped(m: unknown): number {
  if (Array.isArray(m)) return m.reduce((n: number, x) => n + 1 + (x && typeof x === 'object' && Array.isArray((x as { mappings?: unknown[] }).mappings) ? countMapped((x as { mappings: unknown[] }).mappings) - 0 : 0), 0);
  if (m && typeof m === 'object') {
    const mm = m as { fields?: unknown[]; lists?: { fields?: unknown[] }[] };
    return (mm.fields?.length ?? 0) + (mm.lists ?? []).reduce((n, l) => n + (l.fields?.length ?? 0), 0);
  }
  return 0;
}

export async function listImports(ctx: OpContext, q: { integration?: string; name?: string } = {}): Promise<ImportRow[]> {
  const { api, signal } = ctx;
  const integration = q.integration ? await resolveIntegration(api, q.integration) : undefined;
  const [imps, conns] = await Promise.all([
    integration ? api.integrations.imports(integration._id, { signal }) : api.imports.list({}, { signal }),
    api.connections.list({}, { signal }),
  ]);
  const connName = new Map(conns.map((c) => [c._id, c.name]));
  let rows = imps.map((i) => {
    const m = mappingOf(i);
    return compact({
      id: i._id,
      name: i.name,
      adaptorType: i.adaptorType,
      connection: typeof i._connectionId === 'string' ? connName.get(i._connectionId) : undefined,
      mappingFormat: m.format,
      mappedFields: countMapped(m.mapping),
    }) as ImportRow;
  });
  if (q.name) rows = rows.filter((r) => r.name.toLowerCase().includes(q.name!.toLowerCase()));
  return rows;
}

export async function getExport(ctx: OpContext, idOrName: string): Promise<Export> {
  return resolveExport(ctx.api, idOrName);
}

export async function getImport(ctx: OpContext, idOrName: string): Promise<Import> {
  return resolveImport(ctx.api, idOrName);
}

export interface JobRow {
  id: string;
  type: string;
  status: string;
  flow?: string;
  flowId?: string;
  integrationId?: string;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  success?: number;
  errors?: number;
  openErrors?: number;
  ignored?: number;
  [k: string]: unknown;
}
export const JOB_FIELDS = ['id', 'type', 'status', 'flow', 'flowId', 'integrationId', 'createdAt', 'startedAt', 'endedAt', 'durationMs', 'success', 'errors', 'openErrors', 'ignored'] as const;

export function jobRow(j: Job, flowName?: string): JobRow {
  const started = typeof j.startedAt === 'string' ? j.startedAt : undefined;
  const ended = typeof j.endedAt === 'string' ? j.endedAt : undefined;
  return compact({
    id: j._id,
    type: j.type,
    status: j.status,
    flow: flowName,
    flowId: j._flowId,
    integrationId: j._integrationId,
    createdAt: j.createdAt,
    startedAt: started,
    endedAt: ended,
    durationMs: started && ended ? Date.parse(ended) - Date.parse(started) : undefined,
    success: j.numSuccess,
    errors: j.numError,
    openErrors: j.numOpenError,
    ignored: typeof j.numIgnore === 'number' ? j.numIgnore : undefined,
  }) as JobRow;
}

export async function listJobs(
  ctx: OpContext,
  q: { range?: string; status?: string; integration?: string; flow?: string; type?: string; limit?: number } = {},
): Promise<JobRow[]> {
  const { api, signal } = ctx;
  const now = ctx.now?.() ?? new Date();
  const range = parseTimeRange(q.range, now);
  const integration = q.integration ? await resolveIntegration(api, q.integration) : undefined;
  const flow = q.flow ? await resolveFlow(api, q.flow) : undefined;
  const statuses = ['queued', 'running', 'completed', 'failed', 'canceled', 'retrying'];
  if (q.status && !statuses.includes(q.status)) throw new UsageError(`Unknown job status "${q.status}". Use one of: ${statuses.join(', ')}.`);
  const [jobs, flows] = await Promise.all([
    api.jobs.list(
      {
        _integrationId: integration?._id,
        _flowId: flow?._id,
        status: q.status as never,
        type: (q.type ?? 'flow') as never,
        createdAt_gte: range.from?.toISOString(),
        createdAt_lte: range.to?.toISOString(),
      },
      { signal, limit: q.limit },
    ),
    flow ? Promise.resolve([flow]) : integration ? api.integrations.flows(integration._id, { signal }) : api.flows.list({}, { signal }),
  ]);
  const names = new Map(flows.map((f) => [f._id, f.name]));
  return jobs.map((j) => jobRow(j, j._flowId ? names.get(j._flowId) : undefined));
}

/** A job with its step jobs and the open errors it produced. */
export async function getJob(ctx: OpContext, jobId: string) {
  const { api, signal } = ctx;
  const job = await api.jobs.get(jobId.trim(), { signal });
  const flowJobId = job.type === 'flow' || job.type === 'retry' ? job._id : job._flowJobId;
  const children = flowJobId && job.type === 'flow' ? await api.jobs.children(job._id, { signal }) : [];
  let flow: Flow | undefined;
  if (job._flowId) flow = await api.flows.get(job._flowId, { signal }).catch(() => undefined);
  const errors: (FlowStepError & { stepId: string })[] = [];
  if (flow && (job.numOpenError ?? 0) > 0) {
    const steps = flowSteps(flow);
    await mapPool(steps, CONCURRENCY, async (s) => {
      const rows = await api.errors.listOpen(flow!._id, s.id, { occurredAt_gte: job.createdAt }, { signal });
      for (const e of rows) if (e._flowJobId === job._id || (flowJobId && e._flowJobId === flowJobId)) errors.push({ ...e, stepId: s.id });
    }, signal);
  }
  return {
    job: jobRow(job, flow?.name),
    steps: children.map((c) => compact({ id: c._id, type: c.type, status: c.status, stepId: (c._exportId ?? c._importId) as string | undefined, success: c.numSuccess, errors: c.numError, openErrors: c.numOpenError })),
    errors: errors.slice(0, 50).map((e) => compact({ errorId: e.errorId, stepId: e.stepId, occurredAt: e.occurredAt, code: e.code, message: e.message, retryDataKey: e.retryDataKey })),
    totalErrors: errors.length,
  };
}

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
  if (!q.integration && !q.flow) throw new UsageError('Give an integration or a flow (id or name). Use list_integrations or list_flows to find them.');
  const now = ctx.now?.() ?? new Date();
  const range = q.range ? parseTimeRange(q.range, now) : undefined;
  let flows: Flow[];
  if (q.flow) flows = [await resolveFlow(api, q.flow)];
  else flows = await api.integrations.flows((await resolveIntegration(api, q.integration!))._id, { signal });
  const stepNames = new Map<string, string>();
  const counts: { flow: string; flowId: string; stepId: string; step?: string; open: number; lastErrorAt?: string }[] = [];
  const work: { flow: Flow; stepId: string }[] = [];
  await mapPool(flows, CONCURRENCY, async (f) => {
    const summary = await api.flows.errorSummary(f._id, { signal });
    for (const s of summary) {
      counts.push(compact({ flow: f.name, flowId: f._id, stepId: s._expOrImpId, open: s.numError, lastErrorAt: s.lastErrorAt }));
      if (q.resolved || s.numError > 0) work.push({ flow: f, stepId: s._expOrImpId });
    }
  }, signal);
  const rows: ErrorRow[] = [];
  await mapPool(work, CONCURRENCY, async ({ flow, stepId }) => {
    const filters = { occurredAt_gte: range?.from?.toISOString(), occurredAt_lte: range?.to?.toISOString(), source: q.source };
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
  await mapPool(stepIds, CONCURRENCY, async (id) => {
    const doc = kinds.get(id) === 'import' ? await api.imports.get(id, { signal }) : await api.exports.get(id, { signal });
    stepNames.set(id, doc.name);
  }, signal);
  for (const r of rows) r.step = stepNames.get(r.stepId);
  for (const c of counts) c.step = stepNames.get(c.stepId);
  rows.sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  return { counts: counts.filter((c) => c.open > 0 || q.flow), errors: rows, range: range?.label };
}
