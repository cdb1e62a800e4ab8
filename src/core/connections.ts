import * as s from './schemas.js';
import { ResourceApi, enc, type Call } from './resource.js';
import { CeligoApiError, UnexpectedShapeError, describeShape } from './errors.js';

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

  /**
   * A failed ping is HTTP 200 with `errors[0].code` holding the remote status as a number (Celigo's web
   * app, celigo-api.md W10); older sources put the status in a top-level `code`. Any `errors` array is a
   * failure. A body that is neither an object nor empty is an error, never "healthy".
   */
  private async interpretPing(send: () => Promise<{ body: Record<string, unknown> | undefined; url?: string }>): Promise<PingResult> {
    const started = performance.now();
    try {
      const res = await send();
      const latencyMs = Math.round(performance.now() - started);
      const raw: unknown = res.body;
      if (raw !== undefined && raw !== '' && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
        throw new UnexpectedShapeError(`POST ${res.url ? new URL(res.url).pathname : '/connections/…/ping'}`, '{code} or {errors:[{code,message}]}', describeShape(raw));
      }
      const body = (raw ?? {}) as Record<string, unknown>;
      const errs = Array.isArray(body.errors) ? (body.errors as { code?: unknown; message?: unknown }[]) : [];
      const first = errs[0];
      const topCode = typeof body.code === 'number' ? body.code : Number(body.code ?? 200) || 200;
      if (errs.length === 0 && topCode >= 200 && topCode < 300) return { ok: true, code: topCode, latencyMs };
      const numeric = typeof first?.code === 'number' ? first.code : /^\d{3}$/.test(String(first?.code ?? '')) ? Number(first!.code) : undefined;
      return {
        ok: false,
        code: numeric ?? (topCode >= 200 && topCode < 300 ? 0 : topCode),
        message: typeof first?.message === 'string' && first.message ? first.message : String(body.message ?? 'Connection test failed'),
        errorCode: first?.code !== undefined && typeof first.code !== 'number' ? String(first.code) : undefined,
        latencyMs,
      };
    } catch (err) {
      if (err instanceof CeligoApiError && err.status !== 401 && err.status !== 403 && err.status !== 404 && err.status !== 0) {
        return { ok: false, code: err.status, message: err.message, errorCode: err.code, latencyMs: Math.round(performance.now() - started) };
      }
      throw err;
    }
  }
}
