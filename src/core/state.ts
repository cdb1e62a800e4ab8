// Key-value state (celigo-api.md §9.2): global keys, or scoped to a resource.
import type { HttpClient } from './http.js';
import { CeligoApiError } from './errors.js';
import { enc, type Call } from './resource.js';

export type StateScope = { resourceType: 'integrations' | 'flows' | 'exports' | 'imports' | 'connections'; id: string };

export class StateApi {
  constructor(private readonly http: HttpClient) {}

  private base(scope?: StateScope): string {
    return scope ? `/${scope.resourceType}/${enc(scope.id)}/state` : '/state';
  }

  async keys(scope?: StateScope, call: Call = {}): Promise<string[]> {
    const res = await this.http.request<{ keys?: string[] } | undefined>('GET', this.base(scope), { signal: call.signal });
    return res.body?.keys ?? [];
  }

  /** The stored value, or undefined when the key does not exist. */
  async get<T = unknown>(key: string, scope?: StateScope, call: Call = {}): Promise<T | undefined> {
    try {
      const res = await this.http.request<T>('GET', `${this.base(scope)}/${enc(key)}`, { signal: call.signal });
      return res.body;
    } catch (err) {
      if (err instanceof CeligoApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** PUT a JSON value; the answer is plain text `Created` or `OK`. */
  async put(key: string, value: unknown, scope?: StateScope, call: Call = {}): Promise<'created' | 'updated'> {
    const res = await this.http.request<string>('PUT', `${this.base(scope)}/${enc(key)}`, { body: value, signal: call.signal });
    return res.status === 201 || String(res.body).trim() === 'Created' ? 'created' : 'updated';
  }

  /** DELETE every key of the scope (global keys when no scope). */
  async clear(scope?: StateScope, call: Call = {}): Promise<void> {
    await this.http.request('DELETE', this.base(scope), { signal: call.signal });
  }

  async delete(key: string, scope?: StateScope, call: Call = {}): Promise<void> {
    await this.http.request('DELETE', `${this.base(scope)}/${enc(key)}`, { signal: call.signal });
  }
}
