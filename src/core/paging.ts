// Reading lists to the end (or to a caller's limit): Link headers, 204 = empty, the jobs
// createdAt_lte cursor, and nextPageURL for flow-step errors (celigo-api.md §1.7).
import type { HttpClient, RequestOptions } from './http.js';

export interface ListOptions {
  /** Stop after this many items (the result may then be incomplete). */
  limit?: number;
  signal?: AbortSignal;
}

/** RFC 5988 `Link` header → the URL of rel="next", if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (m && /rel="?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2])) return m[1];
  }
  return undefined;
}

function asArray<T>(body: unknown): T[] {
  if (body === undefined || body === null || body === '') return [];
  if (Array.isArray(body)) return body as T[];
  throw new Error('Expected a JSON array from integrator.io');
}

/** GET a Link-paged list. */
export async function listAll<T>(
  http: HttpClient,
  path: string,
  query: RequestOptions['query'] = {},
  opts: ListOptions = {},
): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = path;
  let q: RequestOptions['query'] | undefined = query;
  const seen = new Set<string>();
  while (next) {
    const res = await http.request<unknown>('GET', next, { query: q, signal: opts.signal });
    for (const item of asArray<T>(res.body)) {
      out.push(item);
      if (opts.limit !== undefined && out.length >= opts.limit) return out;
    }
    const link = nextLink(res.headers.get('link'));
    // The next URL carries its own query; guard against a server that links to the same page forever.
    if (!link || seen.has(link)) break;
    seen.add(link);
    next = link;
    q = undefined;
  }
  return out;
}

export interface JobLike {
  _id: string;
  createdAt: string;
}

/**
 * GET /jobs to the end. A page holds up to ~1000 rows, newest first, with no Link header; the next
 * page is asked for with createdAt_lte = the oldest createdAt seen. Rows sharing that millisecond
 * come back again and are dropped by _id; when a page brings nothing new we step back 1 ms.
 */
export async function listAllJobs<T extends JobLike>(
  http: HttpClient,
  query: Record<string, string | number | boolean | undefined>,
  opts: ListOptions & { pageThreshold?: number } = {},
): Promise<T[]> {
  const threshold = opts.pageThreshold ?? 1000;
  const out: T[] = [];
  const ids = new Set<string>();
  let q = { ...query };
  for (;;) {
    const res = await http.request<unknown>('GET', '/jobs', { query: q, signal: opts.signal });
    const rows = asArray<T>(res.body);
    let fresh = 0;
    for (const r of rows) {
      if (ids.has(r._id)) continue;
      ids.add(r._id);
      out.push(r);
      fresh++;
      if (opts.limit !== undefined && out.length >= opts.limit) return out;
    }
    if (rows.length < threshold) return out;
    const oldest = rows[rows.length - 1].createdAt;
    const oldestMs = Date.parse(oldest);
    const cursor = fresh === 0 ? new Date(oldestMs - 1).toISOString() : new Date(oldestMs).toISOString();
    if (q.createdAt_lte === cursor) q = { ...q, createdAt_lte: new Date(oldestMs - 1).toISOString() };
    else q = { ...q, createdAt_lte: cursor };
  }
}

/** Follow `nextPageURL` in the body (flow-step errors). */
export async function listAllByNextPageUrl<T>(
  http: HttpClient,
  path: string,
  key: string,
  query: RequestOptions['query'] = {},
  opts: ListOptions = {},
): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = path;
  let q: RequestOptions['query'] | undefined = query;
  const seen = new Set<string>();
  while (next) {
    const res: { body: Record<string, unknown> | undefined } = await http.request<Record<string, unknown> | undefined>('GET', next, {
      query: q,
      signal: opts.signal,
    });
    const body: Record<string, unknown> = res.body ?? {};
    for (const item of (body[key] as T[] | undefined) ?? []) {
      out.push(item);
      if (opts.limit !== undefined && out.length >= opts.limit) return out;
    }
    const n: string | undefined = typeof body.nextPageURL === 'string' && body.nextPageURL ? body.nextPageURL : undefined;
    if (!n || seen.has(n)) break;
    seen.add(n);
    next = n;
    q = undefined;
  }
  return out;
}
