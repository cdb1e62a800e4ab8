// The one place that talks HTTP to integrator.io: auth, timeouts, retries, 429, read-only guard.
// celigo-api.md §1.5 (error envelope), §1.6 (rate limit), design.md §2 (which requests may be retried).
import { CeligoApiError, type FieldError } from './errors.js';
import { DEFAULT_FORMS, type ApiForms } from './forms.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpOptions {
  baseUrl: string;
  token: string;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  /**
   * Per-attempt timeout of requests that change something (default: timeoutMs). A write that times out
   * may still land later, after our retry or our next write, so a client with a short read timeout
   * should give writes longer than the slowest answer it expects.
   */
  writeTimeoutMs?: number;
  /**
   * Retries after the first attempt for 5xx, network errors and timeouts on idempotent methods
   * (default 6). A workflow makes thousands of reads; with 4 retries, one read in 100,000 still failed
   * when 10% of answers were 5xx, enough to end a bulk retry now and then. Waits are capped (backoffMs).
   */
  maxRetries?: number;
  /** Retries after 429 (any method: a 429 means the request was not processed). */
  maxRateLimitRetries?: number;
  /** Longest Retry-After we are willing to sleep, in seconds; longer ones surface as errors. */
  maxRetryAfterSec?: number;
  /** Base of the exponential backoff, ms (each wait at most 8 times this: 2 s by default). */
  backoffMs?: number;
  readOnly?: boolean;
  /** fetch, or anything answering like it (the emulator's in-process transport). */
  fetch?: FetchLike;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  userAgent?: string;
  /** How to send multi-value filters and page lists where accounts differ (core/forms.ts; learned by doctor). */
  forms?: Partial<ApiForms>;
  /**
   * Called once per finished attempt (any status, retries included) with what was sent and received;
   * `--record` uses it. Never given the request headers, so never the token. A throw here is ignored.
   */
  onExchange?: (exchange: HttpExchange) => void;
}

/** One request and its answer, as seen by HttpOptions.onExchange. */
export interface HttpExchange {
  method: Method;
  url: string;
  requestBody?: string;
  status: number;
  headers: HeadersLike;
  responseText: string;
}

/** What the client reads of a response: fetch's Response has it, and so does the emulator's in-process reply. */
export interface ResponseLike {
  status: number;
  headers: HeadersLike;
  text(): Promise<string>;
}

export interface HeadersLike {
  get(name: string): string | null;
}

/** The request side of fetch the client uses. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<ResponseLike>;

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null | string[]>;
  body?: unknown;
  signal?: AbortSignal;
  /** 'auto': retry 5xx/network only for GET, PUT, PATCH, DELETE and read-only POSTs. 'never': not even those. */
  retry?: 'auto' | 'never';
  /** A POST that reads but does not change anything (ping, invoke, stats): allowed in read-only mode. */
  readOnlyPost?: boolean;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: HeadersLike;
  body: T;
  url: string;
}

const IDEMPOTENT = new Set<Method>(['GET', 'PUT', 'PATCH', 'DELETE']);

