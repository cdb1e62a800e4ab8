import * as s from './schemas.js';
import type { HttpClient } from './http.js';
import { enc, type Call } from './resource.js';
import { asArray, listAllByNextPageUrl, listAllJobs, type ListOptions } from './paging.js';
import { readJobSlices } from './job-slices.js';

/** Every documented filter of GET /jobs (celigo-api.md §6.2). Dates: ISO, plain date or epoch ms. */
export interface JobFilters {
  _integrationId?: string;
  _exportId?: string;
  _importId?: string;
  _flowId?: string;
  _flowJobId?: string;
  _bulkJobId?: string;
  _jobId?: string;
  _flowId_in?: string[];
  createdAt_gte?: string;
  createdAt_lte?: string;
  createdAt_gt?: string;
  status?: (typeof s.JOB_STATUSES)[number] | (typeof s.JOB_STATUSES)[number][];
  type?: (typeof s.JOB_TYPES)[number];
  type_in?: (typeof s.JOB_TYPES)[number][];
  retriable?: boolean;
  numSuccess_gte?: number;
  numSuccess_lte?: number;
  numExport_gte?: number;
  numExport_lte?: number;
  numIgnore_gte?: number;
  numIgnore_lte?: number;
  numError_gte?: number;
  numError_lte?: number;
}

const optional = (v: unknown, type: 'string' | 'number') => v === undefined || typeof v === type;

/** The check of schemas.ts `job` without its copy: true only for what `job.parse` accepts unchanged. */
export function isJob(r: unknown): r is s.Job {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return false;
  const j = r as Record<string, unknown>;
  return (
    typeof j._id === 'string' && typeof j.type === 'string' && typeof j.status === 'string' && typeof j.createdAt === 'string' &&
    optional(j._flowId, 'string') && optional(j._integrationId, 'string') && optional(j._flowJobId, 'string') &&
    optional(j.numError, 'number') && optional(j.numOpenError, 'number') && optional(j.numResolved, 'number') && optional(j.numSuccess, 'number')
  );
}

/** How GET /jobs is read over a range: in parallel time slices (default), or one chain of pages. */
export type JobPaging = 'sliced' | 'chain';

/** A createdAt filter value (ISO, plain date, epoch ms) in ms; undefined when unreadable. */
function msOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || !v.trim()) return undefined;
  const t = /^\d+$/.test(v.trim()) ? Number(v) : Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * The range of a read that can be cut into time slices: it has a start, reads to the end (no limit: a
 * limit wants the newest rows, which the first page of a chain gives) and its bounds are readable.
 */
function sliceable(filters: JobFilters, opts: ListOptions): { lo: number; hi?: number; rest: Record<string, unknown> } | undefined {
  if (opts.limit !== undefined) return undefined;
  const { createdAt_gte, createdAt_gt, createdAt_lte, ...rest } = filters;
  const gte = msOf(createdAt_gte);
  const gt = msOf(createdAt_gt);
  const lte = createdAt_lte === undefined ? undefined : msOf(createdAt_lte);
  if ((createdAt_gte !== undefined && gte === undefined) || (createdAt_gt !== undefined && gt === undefined) || (createdAt_lte !== undefined && lte === undefined)) return undefined;
  const lo = Math.max(gte ?? -Infinity, gt !== undefined ? gt + 1 : -Infinity);
  if (!Number.isFinite(lo) || (lte !== undefined && lte < lo)) return undefined;
  return { lo, hi: lte, rest };
}

/** Filters as a query: arrays go to the HTTP layer as arrays (bracket arrays, celigo-api.md W1), never commas. */
function queryOf(filters: object): Record<string, string | number | boolean | string[]> {
  const query: Record<string, string | number | boolean | string[]> = {};
  for (const [k, v] of Object.entries(filters)) if (v !== undefined) query[k] = v as string | number | boolean | string[];
  return query;
}

export class JobsApi {
  constructor(
    private readonly http: HttpClient,
    private readonly paging: JobPaging = 'sliced',
  ) {}

