// The node:http server: control endpoints, then for /v1 the request log, faults, rate limit, auth, lazy job
// transitions, routing, body parsing (415 / 400), the handler, and the reply.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ControlledClock } from './clock.js';
import { DEFAULT_CONFIG, otherForm, type RuntimeConfig } from './config.js';
import { DEFAULT_RATE_LIMIT } from './rate-limit.js';
import { realNow } from './arrivals.js';
import { type ControlTarget, type RequestLogEntry, handleControl } from './control.js';
import { type FaultConfig, type FaultDecision, Faults, faultBody } from './faults.js';
import { tick } from './jobs.js';
import { LeakyBucket, type RateLimitConfig } from './rate-limit.js';
import { ApiError, type Reply } from './respond.js';
import { apiRouter } from './routes/index.js';
import type { Ctx } from './router.js';
import { hasSecrets, maskReplacer } from './secrets.js';
import { type SeedName, seedStore } from './seed/index.js';
import type { Rec, Store } from './store.js';
import { bearerToken, callerForToken } from './tokens.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** POSTs that read and change nothing (tests of connections, sample fetches, in-progress jobs). */
const READ_ONLY_POST = /^\/v1\/(connections\/[^/]+\/(ping|test)|connections\/ping|exports\/[^/]+\/invoke|exports\/preview|jobs\/current|flows\/runs\/stats|lookupcaches\/[^/]+\/getData)$/;

/** A request as the emulator sees it, whatever carried it (node:http, or the in-process fetch). */
export interface RawRequest {
  method: string;
  /** Path with query string, e.g. /v1/flows?limit=10 */
  url: string;
  headers: { authorization?: string; 'content-type'?: string; host?: string };
  text: string;
}

/** What to do with a request: answer it, or drop the connection (an injected reset). */
type Outcome = { reply: Reply } | { reset: true };

export interface Serialized {
  status: number;
  headers: Record<string, string>;
  payload?: string;
}
const LOG_CAP = 100_000;

export interface ServerOptions {
  host: string;
  port: number;
  seed: SeedName;
  /** Size factor of the large seed (default 1). */
  scale?: number;
  /** Days of run history of the large seed (default 1); kept by resets. */
  historyDays?: number;
  clock: ControlledClock;
  rateLimit: RateLimitConfig | false;
  faults?: FaultConfig;
  config: Partial<RuntimeConfig>;
  quiet: boolean;
}

