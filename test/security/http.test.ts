// The HTTP server as `celigo-manage mcp --http` starts it (runMcp): Host and Origin checks against DNS
// rebinding, a bearer token required off loopback (CELIGO_MANAGE_HTTP_TOKEN), 401 for a wrong one,
// 413 over the body limit; and none of those answers or logs repeat a secret.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { DEFAULT_MAX_BODY_BYTES } from '../../src/mcp/http.js';
import { runMcp, type RunningMcp } from '../../src/mcp/main.js';
import { connectHttp, textOf } from '../helpers/mcp.js';
import { cleanEnv, tempDir, tokenIn } from '../fuzz/helpers.js';

const BEARER = 'http-bearer-7d41c0a9e3b2f5a86c1d0e9f';
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'sec', version: '1' } } });

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request with full control of Host and of how the body is sent (chunked when no length is given). */
function raw(port: number, o: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[]; noHost?: boolean } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: o.path ?? '/mcp', method: o.method ?? 'POST', headers: o.headers, setHost: !o.noHost && o.headers?.host === undefined }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    // The server may answer 413 and close before the whole body is written.
    req.on('error', (err) => (/EPIPE|ECONNRESET/.test(String(err)) ? undefined : reject(err)));
    if (o.chunks) for (const c of o.chunks) req.write(c);
    else if (o.body) req.write(o.body);
    req.end();
  });
}

function portOf(m: RunningMcp): number {
  return Number(new URL(m.url!).port);
}

describe('loopback server (runMcp --http --demo)', () => {
  let mcp: RunningMcp;
  let port: number;
  const logs: string[] = [];

  beforeAll(async () => {
    mcp = await runMcp({ http: true, port: 0, demo: true, env: cleanEnv({ CELIGO_MANAGE_HOME: tempDir('cm-sec-http-') }), log: (l) => logs.push(l) });
    port = portOf(mcp);
  });
  afterAll(() => mcp?.close());

  it.each([
    ['a rebinding name', 'evil.example.com'],
    ['a rebinding name with our port', `attacker.test:${0}`],
    ['a look-alike of localhost', 'localhost.evil.example'],
    ['127.0.0.1 as a subdomain', '127.0.0.1.nip.io'],
    ['an empty Host', ''],
  ])('refuses %s in Host with 403', async (_what, host) => {
    const r = await raw(port, { headers: { ...JSON_HEADERS, host: host.replace(':0', `:${port}`) }, body: INIT });
    expect(r.status).toBe(403);
  });

  it('refuses a request without a Host header (Node answers HTTP/1.1 without Host with 400)', async () => {
    const r = await raw(port, { headers: JSON_HEADERS, body: INIT, noHost: true });
    expect([400, 403]).toContain(r.status);
  });

  it.each(['localhost', '127.0.0.1', '[::1]'])('accepts Host %s (with the port)', async (name) => {
    const r = await raw(port, { headers: { ...JSON_HEADERS, host: `${name}:${port}` }, body: INIT });
    expect(r.status).toBe(200);
  });

  it.each(['https://evil.example.com', 'http://localhost.evil.example', 'http://127.0.0.1.nip.io:8765', 'null', 'file://'])('refuses Origin %s with 403', async (origin) => {
    const r = await raw(port, { headers: { ...JSON_HEADERS, origin }, body: INIT });
    expect(r.status, r.body).toBe(403);
  });

  it.each(['http://localhost:3000', 'http://127.0.0.1:6274', 'http://[::1]:8080'])('accepts a loopback Origin %s', async (origin) => {
    const r = await raw(port, { headers: { ...JSON_HEADERS, origin }, body: INIT });
    expect(r.status).toBe(200);
  });

  it('answers a body over the limit with 413, declared or streamed', async () => {
    const big = Buffer.alloc(DEFAULT_MAX_BODY_BYTES + 10, 'x');
    const declared = await raw(port, { headers: { ...JSON_HEADERS, 'content-length': String(big.length) }, body: big });
    expect(declared.status).toBe(413);
    const chunked = await raw(port, { headers: JSON_HEADERS, chunks: [big.subarray(0, 600_000), big.subarray(600_000)] });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe(-32600);
    // Still serving.
    const c = await connectHttp(mcp.url!, { era: 'modern' });
    expect((await c.client.listTools()).tools.length).toBeGreaterThan(0);
    await c.close();
  });

  it('refuses methods other than POST, GET and DELETE with 405', async () => {
    for (const method of ['PUT', 'PATCH']) {
      const r = await raw(port, { method, headers: JSON_HEADERS, body: INIT });
      expect(r.status, method).toBe(405);
    }
  });

  it('never logs the demo token', () => {
    for (const l of logs) expect(tokenIn(l, DEMO_TOKEN), l).toBeUndefined();
  });
});

