// The 2025-era leg of the HTTP endpoint: one NodeStreamableHTTPServerTransport (and one server) per
// Mcp-Session-Id, so server->client requests (elicitation) reach 2025 clients. An unknown session id
// answers 404; a request without one must be an initialize. A live session is never closed to make room:
// at the cap a new session gets 503 with Retry-After (when the next idle session expires). A session is
// idle when no POST or DELETE has been in progress for idleMs; an open GET stream does not keep it
// alive (a client that vanished without closing its stream would hold its place for ever). A session
// belongs to its owner (the actor that opened it, http.ts ownerOf): a request on it by anyone else gets the
// same 404 as an unknown id, so a session id learnt some other way neither serves nor confirms anything.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isInitializeRequest, type McpServer } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { rpcError } from './http-respond.js';

interface LegacySession {
  transport: NodeStreamableHTTPServerTransport;
  server: McpServer;
  lastSeen: number;
  active: number;
  /** Who opened it (undefined: a server without authentication). */
  owner: string | undefined;
}

export interface LegacySessionOptions {
  factory: () => McpServer;
  maxBodyBytes: number;
  idleMs: number;
  maxSessions: number;
  /** Clock for idle expiry (tests). */
  now?: () => number;
}

/** Longest Retry-After a refused session is told, in seconds: by then some other may have ended. */
const MAX_RETRY_AFTER_SEC = 60;

export class LegacySessions {
  private readonly sessions = new Map<string, LegacySession>();
  private readonly sweep: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly o: LegacySessionOptions) {
    this.now = o.now ?? Date.now;
    this.sweep = setInterval(() => this.closeIdle(), Math.min(60_000, o.idleMs));
    this.sweep.unref();
  }

  /**
   * Serves one 2025-era request: on its session, or opening one with an initialize request. `owner`: who
   * asks (a session is served only to the owner that opened it).
   */
  async serve(req: IncomingMessage, res: ServerResponse, body: unknown, owner?: string): Promise<void> {
    const sid = req.headers['mcp-session-id'];
    const id = Array.isArray(sid) ? sid[0] : sid;
    if (id) return this.serveExisting(id, req, res, body, owner);
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return rpcError(res, 400, -32000, 'Bad Request: no Mcp-Session-Id; start with an initialize request.');
    }
    if (this.sessions.size >= this.o.maxSessions) this.closeIdle();
    if (this.sessions.size >= this.o.maxSessions) {
      const wait = this.secondsToRoom();
      return rpcError(res, 503, -32000, `Too many open sessions (${this.o.maxSessions}); try again in ${wait} s.`, { 'retry-after': String(wait) });
    }
    return this.open(req, res, body, owner);
  }

  /** Stops the sweep and closes every session. */
  async closeAll(): Promise<void> {
    clearInterval(this.sweep);
    await Promise.all([...this.sessions].map(([id, s]) => this.close(id, s)));
  }

  private async serveExisting(id: string, req: IncomingMessage, res: ServerResponse, body: unknown, owner: string | undefined): Promise<void> {
    const s = this.sessions.get(id);
    if (!s || s.owner !== owner) return rpcError(res, 404, -32001, 'Session not found: it expired or the server restarted; initialize a new session.');
    s.lastSeen = this.now();
    // A GET stream stays open as long as the client likes; only requests keep a session busy.
    const busy = req.method !== 'GET';
    if (busy) s.active++;
    try {
      await s.transport.handleRequest(req, res, body);
    } finally {
      if (busy) s.active--;
      s.lastSeen = this.now();
    }
  }

  /** Seconds until the next idle session expires (1 to MAX_RETRY_AFTER_SEC). */
  private secondsToRoom(): number {
    const now = this.now();
    let soonest = this.o.idleMs;
    for (const s of this.sessions.values()) if (s.active === 0) soonest = Math.min(soonest, s.lastSeen + this.o.idleMs - now);
    return Math.min(MAX_RETRY_AFTER_SEC, Math.max(1, Math.ceil(soonest / 1000)));
  }

  private async open(req: IncomingMessage, res: ServerResponse, body: unknown, owner: string | undefined): Promise<void> {
    const sessions = this.sessions;
    const server = this.o.factory();
    const entry: LegacySession = {
      server,
      transport: new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        maxRequestBodySize: this.o.maxBodyBytes,
        onsessioninitialized: (newId) => {
          sessions.set(newId, entry);
        },
        onsessionclosed: (closedId) => {
          sessions.delete(closedId);
        },
      }),
      lastSeen: this.now(),
      active: 1,
      owner,
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
      entry.lastSeen = this.now();
    }
  }

  private closeIdle(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.active === 0 && now - s.lastSeen > this.o.idleMs) void this.close(id, s);
  }

  private async close(id: string, s: LegacySession): Promise<void> {
    this.sessions.delete(id);
    await s.transport.close().catch(() => {});
    await s.server.close().catch(() => {});
  }
}
