// Generic CRUD for the Link-paged resources (celigo-api.md §1.4, §12.3): POST 201, GET, PUT full replace
// (200), PATCH whitelist (204), DELETE 204, plus the resource-level audit and dependencies routes.
import type { z } from 'zod';
import { auditReply } from './audit.js';
import { otherForm } from '../config.js';
import { dependencies, renderDependencies } from '../deps.js';
import { listReply } from '../lists.js';
import { applyPatch, parsePatch } from '../patch.js';
import { ApiError, type ErrorEntry, notFound, ok, type Reply } from '../respond.js';
import type { Access, Ctx, RouteDef } from '../router.js';
import { restoreMasked } from '../secrets.js';
import { type Kind, RESOURCE_TYPE, type Rec, type Store } from '../store.js';
import { validateBody } from '../validate.js';

export const ALWAYS_READ_ONLY = ['_id', 'createdAt', 'lastModified', 'lastModifiedBy'];

export interface ResourceSpec {
  kind: Kind;
  /** Singular, for messages ("Flow not found."). */
  label: string;
  schema: z.ZodType<Record<string, unknown>>;
  /** Server-owned fields: ignored in bodies, kept from the stored version on PUT. */
  readOnly?: readonly string[];
  /** Fields `include=` always keeps besides _id and name. */
  listDefaults?: readonly string[];
  /** Custom-scope tokens: which visibility rule applies (none: full scope only). */
  scoped?: 'connections' | 'exports' | 'imports';
  patchable?: boolean;
  /** Server-set fields on create. */
  createDefaults?(store: Store, body: Record<string, unknown>): Record<string, unknown>;
  /** Unknown references and cross-field rules; return entries to answer 422. */
  check?(store: Store, body: Record<string, unknown>): ErrorEntry[];
  /** Hidden-state hooks after a write (prev undefined on create). */
  afterWrite?(store: Store, prev: Rec | undefined, next: Rec): void;
  /** Runs before the record is removed (cascades). */
  beforeDelete?(store: Store, rec: Rec, by: string): void;
  /** The list for GET /{kind}; default: every record. */
  listSource?(ctx: Ctx): Iterable<Rec>;
}

export function getOr404(store: Store, kind: Kind, id: string, label: string): Rec {
  const rec = store.get(kind, id);
  if (!rec) throw notFound(label);
  return rec;
}

function strip(body: Record<string, unknown>, readOnly: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!readOnly.includes(k)) out[k] = v;
  return out;
}

function checked(spec: ResourceSpec, store: Store, body: Record<string, unknown>): void {
  const entries = spec.check?.(store, body) ?? [];
  if (entries.length) throw new ApiError(422, entries);
}

export function visibleList(ctx: Ctx, spec: ResourceSpec, items: Iterable<Rec>): Iterable<Rec> {
  if (ctx.caller.scope === '*' || !spec.scoped) return items;
  const kind = spec.scoped;
  return [...items].filter((r) => ctx.visible(kind, r));
}

export function createResource(spec: ResourceSpec, ctx: Ctx, bodyIn: unknown): Rec {
  const body = validateBody(spec.schema, bodyIn);
  const clean = strip(body, [...ALWAYS_READ_ONLY, ...(spec.readOnly ?? [])]);
  checked(spec, ctx.store, clean);
  const rec = ctx.store.create(spec.kind, { ...clean, ...spec.createDefaults?.(ctx.store, clean) }, ctx.caller.userId);
  spec.afterWrite?.(ctx.store, undefined, rec);
  return rec;
}

