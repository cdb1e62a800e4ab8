// The 2025-era leg of the HTTP endpoint: one NodeStreamableHTTPServerTransport (and one server) per
// Mcp-Session-Id, so server->client requests (elicitation) reach 2025 clients. An unknown session id
// answers 404; a request without one must be an initialize. Idle sessions are swept; at the cap the
// oldest idle session makes room, or the request gets 503.
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
}

export interface LegacySessionOptions {
  factory: () => McpServer;
  maxBodyBytes: number;
  idleMs: number;
  maxSessions: number;
}

export class LegacySessions {
  private readonly sessions = new Map<string, LegacySession>();
  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly o: LegacySessionOptions) {
    this.sweep = setInterval(() => this.closeIdle(), Math.min(60_000, o.idleMs));
    this.sweep.unref();
  }

  /** Serves one 2025-era request: on its session, or opening one with an initialize request. */
  async serve(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const sid = req.headers['mcp-session-id'];
    const id = Array.isArray(sid) ? sid[0] : sid;
    if (id) return this.serveExisting(id, req, res, body);
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return rpcError(res, 400, -32000, 'Bad Request: no Mcp-Session-Id; start with an initialize request.');
    }
    if (this.sessions.size >= this.o.maxSessions && !(await this.makeRoom())) {
      return rpcError(res, 503, -32000, 'Too many open sessions; try again later.');
    }
    return this.open(req, res, body);
  }

  /** Stops the sweep and closes every session. */
  async closeAll(): Promise<void> {
    clearInterval(this.sweep);
    await Promise.all([...this.sessions].map(([id, s]) => this.close(id, s)));
  }

  private async serveExisting(id: string, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const s = this.sessions.get(id);
    if (!s) return rpcError(res, 404, -32001, 'Session not found: it expired or the server restarted; initialize a new session.');
    s.lastSeen = Date.now();
    s.active++;
    try {
      await s.transport.handleRequest(req, res, body);
    } finally {
      s.active--;
      s.lastSeen = Date.now();
    }
  }

  /** Closes the least recently seen idle session; false when every session is busy. */
  private async makeRoom(): Promise<boolean> {
    const oldest = [...this.sessions].filter(([, s]) => s.active === 0).sort((a, b) => a[1].lastSeen - b[1].lastSeen)[0];
    if (!oldest) return false;
    await this.close(oldest[0], oldest[1]);
    return true;
  }

  private async open(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
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

  private closeIdle(): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) if (s.active === 0 && now - s.lastSeen > this.o.idleMs) void this.close(id, s);
  }

  private async close(id: string, s: LegacySession): Promise<void> {
    this.sessions.delete(id);
    await s.transport.close().catch(() => {});
    await s.server.close().catch(() => {});
  }
}
