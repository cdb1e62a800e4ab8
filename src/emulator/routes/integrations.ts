// /integrations and its sub-resources (celigo-api.md §2).
import { cloneIntegrationBody, integrationCreate } from '../../core/schemas.js';
import { checkConnectionMap, cloneIntegration, clonePreview, integrationClonePlan } from '../clone.js';
import { iso } from '../clock.js';
import { flowResourceIds } from '../flow-steps.js';
import { renderJob } from '../job-table.js';
import { listReply } from '../lists.js';
import { type ErrorEntry, ok } from '../respond.js';
import type { Ctx, RouteDef } from '../router.js';
import type { Rec, Store } from '../store.js';
import { errorFilterFromQuery, flowTotals } from '../summaries.js';
import { templateFor } from '../templates.js';
import { invalidRef, validateBody } from '../validate.js';
import { deleteFlowCascade } from '../cascade.js';
import { type ResourceSpec, auditAndDependencyRoutes, crudRoutes, getOr404 } from './resources.js';

export const integrationSpec: ResourceSpec = {
  kind: 'integrations',
  label: 'Integration',
  schema: integrationCreate,
  patchable: true,
  readOnly: ['_registeredLookupCacheIds'],
  check(store, body) {
    const out: ErrorEntry[] = [];
    const ids = body._registeredConnectionIds;
    if (Array.isArray(ids)) ids.forEach((id, i) => { if (typeof id !== 'string' || !store.connections.has(id)) out.push(invalidRef(`_registeredConnectionIds.${i}`)); });
    return out;
  },
  // TCHOW (celigo-api.md §2.1) says deleting an integration removes its flows, exports and imports too (unverified).
  beforeDelete(store, rec, by) {
    for (const f of [...store.flows.values()]) if (f._integrationId === rec._id) deleteFlowCascade(store, f, by);
  },
};

function flowsOf(store: Store, integrationId: string): Rec[] {
  const out: Rec[] = [];
  for (const f of store.flows.values()) if (f._integrationId === integrationId) out.push(f);
  return out;
}

function stepsOf(store: Store, integrationId: string): { exports: Set<string>; imports: Set<string>; connections: Set<string> } {
  const exports = new Set<string>();
  const imports = new Set<string>();
  for (const f of flowsOf(store, integrationId)) {
    const ids = flowResourceIds(f);
    ids.exports.forEach((x) => exports.add(x));
    ids.imports.forEach((x) => imports.add(x));
  }
  for (const e of store.exports.values()) if (e._integrationId === integrationId) exports.add(e._id);
  for (const i of store.imports.values()) if (i._integrationId === integrationId) imports.add(i._id);
  const connections = new Set<string>();
  const integ = store.integrations.get(integrationId);
  for (const c of Array.isArray(integ?._registeredConnectionIds) ? integ._registeredConnectionIds : []) if (typeof c === 'string') connections.add(c);
  for (const id of exports) { const c = store.exports.get(id)?._connectionId; if (typeof c === 'string') connections.add(c); }
  for (const id of imports) { const c = store.imports.get(id)?._connectionId; if (typeof c === 'string') connections.add(c); }
  return { exports, imports, connections };
}

function pick(store: Store, kind: 'exports' | 'imports' | 'connections', ids: Set<string>): Rec[] {
  return [...ids].map((id) => store.get(kind, id)).filter((r): r is Rec => !!r);
}

const integ = (ctx: Ctx): Rec => getOr404(ctx.store, 'integrations', ctx.params.id, 'Integration');

export const integrationRoutes: RouteDef[] = [
  ...crudRoutes(integrationSpec),
  ...auditAndDependencyRoutes(integrationSpec),
  { method: 'GET', path: '/integrations/:id/flows', handler: (ctx) => listReply(ctx, flowsOf(ctx.store, integ(ctx)._id), { defaults: ['disabled', '_integrationId'] }) },
  { method: 'GET', path: '/integrations/:id/connections', handler: (ctx) => listReply(ctx, pick(ctx.store, 'connections', stepsOf(ctx.store, integ(ctx)._id).connections), { defaults: ['type'] }), note: 'registered connections plus those its flows use' },
  { method: 'GET', path: '/integrations/:id/exports', handler: (ctx) => listReply(ctx, pick(ctx.store, 'exports', stepsOf(ctx.store, integ(ctx)._id).exports), { defaults: ['adaptorType'] }) },
  { method: 'GET', path: '/integrations/:id/imports', handler: (ctx) => listReply(ctx, pick(ctx.store, 'imports', stepsOf(ctx.store, integ(ctx)._id).imports), { defaults: ['adaptorType'] }) },
  {
    method: 'GET',
    path: '/integrations/:id/errors',
    note: 'bare array, every flow; lastErrorAt only when numError > 0',
    handler: (ctx) => {
      const f = errorFilterFromQuery(ctx.query);
      return ok(flowsOf(ctx.store, integ(ctx)._id).map((flow) => {
        const t = flowTotals(ctx.store, flow, f);
        return t.numError > 0 && t.lastErrorAt !== undefined ? { _flowId: flow._id, numError: t.numError, lastErrorAt: iso(t.lastErrorAt) } : { _flowId: flow._id, numError: 0 };
      }), 200);
    },
  },
  {
    method: 'GET',
    path: '/integrations/:id/template',
    note: '{signedURL} to a JSON description; the real shape is unknown (§11)',
    handler: (ctx) => ok(templateFor(ctx.store, 'integrations', integ(ctx), ctx.origin)),
  },
  {
    method: 'GET',
    path: '/integrations/:id/jobs/latest',
    note: 'latest flow job of each flow that has run, newest first',
    handler: (ctx) => {
      const rows = [];
      for (const f of flowsOf(ctx.store, integ(ctx)._id)) {
        const jobs = ctx.store.jobs.byFlow.get(f._id) ?? [];
        for (let i = jobs.length - 1; i >= 0; i--) if (jobs[i].type === 'flow') { rows.push(jobs[i]); break; }
      }
      rows.sort((a, b) => b.createdAt - a.createdAt);
      return { status: 200, body: rows.map(renderJob), mask: false };
    },
  },
  {
    method: 'GET',
    path: '/integrations/:id/clone/preview',
    note: 'W6: {objects:[{model, doc}]}: the integration, its flows, their exports and imports, and every connection the clone must map',
    handler: (ctx) => ok(clonePreview(integrationClonePlan(ctx.store, integ(ctx)))),
  },
  {
    method: 'POST',
    path: '/integrations/:id/clone',
    note: 'W6: body {connectionMap, name?, tag?, sandbox?}; copies the flows, exports and imports; 201 [{model, _id, name}]; a previewed connection unmapped or mapped to an unknown one -> 400 invalid_connectionMap',
    handler: (ctx) => {
      const src = integ(ctx);
      const body = validateBody(cloneIntegrationBody, ctx.body);
      const map = checkConnectionMap(ctx.store, integrationClonePlan(ctx.store, src), body.connectionMap, 'integration');
      return ok(cloneIntegration(ctx.store, src, { name: body.name, tag: body.tag, sandbox: body.sandbox, connectionMap: map, by: ctx.caller.userId }), 201);
    },
  },
];

