// Key-value state (celigo-api.md §9.2): global under /state, and scoped to a resource under
// /{integrations|flows|exports|imports|connections}/{id}/state. PUT answers plain text: 201 `Created` for a
// new key, 200 `OK` for an update (§9.2 emulator note). Scoped DELETE answers 200 (IAD), global DELETE 204.
import { ApiError, type Reply } from '../respond.js';
import type { Access, Ctx, RouteDef } from '../router.js';
import type { Kind } from '../store.js';
import { getOr404 } from './resources.js';

const LABEL: Record<string, string> = { integrations: 'Integration', flows: 'Flow', exports: 'Export', imports: 'Import', connections: 'Connection' };

function put(map: Map<string, unknown>, key: string, body: unknown): Reply {
  if (body === undefined) throw new ApiError(422, 'invalid_field', 'A JSON value is required in the body.');
  const existed = map.has(key);
  map.set(key, body);
  return existed ? { status: 200, text: 'OK' } : { status: 201, text: 'Created' };
}

function getKey(map: Map<string, unknown> | undefined, key: string): Reply {
  if (!map || !map.has(key)) throw new ApiError(404, 'not_found', `State key ${key} not found.`);
  return { status: 200, body: map.get(key), mask: false };
}

function scopedMap(ctx: Ctx, kind: Kind, create: boolean): Map<string, unknown> | undefined {
  const rec = getOr404(ctx.store, kind, ctx.params.id, LABEL[kind]);
  const k = `${kind}/${rec._id}`;
  let m = ctx.store.scopedState.get(k);
  if (!m && create) ctx.store.scopedState.set(k, (m = new Map()));
  return m;
}

export const stateRoutes: RouteDef[] = [
  { method: 'GET', path: '/state', handler: (ctx) => ({ status: 200, body: { keys: [...ctx.store.globalState.keys()] } }) },
  { method: 'DELETE', path: '/state', handler: (ctx) => { ctx.store.globalState.clear(); return { status: 204 }; } },
  { method: 'GET', path: '/state/:key', handler: (ctx) => getKey(ctx.store.globalState, ctx.params.key) },
  { method: 'PUT', path: '/state/:key', handler: (ctx) => put(ctx.store.globalState, ctx.params.key, ctx.body), note: 'text/plain Created (201) or OK (200)' },
  {
    method: 'DELETE',
    path: '/state/:key',
    handler: (ctx) => {
      if (!ctx.store.globalState.delete(ctx.params.key)) throw new ApiError(404, 'not_found', `State key ${ctx.params.key} not found.`);
      return { status: 204 };
    },
  },
];

for (const kind of ['integrations', 'flows', 'exports', 'imports', 'connections'] as const) {
  const access: Access | undefined = kind === 'exports' || kind === 'imports' || kind === 'connections' ? { kind } : undefined;
  stateRoutes.push(
    { method: 'GET', path: `/${kind}/:id/state`, access, handler: (ctx) => ({ status: 200, body: { keys: [...(scopedMap(ctx, kind, false)?.keys() ?? [])] } }) },
    { method: 'DELETE', path: `/${kind}/:id/state`, access, handler: (ctx) => { scopedMap(ctx, kind, false)?.clear(); return { status: 200 }; }, note: '200 (IAD)' },
    { method: 'GET', path: `/${kind}/:id/state/:key`, access, handler: (ctx) => getKey(scopedMap(ctx, kind, false), ctx.params.key) },
    { method: 'PUT', path: `/${kind}/:id/state/:key`, access, handler: (ctx) => put(scopedMap(ctx, kind, true)!, ctx.params.key, ctx.body) },
    {
      method: 'DELETE',
      path: `/${kind}/:id/state/:key`,
      access,
      note: '200 (IAD)',
      handler: (ctx) => {
        if (!scopedMap(ctx, kind, false)?.delete(ctx.params.key)) throw new ApiError(404, 'not_found', `State key ${ctx.params.key} not found.`);
        return { status: 200 };
      },
    },
  );
}
