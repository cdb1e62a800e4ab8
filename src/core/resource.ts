// CRUD shared by every integrator.io resource collection (integrations, flows, exports, imports, connections, tags).
import type { z } from 'zod';
import type { HttpClient, RequestOptions } from './http.js';
import { listAll, type ListOptions } from './paging.js';
import { readModifyWrite, type Mutator, type UpdateOptions } from './update.js';
import { listAudit, type AuditEntry } from './audit.js';
import { UnexpectedShapeError, UsageError, describeShape } from './errors.js';

export type Query = RequestOptions['query'];
export interface Call {
  signal?: AbortSignal;
}

export interface Dependency {
  type: string;
  _id: string;
  name?: string;
}

/** Patch body format: the reference does not settle it (celigo-api.md §1.4, §11). */
export type PatchFormat = 'json-patch' | 'merge';

export class ResourceApi<T extends { _id: string; lastModified?: string }> {
  constructor(
    protected readonly http: HttpClient,
    readonly path: string,
    protected readonly schema: z.ZodType<T>,
    protected readonly patchFormat: PatchFormat = 'json-patch',
  ) {}

  protected parse(v: unknown): T {
    return this.schema.parse(v);
  }

  async list(query?: Query, opts?: ListOptions): Promise<T[]>;
  /**
   * `keep` turns each validated row into what the caller keeps (the fields it uses), as its page arrives;
   * `stream` reads each page row by row as it arrives, for a long list read once (core/paging.ts).
   */
  async list<U>(query: Query, opts: ListOptions & { keep: (row: T) => U; stream?: boolean }): Promise<U[]>;
  async list<U>(query: Query = {}, opts: ListOptions & { keep?: (row: T) => U; stream?: boolean } = {}): Promise<(T | U)[]> {
    // Each page validated as it arrives: the raw rows of a long list are never all kept beside their copies.
    const keep = opts.keep;
    return listAll<T | U>(this.http, `/${this.path}`, query, { ...opts, parse: keep ? (r) => keep(this.parse(r)) : (r) => this.parse(r) });
  }

  async get(id: string, call: Call = {}): Promise<T> {
    const res = await this.http.request('GET', `/${this.path}/${enc(id)}`, { signal: call.signal });
    return this.parse(res.body);
  }

  async create(body: Record<string, unknown>, call: Call = {}): Promise<T> {
    const res = await this.http.request('POST', `/${this.path}`, { body, signal: call.signal });
    return this.parse(res.body);
  }

  /** Raw PUT (full replace). Prefer `update`, which reads first. */
  async replace(id: string, body: Record<string, unknown>, call: Call = {}): Promise<T> {
    const res = await this.http.request('PUT', `/${this.path}/${enc(id)}`, { body, signal: call.signal });
    return this.parse(res.body);
  }

  /** Read-modify-write: the only safe way to change a few fields with PUT. */
  update(id: string, mutate: Mutator<T>, opts: UpdateOptions & Call = {}): Promise<T> {
    return readModifyWrite<T>(
      {
        resource: this.path.replace(/s$/, ''),
        id,
        get: () => this.get(id, opts),
        put: (body) => this.replace(id, body, opts),
      },
      mutate,
      opts,
    );
  }

  /** PATCH whitelisted fields (204). `fields` keys are JSON-pointer-like paths without the leading slash. */
  async patch(id: string, fields: Record<string, unknown>, call: Call = {}): Promise<void> {
    const body =
      this.patchFormat === 'json-patch'
        ? Object.entries(fields).map(([path, value]) => ({ op: 'replace', path: pointer(path), value }))
        : fields;
    await this.http.request('PATCH', `/${this.path}/${enc(id)}`, { body, signal: call.signal });
  }

  /**
   * PATCH that removes whitelisted fields (204): JSON-Patch `remove` ops, as Celigo's web app clears an
   * integration's tag (celigo-api.md W5); in a merge patch, `null` values.
   */
  async unset(id: string, paths: string[], call: Call = {}): Promise<void> {
    const body =
      this.patchFormat === 'json-patch'
        ? paths.map((path) => ({ op: 'remove', path: pointer(path) }))
        : Object.fromEntries(paths.map((path) => [path.replace(/^\//, ''), null]));
    await this.http.request('PATCH', `/${this.path}/${enc(id)}`, { body, signal: call.signal });
  }

  async delete(id: string, call: Call = {}): Promise<void> {
    await this.http.request('DELETE', `/${this.path}/${enc(id)}`, { signal: call.signal });
  }

  /** Resources using or used by this one, normalised from either shape (celigo-api.md W7, §3.4). */
  async dependencies(id: string, call: Call = {}): Promise<Dependency[]> {
    const path = `/${this.path}/${enc(id)}/dependencies`;
    const res = await this.http.request('GET', path, { signal: call.signal });
    return normaliseDependencies(res.body, `GET ${path}`);
  }

  /** Change log of one resource, every page (celigo-api.md W4; see core/audit.ts for the forms read). */
  audit(id: string, opts: ListOptions = {}): Promise<AuditEntry[]> {
    return listAudit(this.http, `/${this.path}/${enc(id)}/audit`, {}, opts);
  }
}

function pointer(path: string): string {
  return '/' + path.replace(/^\//, '');
}

/**
 * An id as one path segment. A blank id is refused before any request: `/v1/jobs/` + '' is the list of
 * jobs, not a job, and `/v1/flows/ /run` is nobody's flow.
 */
export function enc(id: string): string {
  if (typeof id !== 'string' || id.trim() === '') throw new UsageError('An id is empty: give the id (or, where the tool takes one, the name) of what to act on; the lists show them.');
  return encodeURIComponent(id);
}

/**
 * `{<plural type>: [{id, name}]}` as Celigo's web app reads it (W7: entries carry `id`), with `_id`
 * accepted too (the 2023 evidence could be out of date), or ILY's `{dependencies:[{type,_id,name}]}`.
 * No body means nothing depends on it; any other shape is an error, never "no dependencies".
 */
export function normaliseDependencies(body: unknown, endpoint = 'GET …/dependencies'): Dependency[] {
  if (body === undefined || body === null || body === '') return [];
  if (typeof body !== 'object' || Array.isArray(body)) throw new UnexpectedShapeError(endpoint, '{<type>s:[{id,name}]}', describeShape(body));
  const b = body as Record<string, unknown>;
  const out: Dependency[] = [];
  const idOf = (item: Record<string, unknown>): string | undefined => (typeof item.id === 'string' ? item.id : typeof item._id === 'string' ? item._id : undefined);
  const lists = Array.isArray(b.dependencies) ? [['', b.dependencies] as const] : Object.entries(b);
  for (const [key, list] of lists) {
    if (!Array.isArray(list)) throw new UnexpectedShapeError(endpoint, '{<type>s:[{id,name}]}', describeShape(body));
    for (const item of list) {
      const r = item && typeof item === 'object' ? (item as Record<string, unknown>) : undefined;
      const id = r && idOf(r);
      if (!r || !id) throw new UnexpectedShapeError(endpoint, 'entries with id or _id', `an entry that is ${describeShape(item)}`);
      const type = key ? key.replace(/s$/, '') : String(r.type ?? 'unknown');
      out.push({ type, _id: id, name: typeof r.name === 'string' ? r.name : undefined });
    }
  }
  return out;
}
