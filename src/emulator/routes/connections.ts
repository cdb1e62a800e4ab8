// /connections (celigo-api.md §5): CRUD with masked secrets, ping and test.
import { connectionCreate } from '../../core/schemas.js';
import { authPatternFor } from '../behaviour.js';
import { ok } from '../respond.js';
import type { RouteDef } from '../router.js';
import { secretsChanged } from '../secrets.js';
import type { Rec, Store } from '../store.js';
import { validateBody } from '../validate.js';
import { type ResourceSpec, auditAndDependencyRoutes, crudRoutes, getOr404 } from './resources.js';

export const connectionSpec: ResourceSpec = {
  kind: 'connections',
  label: 'Connection',
  schema: connectionCreate,
  scoped: 'connections',
  patchable: true,
  readOnly: ['queues'],
  listDefaults: ['type'],
  createDefaults: (_s, body) => (body.offline === undefined ? { offline: false } : {}),
  afterWrite(store, prev, next) {
    if (!prev) next.queues = [{ name: next._id, size: 0 }];
    // New credentials (not the mask) repair a connection whose stored credentials were wrong.
    else if (secretsChanged(next, prev)) store.hidden.badCredentials.delete(next._id);
  },
};

/**
 * The ping/test answer. Healthy: {"code":200} (IAD). A failure is HTTP 200 with the remote status as a
 * number in `errors[0].code` (Celigo's web app, celigo-api.md W10).
 */
export function pingResult(store: Store, conn: Rec): Record<string, unknown> {
  if (conn.offline === true) {
    return { errors: [{ code: 503, message: 'The connection is offline. Review its settings and bring it back online.' }] };
  }
  if (store.hidden.badCredentials.has(conn._id)) {
    const p = authPatternFor(typeof conn.type === 'string' ? conn.type : undefined);
    return { errors: [{ code: 401, message: p.message }] };
  }
  return { code: 200 };
}

const access = { kind: 'connections' as const };
const ping = (ctx: Parameters<RouteDef['handler']>[0]) => ok(pingResult(ctx.store, getOr404(ctx.store, 'connections', ctx.params.id, 'Connection')));

export const connectionRoutes: RouteDef[] = [
  ...crudRoutes(connectionSpec),
  ...auditAndDependencyRoutes(connectionSpec),
  { method: 'GET', path: '/connections/:id/ping', handler: ping, access, note: 'IAD form; 200 {"code":200} or 200 {errors:[{code:401|503,message}]} (W10)' },
  { method: 'POST', path: '/connections/:id/ping', handler: ping, access, note: 'current form (§11: accept both)' },
  { method: 'POST', path: '/connections/:id/test', handler: ping, access, note: 'same answers as ping' },
  {
    method: 'POST',
    path: '/connections/ping',
    note: 'virtual connection in the body; offline:true -> code 503',
    handler: (ctx) => {
      const body = validateBody(connectionCreate, ctx.body);
      return ok(body.offline === true ? { errors: [{ code: 503, message: 'The connection is offline.' }] } : { code: 200 });
    },
  },
];
