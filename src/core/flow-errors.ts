// Error Management 2.0: errors live under /flows/{flowId}/{stepId}/… with no exports/ or imports/
// segment (celigo-api.md §7.1).
import * as s from './schemas.js';
import type { HttpClient } from './http.js';
import { enc, type Call } from './resource.js';
import { listAllByNextPageUrl, type ListOptions } from './paging.js';

export interface ErrorFilters {
  occurredAt_gte?: string;
  occurredAt_lte?: string;
  source?: string;
}

export class FlowErrorsApi {
  constructor(private readonly http: HttpClient) {}

  private stepPath(flowId: string, stepId: string, leaf: string): string {
    return `/flows/${enc(flowId)}/${enc(stepId)}/${leaf}`;
  }

  /** Open errors of one step, every page. */
  async listOpen(flowId: string, stepId: string, filters: ErrorFilters = {}, opts: ListOptions = {}): Promise<s.FlowStepError[]> {
    const rows = await listAllByNextPageUrl<unknown>(this.http, this.stepPath(flowId, stepId, 'errors'), ['errors'], { ...filters }, opts);
    return rows.map((r) => s.flowStepError.parse(r));
  }

  /**
   * Resolved errors of one step, every page. Celigo's web app reads them under `resolved` (celigo-api.md
   * W3); older documents say `errors`. The evidence is from 2023, so both are accepted, `resolved` first.
   */
  async listResolved(flowId: string, stepId: string, filters: ErrorFilters = {}, opts: ListOptions = {}): Promise<s.FlowStepError[]> {
    const rows = await listAllByNextPageUrl<unknown>(this.http, this.stepPath(flowId, stepId, 'resolved'), ['resolved', 'errors'], { ...filters }, opts);
    return rows.map((r) => s.flowStepError.parse(r));
  }

  /** PUT …/resolved {errors:[ids]} → 204. Idempotent, so retried like any PUT. */
  async resolve(flowId: string, stepId: string, errorIds: string[], call: Call = {}): Promise<void> {
    await this.http.request('PUT', this.stepPath(flowId, stepId, 'resolved'), { body: { errors: errorIds }, signal: call.signal });
  }

  /**
   * POST …/retry {retryDataKeys} → the retry job. Starts work, so never retried on 5xx or a network
   * error (ops/retry.ts checks whether it took effect before trying again).
   */
  async retry(flowId: string, stepId: string, retryDataKeys: string[], call: Call = {}): Promise<{ _id?: string; job?: s.Job }> {
    const res = await this.http.request<Record<string, unknown> | undefined>('POST', this.stepPath(flowId, stepId, 'retry'), {
      body: { retryDataKeys },
      signal: call.signal,
    });
    const body = res.body;
    if (body && typeof body._id === 'string' && typeof body.type === 'string') return { _id: body._id, job: s.job.parse(body) };
    const id = body && (typeof body._jobId === 'string' ? body._jobId : typeof body._id === 'string' ? body._id : undefined);
    return { _id: id };
  }
}
