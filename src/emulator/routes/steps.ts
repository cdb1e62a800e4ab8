// /exports and /imports (celigo-api.md §4): CRUD, invoke, clone, audit, dependencies.
import { z } from 'zod';
import { exportCreate, importCreate } from '../../core/schemas.js';
import { authPatternFor } from '../behaviour.js';
import { cloneStep } from '../clone.js';
import { ApiError, type ErrorEntry, ok } from '../respond.js';
import type { Ctx, RouteDef } from '../router.js';
import { sampleRecords } from '../samples.js';
import type { Rec, Store } from '../store.js';
import { invalidRef, validateBody } from '../validate.js';
import { type ResourceSpec, auditAndDependencyRoutes, crudRoutes, getOr404 } from './resources.js';

const NO_CONNECTION_EXPORTS = new Set(['WebhookExport', 'SimpleExport']);
const NO_CONNECTION_IMPORTS = new Set(['AiAgentImport', 'GuardrailImport', 'ToolImport']);

function checkStep(store: Store, body: Record<string, unknown>, noConnection: Set<string>): ErrorEntry[] {
  const out: ErrorEntry[] = [];
  const cid = body._connectionId;
  if (cid === undefined) {
    if (!noConnection.has(String(body.adaptorType))) out.push({ code: 'invalid_field', message: '`_connectionId` is required', field: '_connectionId' });
  } else if (typeof cid !== 'string' || !store.connections.has(cid)) out.push(invalidRef('_connectionId'));
  if (body._integrationId !== undefined && (typeof body._integrationId !== 'string' || !store.integrations.has(body._integrationId))) out.push(invalidRef('_integrationId'));
  return out;
}

function apiIdentifier(prefix: string, rec: Rec): void {
  rec.apiIdentifier = prefix + rec._id.slice(-9);
}

export const exportSpec: ResourceSpec = {
  kind: 'exports',
  label: 'Export',
  schema: exportCreate,
  scoped: 'exports',
  patchable: true,
  readOnly: ['apiIdentifier', 'asynchronous'],
  listDefaults: ['adaptorType'],
  createDefaults: () => ({ asynchronous: true }),
  check: (store, body) => checkStep(store, body, NO_CONNECTION_EXPORTS),
  afterWrite(_store, prev, next) {
    if (!prev) apiIdentifier('e', next);
  },
};

export const importSpec: ResourceSpec = {
  kind: 'imports',
  label: 'Import',
  schema: importCreate,
  scoped: 'imports',
  patchable: true,
  readOnly: ['apiIdentifier'],
  listDefaults: ['adaptorType'],
  check(store, body) {
    const out = checkStep(store, body, NO_CONNECTION_IMPORTS);
    // celigo-api.md §4.4: never mix Mapper 1.0 (mapping) and Mapper 2.0 (mappings) on one import.
    if (body.mapping !== undefined && body.mappings !== undefined) {
      out.push({ code: 'invalid_field', message: 'Use either `mapping` (Mapper 1.0) or `mappings` (Mapper 2.0), not both.', field: 'mappings' });
    }
    return out;
  },
  afterWrite(store, prev, next) {
    if (!prev) apiIdentifier('i', next);
    else if (JSON.stringify([prev.mapping, prev.mappings]) !== JSON.stringify([next.mapping, next.mappings])) store.hidden.brokenMappings.delete(next._id);
  },
};

const cloneBody = z.looseObject({ name: z.string().optional(), connectionMap: z.record(z.string(), z.string()).optional() });

function cloneRoute(kind: 'exports' | 'imports', label: string): RouteDef {
  return {
    method: 'POST',
    path: `/${kind}/:id/clone`,
    note: 'body {name?, connectionMap?} -> 201 the new object',
    handler: (ctx: Ctx) => {
      const src = getOr404(ctx.store, kind, ctx.params.id, label);
      const body = validateBody(cloneBody, ctx.body);
      const map = body.connectionMap ?? {};
      const bad = Object.entries(map).filter(([, to]) => !ctx.store.connections.has(to)).map(([from]) => invalidRef(`connectionMap.${from}`));
      if (bad.length) throw new ApiError(422, bad);
      return ok(cloneStep(ctx.store, kind, src, map, ctx.caller.userId, { name: body.name ?? `Clone - ${String(src.name)}` }), 201);
    },
  };
}

export const exportRoutes: RouteDef[] = [
  ...crudRoutes(exportSpec),
  ...auditAndDependencyRoutes(exportSpec),
  cloneRoute('exports', 'Export'),
  {
    method: 'POST',
    path: '/exports/:id/invoke',
    access: { kind: 'exports' },
    note: '200 {data:[sample records]} shaped like the export\'s record type; offline/bad credentials -> 422',
    handler: (ctx) => {
      const exp = getOr404(ctx.store, 'exports', ctx.params.id, 'Export');
      const conn = typeof exp._connectionId === 'string' ? ctx.store.connections.get(exp._connectionId) : undefined;
      if (conn?.offline === true) throw new ApiError(422, 'connection_offline', 'The connection is offline. Bring it back online and retry.');
      if (conn && ctx.store.hidden.badCredentials.has(conn._id)) {
        throw new ApiError(422, 'invalid_credentials', authPatternFor(typeof conn.type === 'string' ? conn.type : undefined).message);
      }
      return { status: 200, body: { data: sampleRecords(exp) }, mask: false };
    },
  },
];

export const importRoutes: RouteDef[] = [...crudRoutes(importSpec), ...auditAndDependencyRoutes(importSpec), cloneRoute('imports', 'Import')];