/** setTimeout as a promise that rejects with the signal's reason when it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class HttpClient {
  readonly baseUrl: string;
  readonly origin: string;
  readonly readOnly: boolean;
  readonly forms: ApiForms;
  private readonly auth: string;
  private readonly o: Required<Omit<HttpOptions, 'token' | 'baseUrl' | 'readOnly' | 'userAgent' | 'forms' | 'onExchange'>> & { userAgent: string };
  private readonly onExchange?: (exchange: HttpExchange) => void;
  /** Counters for benchmarks and reports. */
  readonly stats = { requests: 0, retries: 0, rateLimited: 0 };

  constructor(private readonly init: HttpOptions) {
    const opts = init;
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.baseUrl).origin;
    this.readOnly = !!opts.readOnly;
    this.forms = { ...DEFAULT_FORMS, ...(opts.forms ?? {}) };
    this.auth = `Bearer ${opts.token}`;
    this.onExchange = opts.onExchange;
    this.o = {
      timeoutMs: opts.timeoutMs ?? 30_000,
      writeTimeoutMs: opts.writeTimeoutMs ?? opts.timeoutMs ?? 30_000,
      maxRetries: opts.maxRetries ?? 6,
      maxRateLimitRetries: opts.maxRateLimitRetries ?? 8,
      maxRetryAfterSec: opts.maxRetryAfterSec ?? 120,
      backoffMs: opts.backoffMs ?? 250,
      // Looked up per call: touching globalThis.fetch loads undici, which a --demo run never needs.
      fetch: opts.fetch ?? ((u, init) => globalThis.fetch(u, init)),
      sleep: opts.sleep ?? abortableSleep,
      random: opts.random ?? Math.random,
      userAgent: opts.userAgent ?? 'celigo-manage',
    };
  }

  /**
   * The same client with another token, read-only and without retries: `doctor` uses it to see the
   * shape of a 401 with a token that is certainly invalid, never the user's.
   */
  withProbeToken(token: string): HttpClient {
    return new HttpClient({ ...this.init, token, readOnly: true, maxRetries: 0, maxRateLimitRetries: 0 });
  }

  /** Absolute URL for a path relative to the base (`/flows`), a `/v1/...` path, or an absolute URL on our origin. */
  url(pathOrUrl: string, query?: RequestOptions['query']): URL {
    let u: URL;
    if (/^https?:\/\//i.test(pathOrUrl)) {
      u = new URL(pathOrUrl);
      // Never send the token to another host (a Link or nextPageURL pointing elsewhere).
      if (u.origin !== this.origin) throw new Error(`Refusing to follow a URL on another host: ${u.origin}`);
    } else {
      const basePath = new URL(this.baseUrl).pathname.replace(/\/+$/, '');
      const p = pathOrUrl.startsWith(basePath + '/') ? pathOrUrl : basePath + (pathOrUrl.startsWith('/') ? '' : '/') + pathOrUrl;
      u = new URL(this.origin + p);
    }
    if (query) {
      for (const [k, v] of Object.entries(query)) {
        if (v === undefined || v === null) continue;
        if (!Array.isArray(v)) {
          u.searchParams.set(k, String(v));
          continue;
        }
        // Multi-value filters: bracket arrays, as Celigo's web app sends them (celigo-api.md W1), or
        // repeated keys where doctor found that form. Never a comma list: the API reads it as one value.
        u.searchParams.delete(k);
        v.forEach((item, i) => u.searchParams.append(this.forms.arrayFilters === 'repeat' ? k : `${k}[${i}]`, item));
      }
    }
    return u;
  }

  async request<T = unknown>(method: Method, path: string, opts: RequestOptions = {}): Promise<HttpResponse<T>> {
    const url = this.url(path, opts.query);
    const display = url.pathname + url.search;
    if (this.readOnly && method !== 'GET' && !(method === 'POST' && opts.readOnlyPost)) {
      throw new CeligoApiError({
        status: 0,
        code: 'read_only',
        message: `Blocked ${method} ${url.pathname}: read-only mode allows no changes`,
        method,
        path: display,
      });
    }
    // A POST that only reads (ping, invoke, stats) is as safe to repeat as a GET.
    const mayRetry = opts.retry !== 'never' && (IDEMPOTENT.has(method) || (method === 'POST' && !!opts.readOnlyPost));
    const timeoutMs = method === 'GET' || (method === 'POST' && opts.readOnlyPost) ? this.o.timeoutMs : this.o.writeTimeoutMs;
    const headers: Record<string, string> = {
      authorization: this.auth,
      accept: 'application/json',
      'user-agent': this.o.userAgent,
    };
    let payload: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(opts.body);
    }

    let attempt = 0;
    let rateLimited = 0;
    for (;;) {
      attempt++;
      opts.signal?.throwIfAborted();
      this.stats.requests++;
      let res: ResponseLike;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
      try {
        res = await this.o.fetch(url.href, { method, headers, body: payload, signal });
        if (this.onExchange) res = await observe(res, method, url.href, payload, this.onExchange);
      } catch (err) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? err;
        const timedOut = timeout.aborted;
        if (mayRetry && attempt <= this.o.maxRetries) {
          await this.backoff(attempt, opts.signal);
          continue;
        }
        throw new CeligoApiError({
          status: 0,
          code: timedOut ? 'timeout' : 'network_error',
          message: timedOut
            ? `No answer from integrator.io within ${timeoutMs} ms` + (method === 'GET' || opts.readOnlyPost ? '' : '; the request may still take effect')
            : `Network error talking to integrator.io (${(err as Error)?.cause ? String(((err as Error).cause as Error).message ?? (err as Error).cause) : (err as Error).message})` +
              (method === 'POST' ? '; the request may or may not have taken effect' : ''),
          method,
          path: display,
          attempts: attempt,
        });
      }

      if (res.status === 429) {
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
        await drain(res);
        this.stats.rateLimited++;
        if (rateLimited < this.o.maxRateLimitRetries && retryAfter <= this.o.maxRetryAfterSec) {
          rateLimited++;
          this.stats.retries++;
          attempt--; // a 429 is not a failed attempt: the request was not processed
          await this.o.sleep(retryAfter * 1000 + Math.floor(this.o.random() * 100), opts.signal);
          continue;
        }
        throw new CeligoApiError({
          status: 429,
          code: 'rate_limited',
          message: 'Too many requests',
          retryAfter,
          method,
          path: display,
          attempts: attempt + rateLimited,
        });
      }

      if (res.status >= 500 && mayRetry && attempt <= this.o.maxRetries) {
        await drain(res);
        await this.backoff(attempt, opts.signal);
        continue;
      }

      const body = await readBody(res);
      if (res.status >= 400) throw toApiError(res.status, body, method, display, attempt);
      return { status: res.status, headers: res.headers, body: body as T, url: url.href };
    }
  }

  private async backoff(attempt: number, signal?: AbortSignal): Promise<void> {
    this.stats.retries++;
    const cap = this.o.backoffMs * 2 ** Math.min(3, attempt - 1);
    // "Full jitter": spread retries of many clients over the whole window.
    await this.o.sleep(Math.floor(cap / 2 + this.o.random() * (cap / 2)), signal);
  }
}

