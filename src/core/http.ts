// The one place that talks HTTP to integrator.io: auth, timeouts, retries, 429, read-only guard, and
// identical reads shared or reused (shared-reads.ts).
// celigo-api.md §1.5 (error envelope), §1.6 (rate limit), design.md §2 (which requests may be retried).
import { setMaxListeners } from 'node:events';
import { CeligoApiError } from './errors.js';
import { asArray, failedStatus, networkError, parseBody, parseRetryAfter, toApiError, type Answer, type Send } from './http-answers.js';
import { DEFAULT_FORMS, type ApiForms } from './forms.js';
import { DEFAULT_MAX_IN_FLIGHT, RateBudget, TurnTimeout } from './rate-budget.js';
import type { RateGate } from './rate-gate.js';
import { SharedReads, type RawAnswer } from './shared-reads.js';
import { downloadSigned, requestUrl } from './urls.js';
import { readJsonRows } from './json-rows.js';
import { UnexpectedShapeError } from './errors.js';
import { checkProxy } from './proxy-env.js';

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
  /**
   * Retries after 429 (any method: a 429 means the request was not processed). Default 100; the waits
   * end at maxWaitMs in any case.
   */
  maxRateLimitRetries?: number;
  /**
   * Requests in flight at once to the account (default 32): callers beyond it wait their turn, and after
   * a 429 everyone waits out its Retry-After (core/rate-budget.ts).
   */
  maxInFlight?: number;
  /** Requests per second to the account, for every replica together (core/rate-gate.ts); default none. */
  rateGate?: RateGate;
  /**
   * Longest a request waits for its turn, queue and rate-limit pauses together, in ms (default 120 000);
   * past it the request fails with a 429 that says so.
   */
  maxWaitMs?: number;
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
  /** fetch's body stream (absent from the emulator's in-process reply): HttpClient.rows reads it as it arrives. */
  body?: unknown;
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
  private readonly o: Required<Omit<HttpOptions, 'token' | 'baseUrl' | 'readOnly' | 'userAgent' | 'forms' | 'onExchange' | 'maxInFlight' | 'rateGate'>> & { userAgent: string };
  /** The account's request budget: every caller of this client takes turns in it. */
  readonly budget: RateBudget;
  private readonly onExchange?: (exchange: HttpExchange) => void;
  /**
   * Counters for benchmarks and reports: requests sent (attempts), GETs that joined one in flight, and
   * list reads answered by a session's cache or not (core/shared-reads.ts).
   */
  readonly stats = { requests: 0, retries: 0, rateLimited: 0, sharedInFlight: 0, cacheHits: 0, cacheMisses: 0 };
  /** Identical GETs in flight, and the generation every write bumps (core/shared-reads.ts). */
  private readonly reads: SharedReads;

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
      maxRateLimitRetries: opts.maxRateLimitRetries ?? 100,
      maxRetryAfterSec: opts.maxRetryAfterSec ?? 120,
      maxWaitMs: opts.maxWaitMs ?? 120_000,
      backoffMs: opts.backoffMs ?? 250,
      // node:http(s) (core/node-transport.ts), loaded with the first request: a --demo run never needs it.
      fetch: opts.fetch ?? ((u, init) => import('./node-transport.js').then((t) => t.nodeTransport(u, init))),
      sleep: opts.sleep ?? abortableSleep,
      random: opts.random ?? Math.random,
      userAgent: opts.userAgent ?? 'celigo-manage',
    };
    if (!opts.fetch) checkProxy(this.baseUrl);
    this.reads = new SharedReads(this.stats, new URL(this.baseUrl).pathname.replace(/\/+$/, ''));
    this.budget = new RateBudget({ maxInFlight: opts.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, sleep: (ms) => this.o.sleep(ms) });
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
    return requestUrl(this.baseUrl, this.origin, this.forms.arrayFilters, pathOrUrl, query);
  }

  /** GETs a signed URL without the token (core/urls.ts downloadSigned). */
  download(href: string, call: { signal?: AbortSignal } = {}): Promise<{ status: number; text: string; contentType?: string }> {
    return downloadSigned(this.o, href, call.signal);
  }

  async request<T = unknown>(method: Method, path: string, opts: RequestOptions = {}): Promise<HttpResponse<T>> {
    // A fan-out sends tens of requests with one signal, each listening to it while in flight: that is
    // not a leak, and Node's warning about it would reach the user's terminal.
    if (opts.signal) setMaxListeners(0, opts.signal);
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
    const reads = method === 'GET' || (method === 'POST' && !!opts.readOnlyPost);
    const send: Send = {
      method,
      href: url.href,
      display,
      payload: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      timeoutMs: reads ? this.o.timeoutMs : this.o.writeTimeoutMs,
      signal: opts.signal,
      deadline: Date.now() + this.o.maxWaitMs,
    };
    let answer: RawAnswer;
    if (method === 'GET' && mayRetry) {
      // Identical GETs in flight share one request (and its retries); a session's lists may come from its cache.
      answer = await this.reads.get(url, opts.signal, (signal) => this.exchange({ ...send, signal }, mayRetry, reads));
    } else if (reads) {
      answer = await this.exchange(send, mayRetry, reads);
    } else {
      // A write, even one that fails (it may have landed), drops every list cached for this client, both when
      // it is sent and when it ends: a list read while it was on its way may show the account before it.
      this.reads.wrote();
      try {
        answer = await this.exchange(send, mayRetry, reads);
      } finally {
        this.reads.wrote();
      }
    }
    // Every caller parses its own copy: callers (and zod) may keep or change what they are given.
    const body = parseBody(answer);
    if (failedStatus(answer.status)) throw toApiError(answer.status, body, method, display, answer.attempts, answer.headers.get('location'));
    return { status: answer.status, headers: answer.headers, body: body as T, url: url.href };
  }

  /**
   * GETs a JSON array and hands each element to `row` as the body arrives: no copy of the whole answer
   * is made (core/json-rows.ts). When an attempt fails part way and is retried, the rows come again from
   * the first, with the new attempt's number. Returns how many rows the answer held. Not shared with an
   * identical GET in flight, never cached; read whole where there is no stream (the in-process emulator,
   * --record). An answer that is not an array is an UnexpectedShapeError naming `endpoint`. Resolves to
   * the count and the answer's headers (a Link to the next page).
   */
  async rows(path: string, opts: Pick<RequestOptions, 'query' | 'signal'> & { endpoint: string; row: (value: unknown, attempt: number) => void }): Promise<{ count: number; headers: HeadersLike }> {
    if (opts.signal) setMaxListeners(0, opts.signal);
    const url = this.url(path, opts.query);
    const display = url.pathname + url.search;
    let stoppedBy: unknown;
    const row = (v: unknown, attempt: number) => {
      try {
        opts.row(v, attempt);
      } catch (err) {
        stoppedBy = err;
        throw err;
      }
    };
    const rows = { endpoint: opts.endpoint, row, stopped: (err: unknown) => stoppedBy !== undefined && err === stoppedBy };
    const send: Send = { method: 'GET', href: url.href, display, timeoutMs: this.o.timeoutMs, signal: opts.signal, deadline: Date.now() + this.o.maxWaitMs, rows };
    const answer = await this.exchange(send, true, true);
    if (failedStatus(answer.status)) throw toApiError(answer.status, parseBody(answer), 'GET', display, answer.attempts, answer.headers.get('location'));
    if (answer.split?.kind === 'array') return { count: answer.split.count, headers: answer.headers };
    const list = asArray<unknown>(answer.split?.kind === 'other' ? answer.split.value : answer.split ? undefined : parseBody(answer), opts.endpoint);
    for (const v of list) opts.row(v, answer.attempts);
    return { count: list.length, headers: answer.headers };
  }

  /**
   * Sends one request to its final answer: retries (5xx and network errors where allowed, 429 always,
   * within the deadline), then the answer as read. Throws on a network error or a 429 it gives up on.
   */
  private async exchange(send: Send, mayRetry: boolean, reads: boolean): Promise<RawAnswer> {
    const { method, display, signal } = send;
    let attempt = 0;
    let rateLimited = 0;
    for (;;) {
      attempt++;
      signal?.throwIfAborted();
      const got = await this.attempt(send, rateLimited > 0, attempt + rateLimited);
      if ('error' in got) {
        if (signal?.aborted) throw signal.reason ?? got.error;
        if (mayRetry && attempt <= this.o.maxRetries) {
          await this.backoff(attempt, signal);
          continue;
        }
        throw networkError(send, got, reads, attempt);
      }
      const res = got.res;
      if (res.status === 429) {
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
        this.stats.rateLimited++;
        // No jitter: the pause is shared by every caller of this client, so nothing here stampedes; any
        // time past Retry-After is tokens of a bucket that already refilled, left unused.
        const waitMs = retryAfter * 1000;
        this.budget.limited(waitMs);
        if (rateLimited < this.o.maxRateLimitRetries && retryAfter <= this.o.maxRetryAfterSec && Date.now() + waitMs <= send.deadline) {
          rateLimited++;
          this.stats.retries++;
          attempt--; // a 429 is not a failed attempt: the request was not processed
          continue; // the next turn starts after the pause
        }
        throw new CeligoApiError({ status: 429, code: 'rate_limited', message: 'Too many requests', retryAfter, method, path: display, attempts: attempt + rateLimited });
      }
      this.budget.answered();
      if (res.status >= 500 && mayRetry && attempt <= this.o.maxRetries) {
        await this.backoff(attempt, signal);
        continue;
      }
      return { ...res, attempts: attempt };
    }
  }

  /**
   * One attempt in its turn of the account's budget, with a token of its rate gate: sends, reads the whole
   * answer, ends the turn. A request that gets no turn or token before its deadline fails here with a 429 that says so.
   */
  private async attempt(s: Send, first: boolean, attempts: number): Promise<{ res: Answer } | { error: unknown; timedOut: boolean }> {
    let release = this.budget.tryTake();
    try {
      release ??= await this.budget.acquire({ deadline: s.deadline, signal: s.signal, first });
      // In its turn, the request takes a token of the account's rate (no await without a gate).
      if (this.init.rateGate) await this.init.rateGate.take({ deadline: s.deadline, signal: s.signal });
    } catch (err) {
      release?.();
      if (!(err instanceof TurnTimeout)) throw err;
      throw new CeligoApiError({
        status: 429,
        code: 'rate_budget',
        message: `${err.message} for this account's request budget`,
        retryAfter: 60,
        method: s.method,
        path: s.display,
        attempts,
      });
    }
    this.stats.requests++;
    // A timer cleared with the answer, not AbortSignal.timeout: that one keeps its signal (and whatever
    // listens to it) alive for the whole timeout, thousands of them under load.
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort(new DOMException(`No answer within ${s.timeoutMs} ms`, 'TimeoutError'));
    }, s.timeoutMs);
    const onAbort = () => ac.abort(s.signal!.reason);
    s.signal?.addEventListener('abort', onAbort, { once: true });
    if (s.signal?.aborted) onAbort();
    const headers: Record<string, string> = { authorization: this.auth, accept: 'application/json', 'user-agent': this.o.userAgent };
    if (s.payload !== undefined) headers['content-type'] = 'application/json';
    try {
      const res = await this.o.fetch(s.href, { method: s.method, headers, body: s.payload, signal: ac.signal });
      if (s.rows && res.status === 200 && !this.onExchange && isStream(res.body)) {
        return { res: { status: res.status, headers: res.headers, text: '', split: await readJsonRows(res.body, (v) => s.rows!.row(v, attempts)) } };
      }
      const text = res.status === 204 ? '' : await res.text();
      const answer = { status: res.status, headers: res.headers, text };
      this.report(s, answer);
      return { res: answer };
    } catch (error) {
      // The reader of the rows stopped the read (a row it cannot take), or the body is not JSON: no retry.
      if (s.rows?.stopped(error)) throw error;
      if (s.rows && error instanceof SyntaxError) throw new UnexpectedShapeError(s.rows.endpoint, 'a JSON array', `invalid JSON (${error.message})`);
      return { error, timedOut };
    } finally {
      clearTimeout(timer);
      s.signal?.removeEventListener('abort', onAbort);
      release();
    }
  }

  /** --record: every finished attempt, never the request headers. A throw here is ignored. */
  private report(s: Send, a: Answer): void {
    if (!this.onExchange) return;
    try {
      this.onExchange({ method: s.method, url: s.href, requestBody: s.payload, status: a.status, headers: a.headers, responseText: a.text });
    } catch {
      /* a recording must never break a request */
    }
  }

  private async backoff(attempt: number, signal?: AbortSignal): Promise<void> {
    this.stats.retries++;
    const cap = this.o.backoffMs * 2 ** Math.min(3, attempt - 1);
    // "Full jitter": spread retries of many clients over the whole window.
    await this.o.sleep(Math.floor(cap / 2 + this.o.random() * (cap / 2)), signal);
  }
}

const isStream = (body: unknown): body is AsyncIterable<Uint8Array> => !!body && typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function';