function readBody(req: IncomingMessage): Promise<string> {
  const len = req.headers['content-length'];
  if ((len === undefined || len === '0') && req.headers['transfer-encoding'] === undefined) {
    req.resume();
    return Promise.resolve('');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function isJsonType(ct: string | undefined): boolean {
  return !!ct && /^application\/([\w.+-]*\+)?json\b|^application\/json-patch\+json\b|^text\/json\b/i.test(ct.trim());
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class EmulatorServer implements ControlTarget {
  readonly config: RuntimeConfig;
  readonly clock: ControlledClock;
  private _store: Store;
  private bucket?: LeakyBucket;
  private readonly faultState: Faults;
  private log: RequestLogEntry[] = [];
  /** When each logged request arrived, real clock (arrivals.ts): the log's `at` is the injectable clock. */
  private arrivals: number[] = [];
  private readonly server: Server;
  private readonly quiet: boolean;
  private baseOrigin = '';

  constructor(private readonly opts: ServerOptions) {
    this.config = { ...DEFAULT_CONFIG, ...opts.config, forms: { ...(opts.config?.forms ?? {}) } };
    this.clock = opts.clock;
    this.quiet = opts.quiet;
    this._store = seedStore(opts.seed, this.clock, opts.scale ?? 1, opts.historyDays ?? 1);
    this.setRateLimit(opts.rateLimit);
    this.faultState = new Faults(opts.faults);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!this.quiet) process.stderr.write(`emulator: ${err instanceof Error ? err.stack : String(err)}\n`);
        if (!res.headersSent) this.send(res, new ApiError(500, 'internal_error', 'Internal emulator error.').reply());
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 5000;
  }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    this.baseOrigin = `http://${host}:${addr.port}`;
    return addr;
  }

  /** Origin for absolute URLs (Link headers) when the emulator does not listen. */
  useOrigin(origin: string): void {
    this.baseOrigin = origin;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- ControlTarget ----
  store(): Store {
    return this._store;
  }
  /** No seed: the same seed and scale again. A seed without a scale: that seed at scale 1. */
  reset(seed?: SeedName, scale?: number): void {
    const name = seed ?? (this._store.seedName as SeedName);
    this._store = seedStore(name, this.clock, scale ?? (seed ? 1 : this._store.seedScale), name === 'large' ? (this.opts.historyDays ?? 1) : 1);
  }
  setFaults(f: FaultConfig): void {
    this.faultState.set(f);
  }
  faults(): FaultConfig {
    return this.faultState.current();
  }
  requestLog(): RequestLogEntry[] {
    return this.log.slice();
  }
  requestArrivals(): number[] {
    return this.arrivals.slice();
  }
  clearRequestLog(): void {
    this.log = [];
    this.arrivals = [];
  }
  setRateLimit(r: RateLimitConfig | false): void {
    this.bucket = r ? new LeakyBucket(r) : undefined;
  }
  rateLimit(): RateLimitConfig | false {
    return this.bucket ? { ...this.bucket.config } : false;
  }

  // ---- requests ----
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw: RawRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      url: req.url ?? '/',
      headers: { authorization: req.headers.authorization, 'content-type': req.headers['content-type'], host: req.headers.host },
      text: await readBody(req),
    };
    const out = await this.process(raw);
    if ('reset' in out) {
      res.socket?.destroy();
      return;
    }
    this.send(res, out.reply);
  }

  /**
   * The same emulator without a socket, for in-process use (`--demo`): a one-shot command pays for
   * neither a listening server nor HTTP parsing, nor for loading fetch's implementation (undici, about
   * 20 ms at start-up). It answers with what the client reads of a response (status, headers, text);
   * resets surface as fetch's network error.
   */
  readonly fetch = async (input: string, init: LocalRequestInit = {}): Promise<LocalResponse> => {
    const url = new URL(input);
    const out = await this.process({
      method: (init.method ?? 'GET').toUpperCase(),
      url: url.pathname + url.search,
      headers: { authorization: headerOf(init.headers, 'authorization'), 'content-type': headerOf(init.headers, 'content-type'), host: url.host },
      text: init.body ?? '',
    });
    if ('reset' in out) throw new TypeError('fetch failed', { cause: new Error('connection reset by the emulator (injected fault)') });
    return new LocalResponse(serialize(out.reply));
  };

  private async process(req: RawRequest): Promise<Outcome> {
    const raw = req.url;
    const qi = raw.indexOf('?');
    const pathname = qi >= 0 ? raw.slice(0, qi) : raw;
    const method = req.method;
    if (pathname === '/__emulator' || pathname.startsWith('/__emulator/')) {
      const text = req.text;
      let reply: Reply;
      try {
        let body: unknown;
        if (text.trim()) {
          try {
            body = JSON.parse(text);
          } catch {
            throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.');
          }
        }
        tick(this._store);
        reply = handleControl(this, method, pathname, body);
      } catch (e) {
        reply = this.errorReply(e);
      }
      return { reply };
    }
    if (pathname !== '/v1' && !pathname.startsWith('/v1/')) {
      return { reply: new ApiError(404, 'not_found', `No such path ${pathname}; the API lives under /v1.`).reply() };
    }
    const entry: RequestLogEntry = { method, path: raw, status: 0, at: this.clock.now(), mutating: !SAFE.has(method) && !(method === 'POST' && READ_ONLY_POST.test(pathname)) };
    this.log.push(entry);
    this.arrivals.push(realNow());
    if (this.log.length > LOG_CAP) for (const l of [this.log, this.arrivals]) l.splice(0, l.length - LOG_CAP);

    const text = req.text;
    const fault = this.faultState.decide(`${method} ${pathname}`);
    if (fault && fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault && fault.when === 'before' && (fault.reset || fault.status)) return this.applyFault(fault, entry);
    let reply: Reply;
    const wait = this.bucket?.take() ?? 0;
    if (wait > 0) {
      reply = new ApiError(429, 'rate_limited', `Too many requests. Retry after ${wait} seconds.`, undefined, { 'Retry-After': String(wait) }).reply();
    } else {
      try {
        reply = await this.dispatch(req, method, pathname, qi >= 0 ? raw.slice(qi + 1) : '', text);
      } catch (e) {
        reply = this.errorReply(e);
      }
    }
    if (fault && fault.when === 'after' && (fault.reset || fault.status)) return this.applyFault(fault, entry);
    if (otherForm(this.config, 'rate-limit-headers')) {
      // Other form of `rate-limit-headers` (APIEV's scaffold, §1.6): X-RateLimit-* on every answer.
      const capacity = this.bucket?.config.capacity ?? DEFAULT_RATE_LIMIT.capacity;
      reply = { ...reply, headers: { ...reply.headers, 'X-RateLimit-Limit': String(capacity), 'X-RateLimit-Remaining': String(this.bucket?.remaining() ?? capacity) } };
    }
    entry.status = reply.status;
    return { reply };
  }

  private errorReply(e: unknown): Reply {
    if (e instanceof ApiError) return e.reply();
    if (!this.quiet) process.stderr.write(`emulator: ${e instanceof Error ? e.stack : String(e)}\n`);
    return new ApiError(500, 'internal_error', 'Internal emulator error.').reply();
  }

  private applyFault(f: FaultDecision, entry: RequestLogEntry): Outcome {
    entry.fault = f.when;
    if (f.reset) {
      entry.status = 0;
      return { reset: true };
    }
    const status = f.status ?? 503;
    entry.status = status;
    const headers: Record<string, string> = {};
    if (f.retryAfter !== undefined) headers['Retry-After'] = String(f.retryAfter);
    return { reply: { status, body: faultBody(status, f.retryAfter), headers, mask: false } };
  }

  private async dispatch(req: RawRequest, method: string, pathname: string, search: string, text: string): Promise<Reply> {
    const caller = callerForToken(bearerToken(req.headers.authorization) ?? '');
    if (!caller) {
      // Other form of `unauthorized-body`: a 401 that is not the errors envelope (none was ever captured, §1.5).
      if (otherForm(this.config, 'unauthorized-body')) return { status: 401, text: 'Unauthorized' };
      throw new ApiError(401, 'unauthorized', req.headers.authorization ? 'The API token is invalid or has been revoked.' : 'Missing Authorization: Bearer <token> header.');
    }
    const store = this._store;
    tick(store);
    let segments: string[];
    try {
      segments = pathname.slice(3).split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw new ApiError(400, 'invalid_path', 'The path is not correctly URL-encoded.');
    }
    const m = apiRouter().match(method, segments);
    if (!m) throw new ApiError(404, 'not_found', `No endpoint ${method} ${pathname}.`);
    if ('methodNotAllowed' in m) {
      throw new ApiError(405, 'method_not_allowed', `${method} is not allowed on ${pathname}.`, undefined, { Allow: [...new Set(m.methodNotAllowed)].join(', ') });
    }
    const { route, params } = m;
    const scoped = store.hidden.scopedConnections;
    const visible = (kind: 'connections' | 'exports' | 'imports', rec: Rec): boolean =>
      caller.scope === '*' || (kind === 'connections' ? scoped.has(rec._id) : typeof rec._connectionId === 'string' && scoped.has(rec._connectionId));
    if (caller.scope !== '*') {
      const a = route.access;
      const deny = (): ApiError => new ApiError(403, 'forbidden', 'The API token does not have access to this resource.');
      if (!a) throw deny();
      if (a !== 'any') {
        const id = params[a.param ?? 'id'];
        if (id !== undefined) {
          const rec = store.get(a.kind, id);
          if (!rec) throw new ApiError(404, 'not_found', `${a.kind.slice(0, -1)} not found.`);
          if (!visible(a.kind, rec)) throw deny();
        }
      }
    }
    let body: unknown;
    if (text.length > 0 && !SAFE.has(method)) {
      if (!isJsonType(req.headers['content-type'])) {
        throw new ApiError(415, 'unsupported_media_type', 'The request body must be JSON (Content-Type: application/json).');
      }
      if (text.trim()) {
        try {
          body = JSON.parse(text);
        } catch {
          throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON.');
        }
      }
    }
    const host = req.headers.host;
    const ctx: Ctx = {
      method,
      path: `/${segments.map(encodeURIComponent).join('/')}`,
      query: new URLSearchParams(search),
      params,
      body,
      caller,
      store,
      config: this.config,
      origin: host ? `http://${host}` : this.baseOrigin,
      now: this.clock.now(),
      visible,
    };
    return route.handler(ctx);
  }

  private send(res: ServerResponse, reply: Reply): void {
    const s = serialize(reply);
    res.writeHead(s.status, s.headers);
    res.end(s.payload);
  }
}

