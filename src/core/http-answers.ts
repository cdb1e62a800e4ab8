// What the HTTP client makes of an answer: the body, Retry-After, and the typed errors (celigo-api.md §1.5
// error envelope; never a raw HTML page, never the token).
import { proxyFor, proxyShown } from './proxy-env.js';
import { CeligoApiError, UnexpectedShapeError, describeShape, type FieldError } from './errors.js';
import type { HeadersLike, Method } from './http.js';
import type { SplitEnd } from './json-rows.js';

/** What one attempt sent, and until when it may wait for a turn. */
export interface Send {
  method: Method;
  href: string;
  display: string;
  payload?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  deadline: number;
  /** HttpClient.rows: the answer's rows go to `row` as they arrive; `stopped` tells its own throw from a network error. */
  rows?: { endpoint: string; row: (value: unknown, attempt: number) => void; stopped: (err: unknown) => boolean };
}

/** An answer read to the end inside its turn. */
export interface Answer {
  status: number;
  headers: HeadersLike;
  text: string;
  /** Read as rows (Send.rows): how the body ended; `text` is then empty. */
  split?: SplitEnd;
}

export function networkError(s: Send, got: { error: unknown; timedOut: boolean }, reads: boolean, attempts: number): CeligoApiError {
  const err = got.error as Error | undefined;
  const proxy = URL.canParse(s.href) ? proxyFor(new URL(s.href)) : undefined;
  const cause = withoutCredentials(err?.cause ? String((err.cause as Error).message ?? err.cause) : err?.message, proxy);
  const via = proxy ? ` through the proxy ${proxyShown(proxy)} (HTTPS_PROXY / HTTP_PROXY; NO_PROXY lists the hosts reached directly)` : '';
  return new CeligoApiError({
    status: 0,
    code: got.timedOut ? 'timeout' : 'network_error',
    message: got.timedOut
      ? `No answer from integrator.io${via} within ${s.timeoutMs} ms` + (reads ? '' : '; the request may still take effect')
      : `Network error talking to integrator.io${via} (${cause})` + (s.method === 'POST' ? '; the request may or may not have taken effect' : ''),
    method: s.method,
    path: s.display,
    attempts,
  });
}

/** A message with the proxy's user name and password (if its URL has them) masked. */
function withoutCredentials(message: string | undefined, proxy: string | undefined): string | undefined {
  if (!message || !proxy || !URL.canParse(proxy)) return message;
  const u = new URL(proxy);
  let out = message;
  for (const secret of [u.password, u.username, decodeURIComponent(u.password), decodeURIComponent(u.username)]) if (secret) out = out.split(secret).join('***');
  return out;
}

export function parseRetryAfter(v: string | null): number {
  if (!v) return 1;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, Math.ceil(n));
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : 1;
}

export function parseBody(res: Answer): unknown {
  if (res.status === 204 || !res.text) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json') || /^[[{"]/.test(res.text.trimStart())) {
    try {
      return JSON.parse(res.text);
    } catch {
      return res.text;
    }
  }
  return res.text;
}

/**
 * An answer the call fails with: an error status, or a redirect. The client follows no redirect (the token
 * would go wherever it points; core/node-transport.ts), and reading one as an answer would make a list of
 * an HTML page or a change that never happened look done.
 */
export const failedStatus = (status: number): boolean => status >= 300;

export function toApiError(status: number, body: unknown, method: string, path: string, attempts: number, location?: string | null): CeligoApiError {
  if (status < 400) return redirectError(status, method, path, attempts, location);
  if (status === 407) {
    return new CeligoApiError({
      status,
      code: 'proxy_auth',
      message: 'A proxy between celigo-manage and integrator.io asked for credentials (407 Proxy Authentication Required): put them in the proxy URL of HTTPS_PROXY, e.g. http://user:password@proxy.example.com:8080 (an environment variable, never a flag)',
      method,
      path,
      attempts,
    });
  }
  const entries: FieldError[] = [];
  if (body && typeof body === 'object' && Array.isArray((body as { errors?: unknown }).errors)) {
    for (const e of (body as { errors: unknown[] }).errors) {
      if (e && typeof e === 'object') {
        const r = e as Record<string, unknown>;
        entries.push({
          code: String(r.code ?? 'error'),
          message: String(r.message ?? ''),
          field: typeof r.field === 'string' ? r.field : undefined,
        });
      }
    }
  }
  const first = entries[0];
  // Never echo a raw HTML error page: keep only a short plain-text hint.
  const fallback = typeof body === 'string' && !/^\s*</.test(body) ? body.slice(0, 200) : defaultMessage(status);
  return new CeligoApiError({
    status,
    code: first?.code ?? defaultCode(status),
    message: first?.message || fallback,
    fieldErrors: entries.filter((e) => e.field || status === 422 || status === 400),
    method,
    path,
    attempts,
  });
}

function redirectError(status: number, method: string, path: string, attempts: number, location?: string | null): CeligoApiError {
  // Where it points, as far as the host: an absolute Location names its origin, a relative one the same host.
  const where = !location ? '' : URL.canParse(location) ? ` to ${new URL(location).origin}` : ' to another path of the same host';
  return new CeligoApiError({
    status,
    code: 'redirect',
    message: `integrator.io answered ${status}, a redirect${where}; celigo-manage follows none (your token would go with it). Check the profile's base URL or region: \`celigo-manage doctor\` shows which one is used`,
    method,
    path,
    attempts,
  });
}

function defaultCode(status: number): string {
  return ({ 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 415: 'unsupported_media_type', 422: 'invalid_field' } as Record<number, string>)[status] ?? (status >= 500 ? 'server_error' : 'error');
}

function defaultMessage(status: number): string {
  return ({ 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict', 422: 'Invalid request' } as Record<number, string>)[status] ?? (status >= 500 ? 'integrator.io server error' : `HTTP ${status}`);
}

/** A list answer: a JSON array, or no body (204). Anything else is an error that names the endpoint. */
export function asArray<T>(body: unknown, endpoint: string): T[] {
  if (body === undefined || body === null || body === '') return [];
  if (Array.isArray(body)) return body as T[];
  throw new UnexpectedShapeError(endpoint, 'a JSON array', describeShape(body));
}
