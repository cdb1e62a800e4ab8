// Every id argument also takes a name: case-insensitive; several matches is an error listing them.
import type { CeligoClient } from '../core/client.js';
import { CeligoApiError, UsageError } from '../core/errors.js';
import { OBJECT_ID, type Integration, type Flow, type Export, type Import, type Connection } from '../core/schemas.js';

interface Named {
  _id: string;
  name?: string;
}

const CACHE_MS = 15_000;
const cache = new WeakMap<CeligoClient, Map<string, { at: number; rows: Named[] }>>();

async function cachedList<T extends Named>(api: CeligoClient, kind: string, load: () => Promise<T[]>, fresh: boolean): Promise<T[]> {
  let m = cache.get(api);
  if (!m) cache.set(api, (m = new Map()));
  const hit = m.get(kind);
  if (!fresh && hit && Date.now() - hit.at < CACHE_MS) return hit.rows as T[];
  const rows = await load();
  m.set(kind, { at: Date.now(), rows });
  return rows;
}

/** Forget cached name lists (after a create, rename or delete). */
export function invalidateNames(api: CeligoClient): void {
  cache.delete(api);
}

/** Shortest text accepted as part of a name: "x" must not pick "Daily Exchange Rates" for a change. */
export const MIN_PARTIAL = 4;

/** Pick the one row whose name matches: exact (case-insensitive) first, then a unique substring. */
export function matchByName<T extends Named>(rows: T[], query: string, kind: string, where: string, label: (r: T) => string = (r) => r.name ?? r._id): T {
  const q = query.trim().toLowerCase();
  if (!q) throw new UsageError(`Give ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} id or name; ${where} shows them.`);
  const exact = rows.filter((r) => (r.name ?? '').toLowerCase() === q);
  const matches = exact.length ? exact : q.length >= MIN_PARTIAL ? rows.filter((r) => (r.name ?? '').toLowerCase().includes(q)) : [];
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    throw new UsageError(`No ${kind} named "${query}"; ${where} shows the valid names and ids.`);
  }
  const shown = matches.slice(0, 10).map((r) => `${label(r)} (${r._id})`);
  throw new UsageError(
    `"${query}" matches ${matches.length} ${kind}s: ${shown.join('; ')}${matches.length > 10 ? '; …' : ''}. Give the id or the exact name.`,
    shown,
  );
}

async function resolve<T extends Named>(
  api: CeligoClient,
  idOrName: string,
  kind: string,
  where: string,
  get: (id: string) => Promise<T>,
  list: () => Promise<T[]>,
): Promise<T> {
  const v = String(idOrName ?? '').trim();
  if (OBJECT_ID.test(v)) {
    try {
      return await get(v);
    } catch (err) {
      // A 24-hex string might still be a name; fall through to names only on 404.
      if (!(err instanceof CeligoApiError && err.status === 404)) throw err;
    }
  }
  try {
    return matchByName(await cachedList(api, kind, list, false), v, kind, where);
  } catch (err) {
    if (!(err instanceof UsageError) || err.candidates) throw err;
    // Not in a possibly stale cache: read the list again before saying it does not exist.
    return matchByName(await cachedList(api, kind, list, true), v, kind, where);
  }
}

export const resolveIntegration = (api: CeligoClient, q: string): Promise<Integration> =>
  resolve(api, q, 'integration', 'the list of integrations', (id) => api.integrations.get(id), () => api.integrations.list());
export const resolveFlow = (api: CeligoClient, q: string): Promise<Flow> =>
  resolve(api, q, 'flow', 'the list of flows', (id) => api.flows.get(id), () => api.flows.list());
export const resolveExport = (api: CeligoClient, q: string): Promise<Export> =>
  resolve(api, q, 'export', 'the list of exports', (id) => api.exports.get(id), () => api.exports.list());
export const resolveImport = (api: CeligoClient, q: string): Promise<Import> =>
  resolve(api, q, 'import', 'the list of imports', (id) => api.imports.get(id), () => api.imports.list());
export const resolveConnection = (api: CeligoClient, q: string): Promise<Connection> =>
  resolve(api, q, 'connection', 'the list of connections', (id) => api.connections.get(id), () => api.connections.list());
