import * as s from './schemas.js';
import { ResourceApi, enc, type Call } from './resource.js';

export class ExportsApi extends ResourceApi<s.Export> {
  /** POST /exports/{id}/invoke: fetch a sample page without running a flow (reads only). */
  async invoke(id: string, call: Call = {}): Promise<Record<string, unknown>[]> {
    const res = await this.http.request<{ data?: unknown[] } | unknown[] | undefined>('POST', `/exports/${enc(id)}/invoke`, {
      body: {},
      signal: call.signal,
      readOnlyPost: true,
      retry: 'never',
    });
    const b = res.body;
    const data = Array.isArray(b) ? b : (b?.data ?? []);
    return data.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object');
  }
}

export class ImportsApi extends ResourceApi<s.Import> {}