describe('exposed server: bearer token required off loopback', () => {
  it('refuses to start on 0.0.0.0 without CELIGO_MANAGE_HTTP_TOKEN', async () => {
    await expect(runMcp({ http: true, host: '0.0.0.0', port: 0, demo: true, env: cleanEnv({ CELIGO_MANAGE_HOME: tempDir('cm-sec-http-') }), log: () => {} })).rejects.toThrow(
      /CELIGO_MANAGE_HTTP_TOKEN/,
    );
  });

  describe('with CELIGO_MANAGE_HTTP_TOKEN set', () => {
    let mcp: RunningMcp;
    let port: number;
    const logs: string[] = [];

    beforeAll(async () => {
      const env = cleanEnv({ CELIGO_MANAGE_HOME: tempDir('cm-sec-http-'), CELIGO_MANAGE_HTTP_TOKEN: BEARER });
      // No lock-out in this block (it sends many wrong tokens in a row); the next block is about it.
      mcp = await runMcp({ http: true, host: '0.0.0.0', port: 0, demo: true, env, log: (l) => logs.push(l), httpTuning: { authThrottle: { baseMs: 0 } } });
      port = portOf(mcp);
    });
    afterAll(() => mcp?.close());

    it.each([
      ['no Authorization', {}],
      ['a wrong bearer', { authorization: 'Bearer wrong-token' }],
      ['the bearer as Basic', { authorization: `Basic ${Buffer.from(`u:${BEARER}`).toString('base64')}` }],
      ['a prefix of the bearer', { authorization: `Bearer ${BEARER.slice(0, -1)}` }],
      ['the bearer plus junk', { authorization: `Bearer ${BEARER}x` }],
      ['the bearer in another header', { 'x-api-key': BEARER }],
    ])('answers %s with 401, without echoing anything', async (_what, auth) => {
      const r = await raw(port, { headers: { ...JSON_HEADERS, ...auth }, body: INIT });
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(tokenIn(r.body, BEARER)).toBeUndefined();
      expect(r.body).not.toContain('wrong-token');
    });

    it('does not take the bearer from the query string', async () => {
      const r = await raw(port, { path: `/mcp?token=${BEARER}&access_token=${BEARER}`, headers: JSON_HEADERS, body: INIT });
      expect(r.status).toBe(401);
    });

    it('serves a client with the right bearer, on both revisions', async () => {
      for (const era of ['modern', 'legacy'] as const) {
        const c = await connectHttp(`http://127.0.0.1:${port}/mcp`, { era, headers: { authorization: `Bearer ${BEARER}` } });
        try {
          const r = await c.client.callTool({ name: 'list_tags', arguments: {} });
          expect(r.isError, textOf(r)).toBeFalsy();
        } finally {
          await c.close();
        }
      }
    });

    it('still checks Origin for an authorised request', async () => {
      const r = await raw(port, { headers: { ...JSON_HEADERS, authorization: `Bearer ${BEARER}`, origin: 'https://evil.example.com' }, body: INIT });
      expect(r.status).toBe(403);
    });

    it('never logs the bearer or the API token', () => {
      for (const l of logs) {
        expect(tokenIn(l, BEARER), l).toBeUndefined();
        expect(tokenIn(l, DEMO_TOKEN), l).toBeUndefined();
      }
    });
  });

  it('checks Host when CELIGO_MANAGE_HTTP_ALLOWED_HOSTS names the public name', async () => {
    const env = cleanEnv({ CELIGO_MANAGE_HOME: tempDir('cm-sec-http-'), CELIGO_MANAGE_HTTP_TOKEN: BEARER, CELIGO_MANAGE_HTTP_ALLOWED_HOSTS: 'mcp.example.com' });
    const mcp = await runMcp({ http: true, host: '0.0.0.0', port: 0, demo: true, env, log: () => {} });
    try {
      const port = portOf(mcp);
      const auth = { authorization: `Bearer ${BEARER}` };
      expect((await raw(port, { headers: { ...JSON_HEADERS, ...auth, host: 'evil.example.com' }, body: INIT })).status).toBe(403);
      expect((await raw(port, { headers: { ...JSON_HEADERS, ...auth, host: `mcp.example.com:${port}` }, body: INIT })).status).toBe(200);
    } finally {
      await mcp.close();
    }
  });
});
