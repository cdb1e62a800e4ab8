// Lookup caches, read-only (issue 17 item 5): the caches with their sizes, and the keys and values of one.
// getData answers at most 1000 keys and has no cursor (celigo-api.md §4.5, AI): a larger cache is read
// by key prefix; the page and cursor the tools offer are over that one answer.
import { GET_DATA_MAX, type LookupCache } from '../core/lookup-caches.js';
import type { OpContext } from './context.js';
import { matchByName } from './resolve.js';

export interface CacheRow extends Record<string, unknown> {
  id: string;
  name?: string;
  sizeBytes?: number;
  sizeInMB?: string;
  integrationId?: string;
  description?: string;
  lastModified?: string;
}

const rowOf = (c: LookupCache): CacheRow => ({
  id: c._id,
  name: c.name,
  sizeBytes: c.size,
  sizeInMB: c.sizeInMB,
  integrationId: c._integrationId,
  description: c.description,
  lastModified: c.lastModified,
});

export async function listLookupCaches(ctx: OpContext): Promise<CacheRow[]> {
  return (await ctx.api.lookupCaches.list({ signal: ctx.signal })).map(rowOf);
}

export interface CacheData {
  cache: CacheRow;
  /** Keys and values of the answer (at most 1000), sorted as the API gave them. */
  entries: { key: string; value: string }[];
  /** The answer held as many keys as getData ever returns: there may be more; narrow with startsWith. */
  capped: boolean;
  startsWith?: string;
}

export async function lookupCacheData(ctx: OpContext, input: { cache: string; startsWith?: string; keys?: string[] }): Promise<CacheData> {
  const q = input.cache.trim();
  const all = await ctx.api.lookupCaches.list({ signal: ctx.signal });
  const cache = all.find((c) => c._id === q) ?? matchByName(all.map((c) => ({ ...c, name: c.name ?? c._id })), q, 'lookup cache', 'list_lookup_caches');
  const entries = await ctx.api.lookupCaches.getData(cache._id, { startsWith: input.startsWith, keys: input.keys?.length ? input.keys : undefined }, { signal: ctx.signal });
  return { cache: rowOf(cache), entries, capped: !input.keys?.length && entries.length >= GET_DATA_MAX, ...(input.startsWith ? { startsWith: input.startsWith } : {}) };
}