export function crudRoutes(spec: ResourceSpec): RouteDef[] {
  const { kind, label } = spec;
  const base = `/${kind}`;
  const itemAccess: Access | undefined = spec.scoped ? { kind: spec.scoped } : undefined;
  const readOnly = [...ALWAYS_READ_ONLY, ...(spec.readOnly ?? [])];

  const list = (ctx: Ctx): Reply =>
    listReply(ctx, visibleList(ctx, spec, spec.listSource ? spec.listSource(ctx) : ctx.store.map(kind).values()), { defaults: spec.listDefaults });

  const create = (ctx: Ctx): Reply => {
    if (ctx.caller.scope !== '*') throw new ApiError(403, 'forbidden', 'This token may not create resources.');
    return ok(createResource(spec, ctx, ctx.body), 201);
  };

  const get = (ctx: Ctx): Reply => ok(getOr404(ctx.store, kind, ctx.params.id, label));

  const put = (ctx: Ctx): Reply => {
    const prev = getOr404(ctx.store, kind, ctx.params.id, label);
    const body = validateBody(spec.schema, ctx.body);
    const clean = restoreMasked(strip(body, readOnly), prev) as Record<string, unknown>;
    checked(spec, ctx.store, clean);
    const kept: Record<string, unknown> = {};
    for (const k of spec.readOnly ?? []) if (prev[k] !== undefined) kept[k] = prev[k];
    const next = ctx.store.replace(kind, prev._id, { ...clean, ...kept }, ctx.caller.userId);
    spec.afterWrite?.(ctx.store, prev, next);
    return ok(next);
  };

  const patch = (ctx: Ctx): Reply => {
    const prev = getOr404(ctx.store, kind, ctx.params.id, label);
    const ops = parsePatch(kind, ctx.body);
    const changed = applyPatch(prev, ops);
    const r = spec.schema.safeParse(changed);
    if (!r.success) validateBody(spec.schema, changed); // throws the 422 with field entries
    checked(spec, ctx.store, changed);
    const next = ctx.store.replace(kind, prev._id, changed, ctx.caller.userId);
    spec.afterWrite?.(ctx.store, prev, next);
    return { status: 204 };
  };

  const del = (ctx: Ctx): Reply => {
    const prev = getOr404(ctx.store, kind, ctx.params.id, label);
    spec.beforeDelete?.(ctx.store, prev, ctx.caller.userId);
    ctx.store.remove(kind, prev._id, ctx.caller.userId);
    return { status: 204 };
  };

  const routes: RouteDef[] = [
    { method: 'GET', path: base, handler: list, access: spec.scoped ? { kind: spec.scoped } : undefined },
    { method: 'POST', path: base, handler: create, access: spec.scoped ? { kind: spec.scoped } : undefined },
    { method: 'GET', path: `${base}/:id`, handler: get, access: itemAccess },
    { method: 'PUT', path: `${base}/:id`, handler: put, access: itemAccess, note: 'full replace' },
    { method: 'DELETE', path: `${base}/:id`, handler: del, access: itemAccess },
  ];
  if (spec.patchable) routes.push({ method: 'PATCH', path: `${base}/:id`, handler: patch, access: itemAccess, note: 'whitelisted paths only' });
  return routes;
}

/** GET /{kind}/{id}/audit and /{kind}/{id}/dependencies. */
export function auditAndDependencyRoutes(spec: ResourceSpec): RouteDef[] {
  const { kind, label } = spec;
  const access: Access | undefined = spec.scoped ? { kind: spec.scoped } : undefined;
  return [
    {
      method: 'GET',
      path: `/${kind}/:id/audit`,
      access,
      note: 'entries {event, byUser} (W4), newest first, Link-paged like GET /audit',
      handler: (ctx) => {
        const rec = getOr404(ctx.store, kind, ctx.params.id, label);
        return auditReply(ctx, ctx.store.audit.query({ resourceType: RESOURCE_TYPE[kind], resourceId: rec._id }));
      },
    },
    {
      method: 'GET',
      path: `/${kind}/:id/dependencies`,
      access,
      note: '{integrations,flows,exports,imports,connections} of {id,name} (W7)',
      handler: (ctx) => {
        const rec = getOr404(ctx.store, kind, ctx.params.id, label);
        return ok(renderDependencies(dependencies(ctx.store, kind, rec), otherForm(ctx.config, 'dependencies')));
      },
    },
  ];
}
