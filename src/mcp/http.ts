// Streamable HTTP on one endpoint, /mcp, for both protocol revisions:
//   2025-era requests (initialize handshake, Mcp-Session-Id) -> a session-keyed NodeStreamableHTTPServerTransport,
//     so server->client requests (elicitation) reach 2025 clients; unknown session id -> 404;
//   2026-07-28 requests (per-request _meta envelope) -> createMcpHandler(factory), stateless.
// In front of both: Host/Origin guards (DNS rebinding), then who is asking: a static bearer token (http-auth.ts:
// at least 32 characters, failed attempts slowed per address) or OAuth access tokens (oauth.ts, with the
// RFC 9728 metadata at /.well-known/oauth-protected-resource), one or the other; body size limit, /healthz.
// Each admitted request runs as its Actor (app/actor.ts runAs): the server factory picks the tools that actor
// may use, and every tool call records who it acted for. A 2025-era session belongs to the actor that opened it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, isLegacyRequest, type McpServer } from '@modelcontextprotocol/server';
import { hostHeaderValidation, originValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { tooDeep, tooDeepError } from './frames.js';
import { rpcError, sendJson } from './http-respond.js';
import { LegacySessions } from './http-sessions.js';
import { AuthThrottle, BEARER_ACTOR, bearerGuard, checkBearerToken, type AuthThrottleOptions } from './http-auth.js';
import { runAs, type Actor } from '../app/actor.js';
import type { OAuthGuard } from './oauth.js';
import { isLoopbackHost } from './hosts.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Idle 2025-era sessions expire after 30 minutes without a request (README, docs/mcp.md). */
export const SESSION_IDLE_MS = 30 * 60_000;
export const MAX_SESSIONS = 1000;
const LOCAL_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export interface HttpServeOptions {
  factory: () => McpServer;
  host?: string;
  port?: number;
  /** When set, every /mcp request needs `Authorization: Bearer <token>`. Required off loopback. */
  bearerToken?: string;
  /**
   * OAuth resource server mode (oauth.ts createOAuthGuard): every /mcp request needs an access token of the
   * configured issuer and audience. Not together with bearerToken.
   */
  oauth?: OAuthGuard;
  /** How failed bearer or access-token attempts are slowed (defaults in http-auth.ts). */
  authThrottle?: AuthThrottleOptions;
  maxBodyBytes?: number;
  /** Extra Host names to accept (loopback names are always accepted). */
  allowedHosts?: string[];
  /** Extra browser Origin host names to accept (loopback names are always accepted). */
  allowedOrigins?: string[];
  /** A 2025-era session with no request for this long is closed (default SESSION_IDLE_MS). */
  sessionIdleMs?: number;
  /** Open 2025-era sessions at most (default MAX_SESSIONS); beyond it a new session gets 503 with Retry-After. */
  maxSessions?: number;
  /** Clock for session expiry (tests). */
  now?: () => number;
  /** More for GET /healthz (the rate gate, mcp/main.ts); a `status` here ('degraded') replaces 'ok'. */
  healthDetails?: () => Record<string, unknown>;
  log?: (line: string) => void;
}

export interface HttpHandle {
  url: string;
  port: number;
  /**
   * Stops. With `drainMs`, a drain first (a replica stopped in a rolling upgrade): no new connection is
   * taken, /healthz answers 503 "draining", a new /mcp request on an open connection gets 503 with
   * Retry-After, and the POSTs and DELETEs in progress are waited for up to `drainMs`, then everything
   * is closed (a GET stream of a 2025 session is not waited for: it never ends by itself).
   */
  close(drainMs?: number): Promise<void>;
  /** A drain in progress stops waiting (a second signal). */
  hurry(): void;
}

export { isLoopbackHost };

/**
 * Refuses a configuration that would expose the server without a token, or with a weak one, or that sets
 * both a shared bearer token and OAuth (the shared token would let anyone act without a name of their own).
 */
export function checkHttpConfig(host: string, bearerToken: string | undefined, oauth = false): void {
  if (bearerToken && oauth) {
    throw new Error(
      'Both CELIGO_MANAGE_HTTP_TOKEN and CELIGO_MANAGE_OAUTH_ISSUER are set: choose one. With OAuth every person signs in ' +
        'as themselves (scripts get a token from the authorization server too, e.g. by client credentials); unset CELIGO_MANAGE_HTTP_TOKEN.',
    );
  }
  checkBearerToken(bearerToken);
  if (!isLoopbackHost(host) && !bearerToken && !oauth) {
    throw new Error(
      `Refusing to serve MCP on non-loopback host ${host} without a token: set CELIGO_MANAGE_HTTP_TOKEN ` +
        '(clients then send "Authorization: Bearer <token>"), or CELIGO_MANAGE_OAUTH_ISSUER and CELIGO_MANAGE_OAUTH_AUDIENCE ' +
        '(each person signs in with OAuth), or bind 127.0.0.1.',
    );
  }
}

type BodyRead = { ok: true; body: Buffer } | { ok: false; status: 413 | 400 };

function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, status: 413 });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyRead) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        finish({ ok: false, status: 413 });
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks) }));
    req.on('error', () => finish({ ok: false, status: 400 }));
  });
}

