import * as s from './schemas.js';
import { ResourceApi, enc, type Call } from './resource.js';
import { asArray, listAll, type ListOptions } from './paging.js';
import { parseCloneAnswer, parseClonePreview, type CloneBody, type ClonePreview } from './clone.js';

export class IntegrationsApi extends ResourceApi<s.Integration> {
  flows(id: string, opts: ListOptions = {}): Promise<s.Flow[]> {
    return listAll(this.http, `/integrations/${enc(id)}/flows`, {}, { ...opts, parse: (f) => s.flow.parse(f) });
  }

  connections(id: string, opts: ListOptions = {}): Promise<s.Connection[]> {
    return listAll(this.http, `/integrations/${enc(id)}/connections`, {}, { ...opts, parse: (c) => s.connection.parse(c) });
  }

  exports(id: string, opts: ListOptions = {}): Promise<s.Export[]> {
    return listAll(this.http, `/integrations/${enc(id)}/exports`, {}, { ...opts, parse: (c) => s.exportResource.parse(c) });
  }

  imports(id: string, opts: ListOptions = {}): Promise<s.Import[]> {
    return listAll(this.http, `/integrations/${enc(id)}/imports`, {}, { ...opts, parse: (c) => s.importResource.parse(c) });
  }

  /** Open-error counts per flow: a bare array (celigo-api.md §7.6). */
  async errorSummary(id: string, query: { occurredAt_gte?: string; occurredAt_lte?: string; source?: string } = {}, call: Call = {}): Promise<s.IntegrationErrorSummary> {
    const res = await this.http.request('GET', `/integrations/${enc(id)}/errors`, { query, signal: call.signal });
    return res.body === undefined ? [] : s.integrationErrorSummary.parse(res.body);
  }

  /** GET /integrations/{id}/clone/preview: what a clone would copy, grouped by model (celigo-api.md W6). */
  async clonePreview(id: string, call: Call = {}): Promise<ClonePreview> {
    const path = `/integrations/${enc(id)}/clone/preview`;
    const res = await this.http.request('GET', path, { signal: call.signal });
    return parseClonePreview(res.body, path);
  }

  /**
   * POST /integrations/{id}/clone → the created components (celigo-api.md W6). The connectionMap must
   * cover every Connection of the preview. Never retried on 5xx or a network error: the clone may have
   * happened (ops/changes.ts checks before trying again).
   */
  async clone(id: string, body: CloneBody, call: Call = {}): Promise<s.CloneComponent[]> {
    const path = `/integrations/${enc(id)}/clone`;
    const res = await this.http.request('POST', path, { body, signal: call.signal });
    return parseCloneAnswer(res.body, path, 'Integration');
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
