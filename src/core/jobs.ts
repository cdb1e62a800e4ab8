import * as s from './schemas.js';
import type { HttpClient } from './http.js';
import { enc, type Call } from './resource.js';
import { asArray, listAllByNextPageUrl, listAllJobs, type ListOptions } from './paging.js';

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

export class JobsApi {
  constructor(private readonly http: HttpClient) {}

  /**
   * All matching jobs, newest first, paging past the ~1000-row cap with the createdAt_lte cursor. Each
   * page is validated, and turned by `map` into what the caller keeps, while the next page is on its
   * way (see listAllJobs): per-job work given as `map` costs no wall time on a long list.
   */
  list(filters: JobFilters, opts?: ListOptions): Promise<s.Job[]>;
  list<R>(filters: JobFilters, opts: ListOptions & { map: (job: s.Job) => R }): Promise<R[]>;
  list<R>(filters: JobFilters, opts: ListOptions & { map?: (job: s.Job) => R } = {}): Promise<(s.Job | R)[]> {
    // Arrays go to the HTTP layer as arrays: it sends bracket arrays (celigo-api.md W1), never commas.
    const query: Record<string, string | number | boolean | string[]> = {};
    for (const [k, v] of Object.entries(filters)) if (v !== undefined) query[k] = v as string | number | boolean | string[];
    const { map, ...paging } = opts;
    const parse = map ? (r: unknown) => map(s.job.parse(r)) : (r: unknown) => s.job.parse(r);
    return listAllJobs<s.Job | R>(this.http, query, { ...paging, parse });
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
