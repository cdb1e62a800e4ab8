// Streamable HTTP on one endpoint, /mcp, for both protocol revisions:
//   2025-era requests (initialize handshake, Mcp-Session-Id) -> a session-keyed NodeStreamableHTTPServerTransport,
//     so server->client requests (elicitation) reach 2025 clients; unknown session id -> 404;
//   2026-07-28 requests (per-request _meta envelope) -> createMcpHandler(factory), stateless.
// In front of both: Host/Origin guards (DNS rebinding), optional bearer token, body size limit, /healthz.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, isInitializeRequest, isLegacyRequest, type McpServer } from '@modelcontextprotocol/server';
import {
  NodeStreamableHTTPServerTransport,
  hostHeaderValidation,
  originValidation,
  toNodeHandler,
} from '@modelcontextprotocol/node';
import { tooDeep, tooDeepError } from './frames.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const LOCAL_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export interface HttpServeOptions {
  factory: () => McpServer;
  host?: string;
  port?: number;
  /** When set, every /mcp request needs `Authorization: Bearer <token>`. Required off loopback. */
  bearerToken?: string;
  maxBodyBytes?: number;
  /** Extra Host names to accept (loopback names are always accepted). */
  allowedHosts?: string[];
  /** Extra browser Origin host names to accept (loopback names are always accepted). */
  allowedOrigins?: string[];
  sessionIdleMs?: number;
  maxSessions?: number;
  log?: (line: string) => void;
}

export interface HttpHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Refuses a configuration that would expose the server without a token. */
export function checkHttpConfig(host: string, bearerToken: string | undefined): void {
  if (!isLoopbackHost(host) && !bearerToken) {
    throw new Error(
      `Refusing to serve MCP on non-loopback host ${host} without a token: set CELIGO_MANAGE_HTTP_TOKEN ` +
        '(clients then send "Authorization: Bearer <token>"), or bind 127.0.0.1.',
    );
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function rpcError(res: ServerResponse, status: number, code: number, message: string, headers?: Record<string, string>): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
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

function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const a = createHash('sha256').update(m[1]!.trim()).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

function toHeaders(req: IncomingMessage): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
  }
  return h;
}

interface LegacySession {
  transport: NodeStreamableHTTPServerTransport;
  server: McpServer;
  lastSeen: number;
  active: number;
}

export async function startHttp(o: HttpServeOptions): Promise<HttpHandle> {
  const host = o.host ?? '127.0.0.1';
  const limit = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const idleMs = o.sessionIdleMs ?? 30 * 60_000;
  const maxSessions = o.maxSessions ?? 256;
  const log = o.log ?? (() => {});
  checkHttpConfig(host, o.bearerToken);

  const loopback = isLoopbackHost(host);
  const hostGuard =
    loopback || o.allowedHosts?.length ? hostHeaderValidation([...LOCAL_NAMES, ...(o.allowedHosts ?? [])]) : undefined;
  const originGuard = originValidation([...LOCAL_NAMES, ...(o.allowedOrigins ?? [])]);

  const onerror = (err: Error) => log(`http: ${err.message}`);
  const modern = createMcpHandler(() => o.factory(), { legacy: 'reject', maxRequestBodySize: limit, onerror });
  const modernNode = toNodeHandler(modern, { maxRequestBodySize: limit, onerror });

  const sessions = new Map<string, LegacySession>();

  async function closeSession(id: string, s: LegacySession): Promise<void> {
    sessions.delete(id);
    await s.transport.close().catch(() => {});
    await s.server.close().catch(() => {});
  }

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, s] of sessions) if (s.active === 0 && now - s.lastSeen > idleMs) void closeSession(id, s);
  }, Math.min(60_000, idleMs));
  sweep.unref();

  async function serveLegacy(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const sid = req.headers['mcp-session-id'];
    const id = Array.isArray(sid) ? sid[0] : sid;
    if (id) {
      const s = sessions.get(id);
      if (!s) return rpcError(res, 404, -32001, 'Session not found: it expired or the server restarted; initialize a new session.');
      s.lastSeen = Date.now();
      s.active++;
      try {
        await s.transport.handleRequest(req, res, body);
      } finally {
        s.active--;
        s.lastSeen = Date.now();
      }
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return rpcError(res, 400, -32000, 'Bad Request: no Mcp-Session-Id; start with an initialize request.');
    }
    if (sessions.size >= maxSessions) {
      const oldest = [...sessions].filter(([, s]) => s.active === 0).sort((a, b) => a[1].lastSeen - b[1].lastSeen)[0];
      if (!oldest) return rpcError(res, 503, -32000, 'Too many open sessions; try again later.');
      await closeSession(oldest[0], oldest[1]);
    }
    const server = o.factory();
    const entry: LegacySession = {
      server,
      transport: new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        maxRequestBodySize: limit,
        onsessioninitialized: (newId) => {
          sessions.set(newId, entry);
        },
        onsessionclosed: (closedId) => {
          sessions.delete(closedId);
        },
      }),
      lastSeen: Date.now(),
      active: 1,
    };
    server.server.onclose = () => {
      const closedId = entry.transport.sessionId;
      if (closedId && sessions.get(closedId) === entry) sessions.delete(closedId);
    };
    await server.connect(entry.transport);
    try {
      await entry.transport.handleRequest(req, res, body);
    } finally {
      entry.active--;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (hostGuard && !hostGuard(req, res)) return;
    if (!originGuard(req, res)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'Use GET' }, { allow: 'GET' });
      return sendJson(res, 200, { status: 'ok' });
    }
    if (path !== '/mcp') return sendJson(res, 404, { error: 'Not found; the MCP endpoint is /mcp.' });
    if (o.bearerToken && !bearerMatches(req.headers.authorization, o.bearerToken)) {
      return rpcError(res, 401, -32000, 'Unauthorized: send "Authorization: Bearer <CELIGO_MANAGE_HTTP_TOKEN>".', {
        'www-authenticate': 'Bearer realm="celigo-manage"',
      });
    }

    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
      return rpcError(res, 405, -32000, 'Method not allowed: /mcp takes POST (and GET or DELETE with an Mcp-Session-Id).', { allow: 'GET, POST, DELETE' });
    }

    let body: unknown;
    if (req.method === 'POST') {
      const read = await readBody(req, limit);
      if (!read.ok) {
        if (read.status === 413) res.setHeader('connection', 'close');
        return rpcError(res, read.status, -32600, read.status === 413 ? `Request body larger than ${limit} bytes.` : 'Could not read the request body.');
      }
      try {
        body = JSON.parse(read.body.toString('utf8'));
      } catch {
        return rpcError(res, 400, -32700, 'Parse error: the body is not valid JSON.');
      }
      if (tooDeep(body)) {
        // A request gets its JSON-RPC error for its id (200, as the SDK answers invalid params); junk gets 400.
        const e = tooDeepError(body);
        return sendJson(res, e.id === null ? 400 : 200, { jsonrpc: '2.0', id: e.id, error: { code: e.code, message: e.message } });
      }
    }

    const probe = new Request(`http://localhost${req.url ?? '/mcp'}`, { method: req.method, headers: toHeaders(req) });
    if (await isLegacyRequest(probe, body, { maxRequestBodySize: limit })) return serveLegacy(req, res, body);
    return modernNode(req, res, body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      log(`http: ${err.stack ?? err.message}`);
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal server error.');
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}/mcp`,
    port,
    async close() {
      clearInterval(sweep);
      await Promise.all([...sessions].map(([id, s]) => closeSession(id, s)));
      await modern.close().catch(() => {});
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