function toHeaders(req: IncomingMessage): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
  }
  return h;
}

type Guard = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The checks in front of /mcp, in order: Host, the OAuth metadata (public: before the Origin check), Origin
 * (DNS rebinding), /healthz, the path, the bearer token, the method. Returns false when it has already
 * answered the request. OAuth access tokens are checked after it (asynchronously: see identify).
 */
function requestGuards(o: HttpServeOptions, host: string, throttle: AuthThrottle, draining: () => boolean): Guard {
  const hostGuard =
    isLoopbackHost(host) || o.allowedHosts?.length ? hostHeaderValidation([...LOCAL_NAMES, ...(o.allowedHosts ?? [])]) : undefined;
  const originGuard = originValidation([...LOCAL_NAMES, ...(o.allowedOrigins ?? [])]);
  const bearer = o.bearerToken ? bearerGuard(o.bearerToken, throttle) : undefined;
  return (req, res) => {
    if (hostGuard && !hostGuard(req, res)) return false;
    const path = (req.url ?? '/').split('?')[0];
    if (o.oauth?.serveMetadata(req, res, path)) return false;
    if (!originGuard(req, res)) return false;
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') sendJson(res, 405, { error: 'Use GET' }, { allow: 'GET' });
      else if (draining()) sendJson(res, 503, { status: 'draining' });
      else sendJson(res, 200, { status: 'ok', ...o.healthDetails?.() });
      return false;
    }
    if (path !== '/mcp') {
      sendJson(res, 404, { error: 'Not found; the MCP endpoint is /mcp.' });
      return false;
    }
    if (draining()) {
      rpcError(res, 503, -32000, 'This server is shutting down; send the request again (another replica will take it).', { 'retry-after': '1', connection: 'close' });
      return false;
    }
    if (bearer && !bearer(req, res)) return false;
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
      rpcError(res, 405, -32000, 'Method not allowed: /mcp takes POST (and GET or DELETE with an Mcp-Session-Id).', { allow: 'GET, POST, DELETE' });
      return false;
    }
    return true;
  };
}

/**
 * Who an admitted /mcp request acts for: the OAuth token's person, BEARER_ACTOR behind the static token,
 * undefined without either (loopback: the local user); null when the request has been answered (refused).
 */
async function identify(o: HttpServeOptions, req: IncomingMessage, res: ServerResponse, throttle: AuthThrottle): Promise<Actor | undefined | null> {
  if (o.oauth) return (await o.oauth.authenticate(req, res, throttle)) ?? null;
  return o.bearerToken ? BEARER_ACTOR : undefined;
}

/** The key a 2025-era session is bound to: a request by anyone else (or with other scopes) is not served on it. */
function ownerOf(actor: Actor | undefined): string | undefined {
  return actor && JSON.stringify([actor.via, actor.issuer ?? '', actor.subject, [...actor.scopes].sort()]);
}

