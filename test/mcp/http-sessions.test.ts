// Issue 13 item 13: 2025-era HTTP sessions are never evicted while alive. At the cap a new session gets 503
// with Retry-After; idle sessions expire after sessionIdleMs (a test clock, no waiting), an open SSE stream
// included.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttp, type HttpHandle } from '../../src/mcp/http.js';
import { connectHttp, factory, textOf } from '../helpers/mcp.js';

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

interface Answer {
  status: number;
  retryAfter?: string;
  sessionId?: string;
  body: string;
}

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { ...JSON_HEADERS, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, sessionId: res.headers['mcp-session-id'] as string | undefined, body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const initialize = (url: string) => post(url, INIT);

/** A tools/list on a session opened by raw requests (no GET stream: idle between two requests). */
const listOn = (url: string, sessionId: string) =>
  post(url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' });

const echo = (message: string) => ({ name: 'echo', arguments: { message } });

describe('2025-era sessions at the cap and when idle', () => {
  let h: HttpHandle | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('answers a new session at the cap with 503 and Retry-After, and the open sessions keep working', async () => {
    h = await startHttp({ factory: factory(), port: 0, maxSessions: 2 });
    const a = await connectHttp(h.url, { era: 'legacy' });
    const b = await connectHttp(h.url, { era: 'legacy' });
    try {
      expect(textOf(await a.client.callTool(echo('a1')))).toBe('a1');
      expect(textOf(await b.client.callTool(echo('b1')))).toBe('b1');
      const third = await initialize(h.url);
      expect(third.status).toBe(503);
      expect(third.retryAfter).toMatch(/^[1-9]\d*$/);
      expect(JSON.parse(third.body).error.message).toMatch(/sessions/i);
      // Both clients are between two calls: neither was evicted to make room.
      expect(textOf(await a.client.callTool(echo('a2')))).toBe('a2');
      expect(textOf(await b.client.callTool(echo('b2')))).toBe('b2');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('never closes a session between two of its requests to make room for a new one', async () => {
    h = await startHttp({ factory: factory(), port: 0, maxSessions: 2 });
    const a = (await initialize(h.url)).sessionId!;
    const b = (await initialize(h.url)).sessionId!;
    expect((await listOn(h.url, a)).status).toBe(200);
    expect((await initialize(h.url)).status).toBe(503);
    expect((await listOn(h.url, a)).status).toBe(200);
    expect((await listOn(h.url, b)).status).toBe(200);
  });

  it('expires a session idle for sessionIdleMs, even with its SSE stream open, and then has room again', async () => {
    let t = 1_000_000;
    h = await startHttp({ factory: factory(), port: 0, maxSessions: 1, sessionIdleMs: 60_000, now: () => t });
    const a = await connectHttp(h.url, { era: 'legacy' });
    try {
      expect(textOf(await a.client.callTool(echo('a1')))).toBe('a1');
      t += 59_000;
      const early = await initialize(h.url);
      expect(early.status).toBe(503);
      expect(Number(early.retryAfter)).toBe(1);
      t += 2_000;
      const late = await initialize(h.url);
      expect(late.status).toBe(200);
      await expect(a.client.callTool(echo('a2'))).rejects.toThrow(/session not found/i);
    } finally {
      await a.close();
    }
  });

  it('counts every request as activity: a session in use does not expire', async () => {
    let t = 1_000_000;
    h = await startHttp({ factory: factory(), port: 0, maxSessions: 1, sessionIdleMs: 60_000, now: () => t });
    const a = await connectHttp(h.url, { era: 'legacy' });
    try {
      for (let i = 0; i < 3; i++) {
        t += 50_000;
        expect(textOf(await a.client.callTool(echo(`a${i}`)))).toBe(`a${i}`);
      }
      expect((await initialize(h.url)).status).toBe(503);
    } finally {
      await a.close();
    }
  });
});