/** Status, headers and body text of a reply (secrets masked), for either transport. */
export function serialize(reply: Reply): Serialized {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | undefined;
  if (reply.text !== undefined) {
    payload = reply.text;
    headers['Content-Type'] ??= 'text/plain; charset=utf-8';
  } else if (reply.body !== undefined && reply.status !== 204) {
    payload = reply.mask === false || !hasSecrets(reply.body) ? JSON.stringify(reply.body) : JSON.stringify(reply.body, maskReplacer);
    headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  else if (reply.status !== 204 && reply.status !== 304) headers['Content-Length'] = '0';
  return { status: reply.status, headers, payload };
}

export interface LocalRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const k in headers) if (k.toLowerCase() === name) return headers[k];
  return undefined;
}

/** An in-process answer: the status, case-insensitive headers and the body text, which is all the client reads of fetch's Response. */
export class LocalResponse {
  readonly status: number;
  readonly payload: string | undefined;
  readonly headers: { get(name: string): string | null };

  constructor(s: Serialized) {
    this.status = s.status;
    this.payload = s.payload;
    const lower = new Map(Object.entries(s.headers).map(([k, v]) => [k.toLowerCase(), v]));
    this.headers = { get: (name) => lower.get(name.toLowerCase()) ?? null };
  }

  async text(): Promise<string> {
    return this.payload ?? '';
  }
}