/**
 * The parsed JSON body of a POST (undefined for GET and DELETE), or `answered` when the body was too
 * large, unreadable, not JSON or nested too deep and the request has had its error.
 */
async function readJsonBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<{ body: unknown } | 'answered'> {
  if (req.method !== 'POST') return { body: undefined };
  const read = await readBody(req, limit);
  if (!read.ok) {
    if (read.status === 413) res.setHeader('connection', 'close');
    rpcError(res, read.status, -32600, read.status === 413 ? `Request body larger than ${limit} bytes.` : 'Could not read the request body.');
    return 'answered';
  }
  let body: unknown;
  try {
    body = JSON.parse(read.body.toString('utf8'));
  } catch {
    rpcError(res, 400, -32700, 'Parse error: the body is not valid JSON.');
    return 'answered';
  }
  if (tooDeep(body)) {
    // A request gets its JSON-RPC error for its id (200, as the SDK answers invalid params); junk gets 400.
    const e = tooDeepError(body);
    sendJson(res, e.id === null ? 400 : 200, { jsonrpc: '2.0', id: e.id, error: { code: e.code, message: e.message } });
    return 'answered';
  }
  return { body };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startHttp(o: HttpServeOptions): Promise<HttpHandle> {
  const host = o.host ?? '127.0.0.1';
  const limit = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = o.log ?? (() => {});
  checkHttpConfig(host, o.bearerToken, !!o.oauth);
  const throttle = new AuthThrottle(o.authThrottle);
  const drain = new Drain();
  const admit = requestGuards(o, host, throttle, () => drain.on);

  const onerror = (err: Error) => log(`http: ${err.message}`);
  const modern = createMcpHandler(() => o.factory(), { legacy: 'reject', maxRequestBodySize: limit, onerror });
  const modernNode = toNodeHandler(modern, { maxRequestBodySize: limit, onerror });
  const legacy = new LegacySessions({
    factory: o.factory,
    maxBodyBytes: limit,
    idleMs: o.sessionIdleMs ?? SESSION_IDLE_MS,
    maxSessions: o.maxSessions ?? MAX_SESSIONS,
    now: o.now,
  });

  // 2025-era requests go to their session; 2026-07-28 requests to the stateless handler.
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!admit(req, res)) return;
    const actor = await identify(o, req, res, throttle);
    if (actor === null) return;
    const read = await readJsonBody(req, res, limit);
    if (read === 'answered') return;
    const body = read.body;
    const route = async (): Promise<void> => {
      const probe = new Request(`http://localhost${req.url ?? '/mcp'}`, { method: req.method, headers: toHeaders(req) });
      if (await isLegacyRequest(probe, body, { maxRequestBodySize: limit })) return legacy.serve(req, res, body, ownerOf(actor));
      return modernNode(req, res, body);
    };
    // The factory (tools for this actor) and every tool call of the request see the actor (currentActor()).
    return actor ? runAs(actor, route) : route();
  }

  const server = createServer((req, res) => {
    if (req.method !== 'GET') drain.track(res);
    handle(req, res).catch((err: Error) => {
      log(`http: ${err.stack ?? err.message}`);
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal server error.');
      else res.end();
    });
  });
  await listen(server, o.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}/mcp`,
    port,
    async close(drainMs = 0) {
      drain.on = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (drainMs > 0) {
        const left = drain.active;
        if (left) log(`draining: waiting up to ${Math.round(drainMs / 1000)} s for ${left} request(s) in progress`);
        await drain.idle(drainMs);
      }
      await legacy.closeAll();
      await modern.close().catch(() => {});
      server.closeAllConnections();
      await stopped;
    },
    hurry: () => drain.hurry(),
  };
}

/** The requests in progress, and whether the server is draining (HttpHandle.close). */
class Drain {
  on = false;
  active = 0;
  private wake?: () => void;

  track(res: ServerResponse): void {
    this.active++;
    res.once('close', () => {
      if (--this.active === 0) this.wake?.();
    });
  }

  /** Resolves when no request is in progress, after `ms` at most, or at hurry(). */
  idle(ms: number): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.hurry(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  hurry(): void {
    this.wake?.();
  }
}
