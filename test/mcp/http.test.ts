// Streamable HTTP: both revisions on one /mcp endpoint, session routing, guards, bearer, body limit.
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHttp, checkHttpConfig, isLoopbackHost, type HttpHandle } from '../../src/mcp/http.js';
import { ERAS, MODERN, connectHttp, factory, seen, textOf } from '../helpers/mcp.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(url: string, o: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Raw> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, method: o.method ?? 'POST', headers: o.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (o.body) req.write(o.body);
    req.end();
  });
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const initBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

describe('HTTP /mcp', () => {
  let h: HttpHandle;
  beforeAll(async () => {
    h = await startHttp({ factory: factory(), port: 0 });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    seen.deleted = [];
  });

  it.each(ERAS)('serves the %s revision: list, call, error result', async (era) => {
    const c = await connectHttp(h.url, { era });
    try {
      expect(c.client.getNegotiatedProtocolVersion()).toBe(era === 'modern' ? MODERN : '2025-11-25');
      expect((await c.client.listTools()).tools.map((t) => t.name)).toContain('delete_thing');
      expect(textOf(await c.client.callTool({ name: 'echo', arguments: { message: 'ok' } }))).toBe('ok');
      const bad = await c.client.callTool({ name: 'api_fails', arguments: {} });
      expect(bad.isError).toBe(true);
    } finally {
      await c.close();
    }
  });

  it.each(ERAS)('confirms by elicitation over HTTP on the %s revision', async (era) => {
    const c = await connectHttp(h.url, { era, elicit: { action: 'accept', content: { confirm: true } } });
    try {
      const r = await c.client.callTool({ name: 'delete_thing', arguments: { id: `h-${era}` } });
      expect(textOf(r)).toBe(`deleted h-${era}`);
      expect(c.asked).toHaveLength(1);
    } finally {
      await c.close();
    }
  });

  it.each(ERAS)('sends progress over HTTP on the %s revision', async (era) => {
    const c = await connectHttp(h.url, { era });
    try {
      const got: number[] = [];
      const ac = new AbortController();
      const call = c.client.callTool({ name: 'slow', arguments: { steps: 2 } }, {
        signal: ac.signal,
        onprogress: (p) => {
          got.push(p.progress);
          if (got.length === 2) ac.abort();
        },
      });
      await expect(call).rejects.toThrow();
      expect(got).toEqual([1, 2]);
    } finally {
      await c.close();
    }
  });

  it('gives 2025 clients a session id, and answers an unknown session id with 404', async () => {
    const init = await raw(h.url, { headers: JSON_HEADERS, body: initBody });
    expect(init.status).toBe(200);
    expect(init.headers['mcp-session-id']).toMatch(/^[\x21-\x7e]+$/);
    const gone = await raw(h.url, {
      headers: { ...JSON_HEADERS, 'mcp-session-id': 'no-such-session', 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(gone.status).toBe(404);
    const del = await raw(h.url, { method: 'DELETE', headers: { 'mcp-session-id': String(init.headers['mcp-session-id']) } });
    expect(del.status).toBe(200);
    const after = await raw(h.url, {
      headers: { ...JSON_HEADERS, 'mcp-session-id': String(init.headers['mcp-session-id']), 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }),
    });
    expect(after.status).toBe(404);
  });

  it('refuses a 2025 request without a session that is not initialize', async () => {
    const r = await raw(h.url, { headers: JSON_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(r.status).toBe(400);
  });

  it('rejects a foreign Host header and a foreign Origin (DNS rebinding)', async () => {
    const badHost = await raw(h.url, { headers: { ...JSON_HEADERS, host: 'evil.example.com' }, body: initBody });
    expect(badHost.status).toBe(403);
    const badOrigin = await raw(h.url, { headers: { ...JSON_HEADERS, origin: 'https://evil.example.com' }, body: initBody });
    expect(badOrigin.status).toBe(403);
    const okOrigin = await raw(h.url, { headers: { ...JSON_HEADERS, origin: 'http://localhost:3000' }, body: initBody });
    expect(okOrigin.status).toBe(200);
  });

  it('answers a body over the limit with 413', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(1024 * 1024 + 10) } });
    const r = await raw(h.url, { headers: JSON_HEADERS, body: big });
    expect(r.status).toBe(413);
  });

  it('answers invalid JSON with a parse error', async () => {
    const r = await raw(h.url, { headers: JSON_HEADERS, body: '{nope' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.code).toBe(-32700);
  });

  it('serves /healthz and 404 elsewhere', async () => {
    const base = h.url.replace(/\/mcp$/, '');
    expect((await raw(`${base}/healthz`, { method: 'GET' })).status).toBe(200);
    expect((await raw(`${base}/other`, { method: 'GET' })).status).toBe(404);
  });
});

describe('HTTP exposure rules', () => {
  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('refuses to bind a non-loopback host without a token', async () => {
    expect(() => checkHttpConfig('0.0.0.0', undefined)).toThrow(/CELIGO_MANAGE_HTTP_TOKEN/);
    await expect(startHttp({ factory: factory(), host: '0.0.0.0', port: 0 })).rejects.toThrow(/CELIGO_MANAGE_HTTP_TOKEN/);
  });

  it('with a token, every /mcp request needs the bearer', async () => {
    const token = 'test-bearer-token-0123456789abcdef';
    // No lock-out here (baseMs 0): this is about the check itself; http-auth.test.ts slows failures.
    const h = await startHttp({ factory: factory(), host: '0.0.0.0', port: 0, bearerToken: token, authThrottle: { baseMs: 0 } });
    try {
      const url = `http://127.0.0.1:${h.port}/mcp`;
      const none = await raw(url, { headers: JSON_HEADERS, body: initBody });
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
      const wrong = await raw(url, { headers: { ...JSON_HEADERS, authorization: 'Bearer nope' }, body: initBody });
      expect(wrong.status).toBe(401);
      const c = await connectHttp(url, { era: 'modern', headers: { authorization: `Bearer ${token}` } });
      try {
        expect(textOf(await c.client.callTool({ name: 'echo', arguments: { message: 'authed' } }))).toBe('authed');
      } finally {
        await c.close();
      }
    } finally {
      await h.close();
    }
  });
});
