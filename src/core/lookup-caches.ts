// Lookup caches (celigo-api.md §4.5): the objects (Link-paged like every list) and their data. getData
// reads at most 1000 keys per call, by prefix or by keys (AI `configuring-lookup-caches`); there is no
// cursor. Its answer is undocumented: `{data:[{key,value}]}` and a bare array are both read.
import { z } from 'zod';
import type { HttpClient } from './http.js';
import { listAll, type ListOptions } from './paging.js';
import { enc, type Call } from './resource.js';
import { UnexpectedShapeError, describeShape } from './errors.js';

export const lookupCache = z.looseObject({
  _id: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  _integrationId: z.string().optional(),
  size: z.number().optional(),
  sizeInMB: z.string().optional(),
  lastModified: z.string().optional(),
});
export type LookupCache = z.infer<typeof lookupCache>;
export interface CacheEntry {
  key: string;
  value: string;
}

/** Most keys one getData answers. */
export const GET_DATA_MAX = 1000;

export class LookupCachesApi {
  constructor(private readonly http: HttpClient) {}

  list(opts: ListOptions = {}): Promise<LookupCache[]> {
    return listAll<LookupCache>(this.http, '/lookupcaches', {}, { ...opts, parse: (r) => lookupCache.parse(r) });
  }

  async get(id: string, call: Call = {}): Promise<LookupCache> {
    const res = await this.http.request('GET', `/lookupcaches/${enc(id)}`, { signal: call.signal });
    return lookupCache.parse(res.body);
  }

  /** POST …/getData (reads only): the first ≤1000 keys, those starting with a prefix, or the keys named. */
  async getData(id: string, query: { startsWith?: string; keys?: string[] } = {}, call: Call = {}): Promise<CacheEntry[]> {
    const path = `/lookupcaches/${enc(id)}/getData`;
    const body = query.keys?.length ? { keys: query.keys } : query.startsWith ? { startsWith: query.startsWith } : undefined;
    const res = await this.http.request('POST', path, { body, readOnlyPost: true, signal: call.signal });
    if (res.status === 204 || res.body === undefined || res.body === '') return [];
    const b = res.body as { data?: unknown };
    const rows = Array.isArray(b) ? b : Array.isArray(b?.data) ? b.data : undefined;
    if (!rows) throw new UnexpectedShapeError(`POST ${path}`, '{data:[{key,value}]}', describeShape(res.body));
    return rows.map((r: unknown) => {
      const e = (r ?? {}) as Record<string, unknown>;
      return { key: String(e.key ?? ''), value: typeof e.value === 'string' ? e.value : JSON.stringify(e.value) };
    });
  }

  /** POST …/data: upserts entries (values are strings). */
  async putData(id: string, data: CacheEntry[], call: Call = {}): Promise<void> {
    await this.http.request('POST', `/lookupcaches/${enc(id)}/data`, { body: { data }, signal: call.signal });
  }

  async create(body: { name: string; description?: string; _integrationId?: string }, call: Call = {}): Promise<LookupCache> {
    const res = await this.http.request('POST', '/lookupcaches', { body, signal: call.signal });
    return lookupCache.parse(res.body);
  }
}
