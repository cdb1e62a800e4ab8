import * as s from './schemas.js';
import { ResourceApi, enc, type Call } from './resource.js';

type CloneBody = { name?: string; connectionMap?: Record<string, string> };

export class ExportsApi extends ResourceApi<s.Export> {
  /** POST /exports/{id}/clone → the new export, or a manifest (celigo-api.md §4.1). */
  async clone(id: string, body: CloneBody = {}, call: Call = {}): Promise<unknown> {
    return (await this.http.request('POST', `/exports/${enc(id)}/clone`, { body, signal: call.signal })).body;
  }

  /** POST /exports/{id}/invoke: fetch a sample page without running a flow (reads only). */
  async invoke(id: string, call: Call = {}): Promise<Record<string, unknown>[]> {
    const res = await this.http.request<{ data?: unknown[] } | unknown[] | undefined>('POST', `/exports/${enc(id)}/invoke`, {
      body: {},
      signal: call.signal,
      readOnlyPost: true,
    });
    const b = res.body;
    const data = Array.isArray(b) ? b : (b?.data ?? []);
    return data.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object');
  }
}

export class ImportsApi extends ResourceApi<s.Import> {
  async clone(id: string, body: CloneBody = {}, call: Call = {}): Promise<unknown> {
    return (await this.http.request('POST', `/imports/${enc(id)}/clone`, { body, signal: call.signal })).body;
  }
}
