// Link-paged resource lists (celigo-api.md §1.7, §1.8): limit/skip, absolute Link URLs with rel="next" and
// rel="prev", equality filters on fields, include/exclude projection, 204 when empty.
import { ApiError, type Reply } from './respond.js';
import type { Ctx } from './router.js';
import type { Rec } from './store.js';
import { parseIntParam } from './validate.js';
import { otherForm } from './config.js';
import { isBracketKey } from './query.js';

const RESERVED = new Set(['limit', 'skip', 'include', 'exclude', 'mergeInstance']);
const FIELD_LIST = /^[A-Za-z0-9_$.]+(,[A-Za-z0-9_$.]+)*$/;

function getPath(o: unknown, path: string): unknown {
  if (!path.includes('.')) return (o as Record<string, unknown>)[path];
  let v = o;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function matches(rec: Rec, key: string, want: string): boolean {
  const v = getPath(rec, key);
  if (Array.isArray(v)) return v.some((x) => String(x) === want);
  // `_integrationId=none` addresses standalone flows (celigo-api.md W12): a reference that is not set.
  if (v === undefined || v === null) return want === 'false' || want === 'null' || (key.startsWith('_') && want === 'none');
  if (typeof v === 'object') return JSON.stringify(v) === want;
  return String(v) === want;
}

/** Applies the equality filters in the query (every parameter that is not paging or projection). */
export function filterByQuery(items: Iterable<Rec>, query: URLSearchParams, reserved: Set<string> = RESERVED): Rec[] {
  const filters: [string, string][] = [];
  for (const [k, v] of query) if (!reserved.has(k) && !isBracketKey(k)) filters.push([k, v]);
  const out: Rec[] = [];
  for (const r of items) {
    let ok = true;
    for (const [k, v] of filters) {
      if (!matches(r, k, v)) {
        ok = false;
        break;
      }
    }
    if (ok) out.push(r);
  }
  return out;
}

function setPath(target: Record<string, unknown>, src: unknown, path: string[]): void {
  const [head, ...rest] = path;
  if (src === null || typeof src !== 'object') return;
  const v = (src as Record<string, unknown>)[head];
  if (v === undefined) return;
  if (!rest.length) {
    target[head] = v;
    return;
  }
  const next = (target[head] && typeof target[head] === 'object' ? target[head] : {}) as Record<string, unknown>;
  target[head] = next;
  setPath(next, v, rest);
}

function deletePath(o: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const [head, ...rest] = path;
  if (!(head in o)) return o;
  const copy = { ...o };
  if (!rest.length) delete copy[head];
  else if (copy[head] && typeof copy[head] === 'object' && !Array.isArray(copy[head])) copy[head] = deletePath(copy[head] as Record<string, unknown>, rest);
  return copy;
}

export interface Projection {
  include?: string[];
  exclude?: string[];
}

export function parseProjection(query: URLSearchParams): Projection {
  const inc = query.get('include');
  const exc = query.get('exclude');
  if (inc !== null && exc !== null) {
    throw new ApiError(400, 'invalid_query_params', 'Please provide either include or exclude param in the request query and not both.');
  }
  for (const [name, v] of [['include', inc], ['exclude', exc]] as const) {
    if (v !== null && !FIELD_LIST.test(v)) throw new ApiError(400, 'invalid_query_params', `Invalid characters in the ${name} param.`, name);
  }
  return { include: inc?.split(','), exclude: exc?.split(',') };
}

export function project(rec: Rec, p: Projection, defaults: readonly string[]): Record<string, unknown> {
  if (p.include) {
    const out: Record<string, unknown> = { _id: rec._id };
    for (const f of ['name', ...defaults, ...p.include]) setPath(out, rec, f.split('.'));
    return out;
  }
  if (p.exclude) {
    let out: Record<string, unknown> = rec;
    for (const f of p.exclude) if (f !== '_id') out = deletePath(out, f.split('.'));
    return out;
  }
  return rec;
}

export interface ListOptions {
  /** Fields always kept by `include` (besides _id and name). */
  defaults?: readonly string[];
  /** Skip query filtering (the caller already filtered). */
  prefiltered?: boolean;
}

/** Filters, pages and projects `items`, and builds the Link header. */
export function listReply(ctx: Ctx, items: Iterable<Rec>, opts: ListOptions = {}): Reply {
  const proj = parseProjection(ctx.query);
  const limitQ = ctx.query.get('limit');
  const skipQ = ctx.query.get('skip');
  const cap = Math.max(1000, ctx.config.pageSize);
  const limit = Math.min(cap, limitQ !== null ? parseIntParam('limit', limitQ, 1) : ctx.config.pageSize);
  const skip = skipQ !== null ? parseIntParam('skip', skipQ, 0) : 0;
  const all = opts.prefiltered ? [...items] : filterByQuery(items, ctx.query);
  const page = all.slice(skip, skip + limit);
  const links: string[] = [];
  const link = (s: number, rel: string): string => {
    const q = new URLSearchParams(ctx.query);
    q.set('skip', String(s));
    q.set('limit', String(limit));
    return `<${ctx.origin}/v1${ctx.path}?${q.toString()}>; rel="${rel}"`;
  };
  if (skip + limit < all.length) links.push(link(skip + limit, 'next'));
  if (skip > 0) links.push(link(Math.max(0, skip - limit), 'prev'));
  // Other form of `link-paging`: limit and skip honoured, but no Link header (clients page with skip).
  const headers = links.length && !otherForm(ctx.config, 'link-paging') ? { Link: links.join(', ') } : undefined;
  if (page.length === 0) {
    const status = otherForm(ctx.config, 'empty-list') ? 200 : ctx.config.emptyListStatus;
    return status === 204 ? { status: 204, headers } : { status: 200, body: [], headers };
  }
  const defaults = opts.defaults ?? [];
  const body = proj.include || proj.exclude ? page.map((r) => project(r, proj, defaults)) : page;
  return { status: 200, body, headers };
}
