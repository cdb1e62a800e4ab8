// The recycle bin (celigo-api.md §1.10, [P]: TCHOW code, BB tests): GET /recycleBinTTL[/{type}[/{id}]],
// POST /recycleBinTTL/{type}/{id} restores an object under its own id. Whether an account answers is
// uncertain: `doctor` probes it, and a restore asks for the one entry before relying on it.
import { CeligoApiError } from './errors.js';
import type { HttpClient } from './http.js';
import { enc, type Call } from './resource.js';

export type RecycleType = 'integrations' | 'flows' | 'exports' | 'imports' | 'connections';

export class RecycleBinApi {
  constructor(private readonly http: HttpClient) {}

  /** The bin's entries (shape unknown: kept as they come). */
  async list(call: Call = {}): Promise<unknown[]> {
    const res = await this.http.request('GET', '/recycleBinTTL', { signal: call.signal });
    const b = res.body as { recycleBinTTL?: unknown } | unknown[] | undefined;
    return Array.isArray(b) ? b : Array.isArray((b as { recycleBinTTL?: unknown })?.recycleBinTTL) ? ((b as { recycleBinTTL: unknown[] }).recycleBinTTL) : [];
  }

  /** The entry of one deleted object, or undefined when the bin does not hold it or does not answer (404, 405). */
  async find(type: RecycleType, id: string, call: Call = {}): Promise<unknown | undefined> {
    try {
      const res = await this.http.request('GET', `/recycleBinTTL/${type}/${enc(id)}`, { signal: call.signal });
      return res.status === 204 ? undefined : (res.body ?? {});
    } catch (err) {
      if (err instanceof CeligoApiError && (err.status === 404 || err.status === 405 || err.status === 400)) return undefined;
      throw err;
    }
  }

  /** Restores a deleted object under its own id. */
  async restore(type: RecycleType, id: string, call: Call = {}): Promise<void> {
    await this.http.request('POST', `/recycleBinTTL/${type}/${enc(id)}`, { body: {}, signal: call.signal, retry: 'never' });
  }
}
