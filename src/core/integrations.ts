import * as s from './schemas.js';
import { ResourceApi, enc, type Call } from './resource.js';
import { asArray, listAll, type ListOptions } from './paging.js';

export class IntegrationsApi extends ResourceApi<s.Integration> {
  flows(id: string, opts: ListOptions = {}): Promise<s.Flow[]> {
    return listAll<unknown>(this.http, `/integrations/${enc(id)}/flows`, {}, opts).then((r) => r.map((f) => s.flow.parse(f)));
  }

  connections(id: string, opts: ListOptions = {}): Promise<s.Connection[]> {
    return listAll<unknown>(this.http, `/integrations/${enc(id)}/connections`, {}, opts).then((r) => r.map((c) => s.connection.parse(c)));
  }

  exports(id: string, opts: ListOptions = {}): Promise<s.Export[]> {
    return listAll<unknown>(this.http, `/integrations/${enc(id)}/exports`, {}, opts).then((r) => r.map((c) => s.exportResource.parse(c)));
  }

  imports(id: string, opts: ListOptions = {}): Promise<s.Import[]> {
    return listAll<unknown>(this.http, `/integrations/${enc(id)}/imports`, {}, opts).then((r) => r.map((c) => s.importResource.parse(c)));
  }

  /** Open-error counts per flow: a bare array (celigo-api.md §7.6). */
  async errorSummary(id: string, query: { occurredAt_gte?: string; occurredAt_lte?: string; source?: string } = {}, call: Call = {}): Promise<s.IntegrationErrorSummary> {
    const res = await this.http.request('GET', `/integrations/${enc(id)}/errors`, { query, signal: call.signal });
    return res.body === undefined ? [] : s.integrationErrorSummary.parse(res.body);
  }

  /** POST /integrations/{id}/clone → the new integration, or a manifest (celigo-api.md §2.3). */
  async clone(id: string, body: { name?: string; connectionMap?: Record<string, string> } = {}, call: Call = {}): Promise<s.Integration | { model: string; _id: string; name?: string }[]> {
    const res = await this.http.request('POST', `/integrations/${enc(id)}/clone`, { body, signal: call.signal });
    return res.body as s.Integration;
  }

  /** GET /integrations/{id}/template: the shape is unknown (§11); returns what came back. */
  async template(id: string, call: Call = {}): Promise<unknown> {
    const res = await this.http.request('GET', `/integrations/${enc(id)}/template`, { signal: call.signal });
    return res.body;
  }

  async latestJobs(id: string, call: Call = {}): Promise<s.Job[]> {
    const res = await this.http.request('GET', `/integrations/${enc(id)}/jobs/latest`, { signal: call.signal });
    return asArray<unknown>(res.body, `GET ${new URL(res.url).pathname}`).map((j) => s.job.parse(j));
  }
}
