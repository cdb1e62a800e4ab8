// /flows: CRUD, run, clone, summaries, latest jobs (celigo-api.md §3).
import { z } from 'zod';
import { cloneFlowBody, flowCreate } from '../../core/schemas.js';
import { type CloneComponent, checkConnectionMap, cloneFlow, clonePreview, flowClonePlan } from '../clone.js';
import { flowResourceIds, flowSteps } from '../flow-steps.js';
import { renderJob } from '../job-table.js';
import { startFlowRun } from '../jobs.js';
import { ApiError, type ErrorEntry, ok } from '../respond.js';
import type { Ctx, RouteDef } from '../router.js';
import type { Rec, Store } from '../store.js';
import { errorFilterFromQuery, flowErrorSummary } from '../summaries.js';
import { templateFor } from '../templates.js';
import { invalidRef, validateBody } from '../validate.js';
import { type ResourceSpec, auditAndDependencyRoutes, crudRoutes, getOr404 } from './resources.js';

type Obj = Record<string, unknown>;
const objs = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

function checkFlow(store: Store, body: Obj): ErrorEntry[] {
  const out: ErrorEntry[] = [];
  if (body._integrationId !== undefined && (typeof body._integrationId !== 'string' || !store.integrations.has(body._integrationId))) out.push(invalidRef('_integrationId'));
  objs(body.pageGenerators).forEach((pg, i) => {
    if (typeof pg._exportId !== 'string' || !store.exports.has(pg._exportId)) out.push(invalidRef(`pageGenerators.${i}._exportId`));
  });
  if (body.routers !== undefined && body.pageProcessors !== undefined) {
    out.push({ code: 'invalid_field', message: '"pageProcessors" is not allowed when "routers" is present', field: 'pageProcessors' });
  }
  const checkPPs = (pps: Obj[], prefix: string): void => pps.forEach((pp, i) => {
    const isImport = pp.type === 'import';
    const key = isImport ? '_importId' : '_exportId';
    const id = pp[key];
    if (id === undefined) out.push({ code: 'invalid_field', message: `\`${prefix}.${i}.${key}\` is required`, field: `${prefix}.${i}.${key}` });
    else if (typeof id !== 'string' || !(isImport ? store.imports : store.exports).has(id)) out.push(invalidRef(`${prefix}.${i}.${key}`));
  });
  checkPPs(objs(body.pageProcessors), 'pageProcessors');
  objs(body.routers).forEach((r, ri) => objs(r.branches).forEach((b, bi) => checkPPs(objs(b.pageProcessors), `routers.${ri}.branches.${bi}.pageProcessors`)));
  objs(body._runNextFlowIds).forEach((id, i) => { if (typeof id !== 'string' || !store.flows.has(id)) out.push(invalidRef(`_runNextFlowIds.${i}`)); });
  return out;
}

export const flowSpec: ResourceSpec = {
  kind: 'flows',
  label: 'Flow',
  schema: flowCreate,
  patchable: true,
  readOnly: ['lastExecutedAt'],
  listDefaults: ['disabled', '_integrationId'],
  // §3.2: `disabled` is required on read; the default when omitted is unclear, false is the best guess.
  createDefaults: (_store, body) => (body.disabled === undefined ? { disabled: false } : {}),
  check: checkFlow,
  beforeDelete(store, rec) {
    store.errors.dropFlow(rec._id);
    store.hidden.flowProfiles.delete(rec._id);
  },
};

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date');
// A backdated run carries its dates under `export` (celigo-api.md W9); a top-level startDate is the old
// belief and is refused, so a client still sending it fails here as it would fail to backdate for real.
const runBody = z.looseObject({
  _exportIds: z.array(z.string()).optional(),
  export: z.looseObject({ startDate: isoDate.optional(), endDate: isoDate.optional() }).optional(),
  startDate: z.never({ error: 'is not a run parameter; send {"export":{"startDate":…}}' }).optional(),
});

const flowOf = (ctx: Ctx): Rec => getOr404(ctx.store, 'flows', ctx.params.id, 'Flow');

