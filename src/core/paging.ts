// Reading lists to the end (or to a caller's limit): Link headers, 204 = empty, the jobs
// createdAt_lte cursor, and nextPageURL for flow-step errors (celigo-api.md §1.7).
import type { HttpClient, HttpResponse, RequestOptions } from './http.js';
import { UnexpectedShapeError, describeShape } from './errors.js';
import { asArray } from './http-answers.js';
import { inReadCache } from './shared-reads.js';

export interface ListOptions {
  /** Stop after this many items (the result may then be incomplete). */
  limit?: number;
  signal?: AbortSignal;
}

/** Each row turned into what is kept as its page arrives (validation): a page's raw rows are never all kept. */
type Parse<T> = { parse?: (row: unknown) => T };

/** RFC 5988 `Link` header → the URL of rel="next", if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (m && /rel="?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2])) return m[1];
  }
  return undefined;
}

export { asArray };

/**
 * The rows of an answer that puts them under one of `keys` (`{resolved:[…]}`, `{jobs:[…]}`), or, where
 * `bareArray` allows, a bare array; no body (204) is an empty list. Any other shape is an error that
 * names the endpoint and the keys it saw, never an empty list.
 */
export function listIn<T>(body: unknown, keys: readonly string[], endpoint: string, bareArray = false): { rows: T[]; nextPageURL?: string } {
  if (body === undefined || body === null || body === '') return { rows: [] };
  if (Array.isArray(body)) {
    if (bareArray) return { rows: body as T[] };
  } else if (typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const key = keys.find((k) => Array.isArray(b[k]));
    const next = typeof b.nextPageURL === 'string' && b.nextPageURL ? b.nextPageURL : undefined;
    if (key) return { rows: b[key] as T[], nextPageURL: next };
  }
  const expected = keys.map((k) => `{${k}:[…]}`).join(' or ') + (bareArray ? ' or an array' : '');
  throw new UnexpectedShapeError(endpoint, expected, describeShape(body));
}

function endpointOf(method: string, path: string): string {
  return `${method} ${path.replace(/^https?:\/\/[^/]+/, '').replace(/\?.*$/, '')}`;
}

/**
 * GET a Link-paged list. `rows` reads one page (default: a JSON array); the audit log passes its own,
 * and pages by Link whatever the account's `listPaging` form (that row is about resource lists).
 */