/** Reads the body once, reports the exchange, and hands back a response that replays the same text. */
async function observe(res: ResponseLike, method: Method, url: string, requestBody: string | undefined, report: (x: HttpExchange) => void): Promise<ResponseLike> {
  const text = await res.text();
  try {
    report({ method, url, requestBody, status: res.status, headers: res.headers, responseText: text });
  } catch {
    /* a recording must never break a request */
  }
  return { status: res.status, headers: res.headers, text: async () => text };
}

function parseRetryAfter(v: string | null): number {
  if (!v) return 1;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, Math.ceil(n));
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : 1;
}

async function drain(res: ResponseLike): Promise<void> {
  try {
    await res.text();
  } catch {
    /* ignore */
  }
}

async function readBody(res: ResponseLike): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json') || /^[[{"]/.test(text.trimStart())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function toApiError(status: number, body: unknown, method: string, path: string, attempts: number): CeligoApiError {
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

function defaultCode(status: number): string {
  return ({ 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 415: 'unsupported_media_type', 422: 'invalid_field' } as Record<number, string>)[status] ?? (status >= 500 ? 'server_error' : 'error');
}

function defaultMessage(status: number): string {
  return ({ 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict', 422: 'Invalid request' } as Record<number, string>)[status] ?? (status >= 500 ? 'integrator.io server error' : `HTTP ${status}`);
}