export const flowRoutes: RouteDef[] = [
  ...crudRoutes(flowSpec),
  ...auditAndDependencyRoutes(flowSpec),
  {
    method: 'POST',
    path: '/flows/:id/run',
    note: '201 {_jobId}; body optional {_exportIds, export:{startDate, endDate}} (W9); disabled flow -> 422 flow_disabled',
    handler: (ctx) => {
      const flow = flowOf(ctx);
      const body = validateBody(runBody, ctx.body);
      if (flow.disabled === true) throw new ApiError(422, 'flow_disabled', 'The flow is disabled. Enable it before running it.');
      const pgs = flowSteps(flow).filter((s) => s.pg).map((s) => s.stepId);
      if (!pgs.length) throw new ApiError(422, 'invalid_flow', 'The flow has no page generators to run.');
      const bad = (body._exportIds ?? []).map((id, i) => ({ id, i })).filter(({ id }) => !pgs.includes(id));
      if (bad.length) throw new ApiError(422, bad.map(({ i }) => ({ code: 'invalid_field', message: `\`_exportIds.${i}\` is not a page generator of this flow`, field: `_exportIds.${i}` })));
      const job = startFlowRun(ctx.store, flow, { by: ctx.caller.userId, exportIds: body._exportIds?.length ? body._exportIds : undefined });
      // §3.3 / §11: the response shape is unconfirmed; {"_jobId"} is the best guess.
      return ok({ _jobId: job._id }, 201);
    },
  },
  {
    method: 'GET',
    path: '/flows/:id/clone/preview',
    note: 'W6: {objects:[{model, doc}]}: the flow, its exports and imports, and every connection the clone must map',
    handler: (ctx) => ok(clonePreview(flowClonePlan(ctx.store, flowOf(ctx)))),
  },
  {
    method: 'POST',
    path: '/flows/:id/clone',
    note: 'W6, §3.5: body {_integrationId ("none" = standalone), connectionMap, name?, _flowGroupingId?}; 201 [{model, _id, name}]; a previewed connection unmapped or mapped to an unknown one -> 400 invalid_connectionMap; unknown integration 422 invalid_ref',
    handler: (ctx) => {
      const flow = flowOf(ctx);
      const body = validateBody(cloneFlowBody, ctx.body);
      const integrationId = body._integrationId === 'none' ? undefined : body._integrationId;
      if (integrationId && !ctx.store.integrations.has(integrationId)) throw new ApiError(422, 'invalid_ref', 'Integration not found for the given id', '_integrationId');
      const map = checkConnectionMap(ctx.store, flowClonePlan(ctx.store, flow), body.connectionMap, 'flow');
      const extra: Record<string, unknown> = {};
      if (typeof body._flowGroupingId === 'string') extra._flowGroupingId = body._flowGroupingId;
      const made: CloneComponent[] = [];
      cloneFlow(ctx.store, flow, { integrationId, name: body.name, connectionMap: map, by: ctx.caller.userId, extra, made });
      return ok(made, 201);
    },
  },
  {
    method: 'GET',
    path: '/flows/:id/errors',
    note: '{flowErrors:[{_expOrImpId,numError,lastErrorAt?}]} with every step',
    handler: (ctx) => ok({ flowErrors: flowErrorSummary(ctx.store, flowOf(ctx), errorFilterFromQuery(ctx.query)) }),
  },
  {
    method: 'GET',
    path: '/flows/:id/jobs/latest',
    note: 'array: the latest flow job per page generator',
    handler: (ctx) => {
      const flow = flowOf(ctx);
      const jobs = ctx.store.jobs.byFlow.get(flow._id) ?? [];
      const seen = new Set<string>();
      const rows = [];
      for (let i = jobs.length - 1; i >= 0; i--) {
        const j = jobs[i];
        if (j.type !== 'flow') continue;
        const key = j._exportId ?? '';
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push(renderJob(j));
      }
      return { status: 200, body: rows, mask: false };
    },
  },
  {
    method: 'GET',
    path: '/flows/:id/template',
    note: '{signedURL} to a JSON description; the real shape is unknown (§3.4, §11)',
    handler: (ctx) => ok(templateFor(ctx.store, 'flows', flowOf(ctx), ctx.origin)),
  },
  {
    method: 'GET',
    path: '/flows/:id/descendants',
    note: 'full export and import objects of the flow ([P] shape)',
    handler: (ctx) => {
      const ids = flowResourceIds(flowOf(ctx));
      return ok({
        exports: ids.exports.map((id) => ctx.store.exports.get(id)).filter(Boolean),
        imports: ids.imports.map((id) => ctx.store.imports.get(id)).filter(Boolean),
      });
    },
  },
];