export async function listAll<T>(
  http: HttpClient,
  path: string,
  query: RequestOptions['query'] = {},
  opts: ListOptions & Parse<T> & { rows?: (body: unknown, endpoint: string) => unknown[]; stream?: boolean } = {},
): Promise<T[]> {
  const out: T[] = [];
  const parse = opts.parse ?? ((r: unknown) => r as T);
  let next: string | undefined = path;
  let q: RequestOptions['query'] | undefined = query;
  const seen = new Set<string>();
  const rows = opts.rows ?? ((body: unknown, endpoint: string) => asArray<unknown>(body, endpoint));
  if (http.forms.listPaging === 'skip' && !opts.rows) return listBySkip<T>(http, path, query, opts);
  // Row by row only where no session keeps its lists (the CLI, a one-shot check): a session's next tool
  // call reuses the list read whole (shared-reads.ts), which is worth more there than the memory.
  if (opts.stream && !opts.rows && opts.limit === undefined && !inReadCache()) return listStreamed(http, path, query, parse, opts.signal);
  while (next) {
    const res = await http.request<unknown>('GET', next, { query: q, signal: opts.signal });
    for (const item of rows(res.body, endpointOf('GET', next))) {
      out.push(parse(item));
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

/**
 * A Link-paged list read row by row as each page's body arrives (HttpClient.rows): for a long list read
 * once (the health check's flows), no page is held whole. Such reads are not shared with an identical GET
 * in flight nor kept in a session's list cache. A retried attempt's rows replace the failed one's.
 */
async function listStreamed<T>(http: HttpClient, path: string, query: RequestOptions['query'], parse: (row: unknown) => T, signal?: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  const seen = new Set<string>();
  let next: string | undefined = path;
  let q: RequestOptions['query'] | undefined = query;
  while (next) {
    let page: T[] = [];
    let attempt = 0;
    const endpoint = endpointOf('GET', next);
    const { headers } = await http.rows(next, { query: q, signal, endpoint, row: (v, a) => {
      if (a !== attempt) [attempt, page] = [a, []];
      page.push(parse(v));
    } });
    for (const r of page) out.push(r);
    const link = nextLink(headers.get('link'));
    if (!link || seen.has(link)) break;
    seen.add(link);
    next = link;
    q = undefined;
  }
  return out;
}

/** Page size asked for where an account sends no Link header (doctor's `link-paging` row). */
export const SKIP_PAGE_SIZE = 1000;

/** A list on an account that sends no Link header: explicit limit and skip until a short page. */
async function listBySkip<T>(http: HttpClient, path: string, query: RequestOptions['query'] = {}, opts: ListOptions & Parse<T> = {}): Promise<T[]> {
  const out: T[] = [];
  const parse = opts.parse ?? ((r: unknown) => r as T);
  for (let skip = 0; ; skip += SKIP_PAGE_SIZE) {
    const res = await http.request<unknown>('GET', path, { query: { ...query, limit: SKIP_PAGE_SIZE, skip }, signal: opts.signal });
    const rows = asArray<unknown>(res.body, endpointOf('GET', path));
    for (const item of rows) {
      out.push(parse(item));
      if (opts.limit !== undefined && out.length >= opts.limit) return out;
    }
    if (rows.length < SKIP_PAGE_SIZE) return out;
  }
}

export interface JobLike {
  _id: string;
  createdAt: string;
}

export interface JobPagingOptions<T> extends ListOptions {
  /** A full page holds this many rows; a shorter one is the last (default 1000). */
  pageThreshold?: number;
  /** Turns each new raw row into the item returned (validation, typically). Runs while the next page is on its way. */
  parse?: (row: JobLike) => T;
  /** Hands each item here instead of keeping it (the result is then empty): memory stays flat. */
  each?: (item: T) => void;
}

/**
 * GET /jobs to the end. A page holds up to ~1000 rows, newest first, with no Link header; the next
 * page is asked for with createdAt_lte = the oldest createdAt seen. Rows sharing that millisecond
 * come back again and are dropped by _id; when a page brings nothing new we step back 1 ms.
 *
 * The pages form a chain (each cursor comes from the page before), so the wall time is the sum of the
 * round trips. The cursor needs only the raw rows; `parse` runs on a page after the next request has
 * been sent, so that the work per row overlaps the network instead of adding to it.
 */
export async function listAllJobs<T = JobLike>(
  http: HttpClient,
  query: NonNullable<RequestOptions['query']>,
  opts: JobPagingOptions<T> = {},
): Promise<T[]> {
  const threshold = opts.pageThreshold ?? 1000;
  const parse = opts.parse ?? ((row: JobLike) => row as T);
  const out: T[] = [];
  const keep = opts.each ?? ((item: T) => void out.push(item));
  let count = 0;
  const ids = new Set<string>();
  let q = { ...query };
  let page: Promise<HttpResponse<unknown>> | undefined = http.request<unknown>('GET', '/jobs', { query: q, signal: opts.signal });
  while (page) {
    const rows = asArray<JobLike>((await page).body, 'GET /jobs');
    // As many new rows as the caller's limit leaves room for (at least one, as listAll does).
    const room = opts.limit === undefined ? Infinity : Math.max(1, opts.limit - count);
    const fresh = newRows(rows, ids, room);
    page = undefined;
    if (fresh.length < room && rows.length >= threshold) {
      q = { ...q, createdAt_lte: nextCursor(q.createdAt_lte, rows[rows.length - 1].createdAt, fresh.length > 0) };
      page = http.request<unknown>('GET', '/jobs', { query: q, signal: opts.signal });
    }
    try {
      for (const r of fresh) keep(parse(r));
      count += fresh.length;
    } catch (err) {
      // The page already in flight is no longer wanted; it must not surface as an unhandled rejection.
      page?.catch(() => undefined);
      throw err;
    }
  }
  return out;
}

/** Rows of a page not seen before (recorded in `ids`), at most `room` of them. */
function newRows(rows: JobLike[], ids: Set<string>, room: number): JobLike[] {
  const fresh: JobLike[] = [];
  for (const r of rows) {
    if (fresh.length >= room) break;
    if (ids.has(r._id)) continue;
    ids.add(r._id);
    fresh.push(r);
  }
  return fresh;
}

/**
 * createdAt_lte for the page after one whose oldest row is `oldest`: that millisecond again (rows
 * sharing it may have been cut off), or 1 ms before it when the page brought nothing new or the
 * cursor would not move.
 */
function nextCursor(current: unknown, oldest: string, broughtNew: boolean): string {
  const oldestMs = Date.parse(oldest);
  const cursor = new Date(broughtNew ? oldestMs : oldestMs - 1).toISOString();
  return cursor === current ? new Date(oldestMs - 1).toISOString() : cursor;
}

/**
 * Follow `nextPageURL` in the body (flow-step errors, running jobs). `keys` are the keys the rows may
 * come under (the first is the documented one); any other shape is an error (see listIn).
 */
export async function listAllByNextPageUrl<T>(
  http: HttpClient,
  path: string,
  keys: readonly string[],
  query: RequestOptions['query'] = {},
  opts: ListOptions & { method?: 'GET' | 'POST'; body?: unknown; bareArray?: boolean } = {},
): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = path;
  let q: RequestOptions['query'] | undefined = query;
  const seen = new Set<string>();
  while (next) {
    // The first request of a POST list carries the filter; nextPageURL pages are plain GETs.
    const first: boolean = next === path;
    const method: 'GET' | 'POST' = first ? (opts.method ?? 'GET') : 'GET';
    const res: { body: unknown } = await http.request<unknown>(method, next, {
      query: q,
      signal: opts.signal,
      ...(method === 'POST' ? { body: opts.body ?? {}, readOnlyPost: true } : {}),
    });
    const page: { rows: T[]; nextPageURL?: string } = listIn<T>(res.body, keys, endpointOf(method, next), opts.bareArray);
    for (const item of page.rows) {
      out.push(item);
      if (opts.limit !== undefined && out.length >= opts.limit) return out;
    }
    const n: string | undefined = page.nextPageURL;
    if (!n || seen.has(n)) break;
    seen.add(n);
    next = n;
    q = undefined;
  }
  return out;
}
