// CRUD shared by every integrator.io resource collection (integrations, flows, exports, imports, connections, tags).
import type { z } from 'zod';
import type { HttpClient, RequestOptions } from './http.js';
import { listAll, type ListOptions } from './paging.js';
import { readModifyWrite, type Mutator, type UpdateOptions } from './update.js';

export type Query = RequestOptions['query'];
export interface Call {
  signal?: AbortSignal;
}

export interface Dependency {
  type: string;
  _id: string;
  name?: string;
}

export interface AuditEntry {
  _id?: string;
  resourceType?: string;
  _resourceId?: string;
  _byUserId?: string;
  source?: string;
  action?: string;
  time?: string;
  fieldChanges?: { fieldPath: string; oldValue?: unknown; newValue?: unknown }[];
  [k: string]: unknown;
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

  async list(query: Query = {}, opts: ListOptions = {}): Promise<T[]> {
    const rows = await listAll<unknown>(this.http, `/${this.path}`, query, opts);
    return rows.map((r) => this.parse(r));
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

  /** Resources using or used by this one, normalised from either documented shape (celigo-api.md §3.4). */
  async dependencies(id: string, call: Call = {}): Promise<Dependency[]> {
    const res = await this.http.request('GET', `/${this.path}/${enc(id)}/dependencies`, { signal: call.signal });
    return normaliseDependencies(res.body);
  }

  /** Change log of one resource; accepts a bare array or `{auditLogs: [...]}` (celigo-api.md §3.4, §9.4). */
  async audit(id: string, call: Call = {}): Promise<AuditEntry[]> {
    const res = await this.http.request('GET', `/${this.path}/${enc(id)}/audit`, { signal: call.signal });
    return normaliseAudit(res.body);
  }
}

function pointer(path: string): string {
  return '/' + path.replace(/^\//, '');
}

export function enc(id: string): string {
  return encodeURIComponent(id);
}

export function normaliseDependencies(body: unknown): Dependency[] {
  if (!body || typeof body !== 'object') return [];
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.dependencies)) return b.dependencies as Dependency[];
  const out: Dependency[] = [];
  for (const [key, list] of Object.entries(b)) {
    if (!Array.isArray(list)) continue;
    const type = key.replace(/s$/, '');
    for (const item of list) {
      if (item && typeof item === 'object' && '_id' in item) {
        const r = item as { _id: string; name?: string };
        out.push({ type, _id: r._id, name: r.name });
      }
    }
  }
  return out;
}

export function normaliseAudit(body: unknown): AuditEntry[] {
  if (Array.isArray(body)) return body as AuditEntry[];
  if (body && typeof body === 'object' && Array.isArray((body as { auditLogs?: unknown }).auditLogs)) {
    return (body as { auditLogs: AuditEntry[] }).auditLogs;
  }
  return [];
}
