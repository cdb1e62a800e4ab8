import * as s from './schemas.js';
import { ResourceApi, enc, type Call } from './resource.js';
import { CeligoApiError } from './errors.js';

export interface PingResult {
  ok: boolean;
  code: number;
  message?: string;
  errorCode?: string;
  latencyMs: number;
}

export class ConnectionsApi extends ResourceApi<s.Connection> {
  /**
   * POST /connections/{id}/ping (GET is the 2017 form; §5.1). It only reads, so a ping the API itself
   * failed (5xx, reset, timeout) is sent again like a GET. The failure body is unknown (§11): accept
   * `{code: 200}` as healthy, and treat any other `code`, an `errors` envelope or an HTTP error as unhealthy.
   */
  /** POST /connections/ping: test a connection that is not saved yet (the body is the connection). */
  async pingUnsaved(connection: Record<string, unknown>, call: Call = {}): Promise<PingResult> {
    return this.interpretPing(() => this.http.request<Record<string, unknown> | undefined>('POST', '/connections/ping', { body: connection, signal: call.signal, readOnlyPost: true }));
  }

  ping(id: string, call: Call & { thorough?: boolean } = {}): Promise<PingResult> {
    return this.interpretPing(() =>
      this.http.request<Record<string, unknown> | undefined>('POST', `/connections/${enc(id)}/${call.thorough ? 'test' : 'ping'}`, {
        body: {},
        signal: call.signal,
        readOnlyPost: true,
      }),
    );
  }

  private async interpretPing(send: () => Promise<{ body: Record<string, unknown> | undefined }>): Promise<PingResult> {
    const started = performance.now();
    try {
      const res = await send();
      const latencyMs = Math.round(performance.now() - started);
      const body = res.body ?? {};
      const code = typeof body.code === 'number' ? body.code : Number(body.code ?? 200) || 200;
      const errs = Array.isArray(body.errors) ? (body.errors as { code?: string; message?: string }[]) : [];
      if (code >= 200 && code < 300 && errs.length === 0) return { ok: true, code, latencyMs };
      return { ok: false, code, message: errs[0]?.message ?? String(body.message ?? 'Connection test failed'), errorCode: errs[0]?.code, latencyMs };
    } catch (err) {
      if (err instanceof CeligoApiError && err.status !== 401 && err.status !== 403 && err.status !== 404 && err.status !== 0) {
        return { ok: false, code: err.status, message: err.message, errorCode: err.code, latencyMs: Math.round(performance.now() - started) };
      }
      throw err;
    }
  }
}
