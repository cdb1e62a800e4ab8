// The recycle bin (celigo-api.md §1.10, TCHOW code and BB tests, [P]): GET /recycleBinTTL[/{type}[/{id}]],
// POST /recycleBinTTL/{type}/{id} restores under the same id, DELETE purges. The entry shape is not
// documented: {model, doc:{_id, name}, recycledAt, recycledBy} is the best guess (the `model` names of W6).
// Deleted objects stay 30 days. The other form of `recycle-bin` answers 404 everywhere: no recycle bin.
import { iso } from '../clock.js';
import { otherForm } from '../config.js';
import { ApiError, notFound, ok, type Reply } from '../respond.js';
import type { Ctx, RouteDef } from '../router.js';
import { KINDS, type Kind, type Recycled } from '../store.js';

const TTL_MS = 30 * 86_400_000;
const MODEL: Record<string, string> = { integrations: 'Integration', flows: 'Flow', exports: 'Export', imports: 'Import', connections: 'Connection' };

function guard(ctx: Ctx): void {
  if (otherForm(ctx.config, 'recycle-bin')) throw new ApiError(404, 'not_found', `No endpoint ${ctx.method} /v1${ctx.path}.`);
}

function kindOf(ctx: Ctx): Kind {
  const k = ctx.params.type as Kind;
  if (!KINDS.includes(k) || !MODEL[k]) throw new ApiError(400, 'invalid_type', `Unknown resource type "${ctx.params.type}".`);
  return k;
}

function live(ctx: Ctx, kind?: Kind): Recycled[] {
  const out: Recycled[] = [];
  for (const [key, r] of ctx.store.recycleBin) {
    if (r.deletedAt < ctx.now - TTL_MS) ctx.store.recycleBin.delete(key);
    else if (!kind || r.kind === kind) out.push(r);
  }
  return out.sort((a, b) => b.deletedAt - a.deletedAt);
}

const render = (r: Recycled) => ({ model: MODEL[r.kind], doc: { _id: r.rec._id, name: r.rec.name }, recycledAt: iso(r.deletedAt), recycledBy: r.by });

function entry(ctx: Ctx): Recycled {
  const kind = kindOf(ctx);
  const r = live(ctx, kind).find((x) => x.rec._id === ctx.params.id);
  if (!r) throw notFound('Recycle bin entry');
  return r;
}

function restore(ctx: Ctx): Reply {
  guard(ctx);
  const r = entry(ctx);
  if (ctx.store.get(r.kind, r.rec._id)) throw new ApiError(409, 'conflict', 'An object with this id exists.');
  ctx.store.map(r.kind).set(r.rec._id, r.rec);
  ctx.store.recycleBin.delete(`${r.kind}/${r.rec._id}`);
  ctx.store.recordAudit(r.kind, r.rec._id, 'create', ctx.caller.userId, ctx.now, []);
  return ok(r.rec);
}

export const recycleBinRoutes: RouteDef[] = [
  { method: 'GET', path: '/recycleBinTTL', note: '[P] best guess: [{model, doc:{_id,name}, recycledAt, recycledBy}], newest first; 30 days', handler: (ctx) => (guard(ctx), ok(live(ctx).map(render))) },
  { method: 'GET', path: '/recycleBinTTL/:type', handler: (ctx) => (guard(ctx), ok(live(ctx, kindOf(ctx)).map(render))) },
  { method: 'GET', path: '/recycleBinTTL/:type/:id', handler: (ctx) => (guard(ctx), ok(render(entry(ctx)))) },
  { method: 'POST', path: '/recycleBinTTL/:type/:id', note: 'restores under the same id -> 200 with the object', handler: restore },
  {
    method: 'DELETE',
    path: '/recycleBinTTL/:type/:id',
    note: 'purge -> 204',
    handler: (ctx) => {
      guard(ctx);
      const r = entry(ctx);
      ctx.store.recycleBin.delete(`${r.kind}/${r.rec._id}`);
      return { status: 204 };
    },
  },
];
