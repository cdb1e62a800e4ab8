// /lookupcaches (celigo-api.md §4.5): list (Link-paged), get, create, upsert data, getData (at most 1000
// keys per answer, by prefix or by keys). The getData answer is not documented: {data:[{key,value}]} is
// the best guess (the upsert body's shape); the other form of `lookup-cache-data` answers a bare array.
import { z } from 'zod';
import { otherForm } from '../config.js';
import { GET_DATA_MAX, createCache, renderCache, type LookupCache } from '../lookup-caches.js';
import { listReply } from '../lists.js';
import { ApiError, notFound, ok, type Reply } from '../respond.js';
import type { Ctx, RouteDef } from '../router.js';
import { validateBody } from '../validate.js';

const createBody = z.looseObject({ name: z.string().min(1), description: z.string().optional(), _integrationId: z.string().optional() });
const dataBody = z.object({ data: z.array(z.object({ key: z.string().min(1), value: z.string() })) });
const getDataBody = z.object({ keys: z.array(z.string()).optional(), startsWith: z.string().optional() });

function cacheOr404(ctx: Ctx): LookupCache {
  const c = ctx.store.lookupCaches.get(ctx.params.id);
  if (!c) throw notFound('Lookup cache');
  return c;
}

function getData(ctx: Ctx): Reply {
  const c = cacheOr404(ctx);
  const b = validateBody(getDataBody, ctx.body ?? undefined);
  let keys: string[];
  if (b.keys) keys = b.keys.filter((k) => c.data.has(k));
  else keys = [...c.data.keys()].filter((k) => !b.startsWith || k.startsWith(b.startsWith)).sort();
  const rows = keys.slice(0, GET_DATA_MAX).map((key) => ({ key, value: c.data.get(key)! }));
  return { status: 200, body: otherForm(ctx.config, 'lookup-cache-data') ? rows : { data: rows }, mask: false };
}

export const lookupCacheRoutes: RouteDef[] = [
  { method: 'GET', path: '/lookupcaches', note: 'Link-paged; each with size (bytes) and sizeInMB', handler: (ctx) => listReply(ctx, [...ctx.store.lookupCaches.values()].map(renderCache)) },
  { method: 'GET', path: '/lookupcaches/:id', handler: (ctx) => ok(renderCache(cacheOr404(ctx))) },
  {
    method: 'POST',
    path: '/lookupcaches',
    note: '{name, description?, _integrationId?} -> 201',
    handler: (ctx) => {
      const b = validateBody(createBody, ctx.body);
      if (b._integrationId !== undefined && !ctx.store.integrations.has(b._integrationId)) throw new ApiError(422, 'invalid_ref', 'Unknown integration.', '_integrationId');
      const { name, description, _integrationId } = b;
      return ok(renderCache(createCache(ctx.store, ctx.store.ids.objectId(), { name, description, _integrationId }, ctx.caller.userId)), 201);
    },
  },
  {
    method: 'POST',
    path: '/lookupcaches/:id/data',
    note: 'upsert {data:[{key, value}]}; values are strings (422 otherwise); 204',
    handler: (ctx) => {
      const c = cacheOr404(ctx);
      const b = validateBody(dataBody, ctx.body);
      for (const { key, value } of b.data) c.data.set(key, value);
      return { status: 204 };
    },
  },
  { method: 'POST', path: '/lookupcaches/:id/getData', note: 'reads; body none, {keys} or {startsWith}; at most 1000 keys, sorted -> {data:[{key, value}]}', handler: getData },
];