  /**
   * All matching jobs, newest first. A read over a range (createdAt_gte, no limit) is cut into time
   * slices read in parallel (job-slices.ts); any other pages on with the createdAt_lte cursor, one page
   * after the other. Each page is validated and turned by `map` into what the caller keeps as it arrives.
   */
  list(filters: JobFilters, opts?: ListOptions): Promise<s.Job[]>;
  list<R>(filters: JobFilters, opts: ListOptions & { map: (job: s.Job) => R }): Promise<R[]>;
  async list<R>(filters: JobFilters, opts: ListOptions & { map?: (job: s.Job) => R } = {}): Promise<(s.Job | R)[]> {
    const { map, ...paging } = opts;
    const parse = map ? (r: unknown) => map(s.job.parse(r)) : (r: unknown) => s.job.parse(r);
    const range = this.paging === 'sliced' ? sliceable(filters, paging) : undefined;
    if (!range) return listAllJobs<s.Job | R>(this.http, queryOf(filters), { ...paging, parse });
    // Slices arrive in any order: each row keeps its time, and the rows are put newest first at the end
    // (a stable sort: rows of one millisecond come from one slice, in the API's order).
    const rows: { t: number; item: s.Job | R }[] = [];
    await readJobSlices(this.http, queryOf(range.rest), range.lo, range.hi, { signal: paging.signal, each: (r) => rows.push({ t: Date.parse(r.createdAt), item: parse(r) }) });
    return rows.sort((a, b) => b.t - a.t).map((r) => r.item);
  }

  /**
   * Every matching job handed to `each` once, in no particular order, none kept: what a caller that
   * aggregates uses, so that its memory does not grow with the account. Sliced as `list` is.
   */
  async forEach(filters: JobFilters, each: (job: s.Job) => void, opts: ListOptions = {}): Promise<void> {
    const range = this.paging === 'sliced' ? sliceable(filters, opts) : undefined;
    // A row that passes the schema is handed on as it came (no copy per job: on a long read the copies
    // were most of what the collector had to clear); one that does not fails with the schema's error.
    const visit = (r: unknown) => each(isJob(r) ? r : s.job.parse(r));
    if (!range) await listAllJobs<void>(this.http, queryOf(filters), { ...opts, parse: visit, each: () => {} });
    else await readJobSlices(this.http, queryOf(range.rest), range.lo, range.hi, { signal: opts.signal, each: visit });
  }

  async get(id: string, call: Call = {}): Promise<s.Job> {
    const res = await this.http.request('GET', `/jobs/${enc(id)}`, { signal: call.signal });
    return s.job.parse(res.body);
  }

  /** PUT /jobs/{id}/cancel (the official form; DELETE /jobs/{id} is the older one, §6.1). */
  async cancel(id: string, call: Call = {}): Promise<s.Job> {
    const res = await this.http.request('PUT', `/jobs/${enc(id)}/cancel`, { body: {}, signal: call.signal });
    return res.body ? s.job.parse(res.body) : this.get(id, call);
  }

  /** DELETE /jobs/{id}: the older way to cancel a flow job (celigo-api.md §6.1). */
  async delete(id: string, call: Call = {}): Promise<void> {
    await this.http.request('DELETE', `/jobs/${enc(id)}`, { signal: call.signal });
  }

  /** GET /jobs/{id}/joberrors: the legacy per-job error list (≤1000, celigo-api.md §6.4). */
  async jobErrors(id: string, call: Call = {}): Promise<Record<string, unknown>[]> {
    const res = await this.http.request('GET', `/jobs/${enc(id)}/joberrors`, { signal: call.signal });
    return asArray<Record<string, unknown>>(res.body, 'GET /jobs/{id}/joberrors');
  }

  /**
   * POST /jobs/current: jobs in progress; the body is a filter (reads only). Celigo's web app reads
   * `{jobs:[…], nextPageURL?}` (celigo-api.md W8); older sources a bare array. Both are read, every page.
   */
  async current(filter: Record<string, unknown> = {}, opts: ListOptions = {}): Promise<s.Job[]> {
    const rows = await listAllByNextPageUrl<unknown>(this.http, '/jobs/current', ['jobs'], {}, { ...opts, method: 'POST', body: filter, bareArray: true });
    return rows.map((j) => s.job.parse(j));
  }

  /** Children of a flow job (export and import steps); the type is always sent (celigo-api.md W14). */
  children(flowJobId: string, opts: ListOptions = {}): Promise<s.Job[]> {
    return this.list({ _flowJobId: flowJobId, type_in: ['export', 'import'] }, opts);
  }
}
