// The client's default transport (core/node-transport.ts) against a real HTTP server on loopback: what
// fetch did for the client still holds (compressed answers decoded, headers read in any case, the body a
// stream of bytes as they arrive, aborts end the request and its body), sockets are kept alive and reused,
// and a redirect is handed back, never followed with the token.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/core/http.js';
import { nodeTransport } from '../../src/core/node-transport.js';

let server: http.Server;
let base: string;
const seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let connections = 0;
/** Lets the server's slow answer finish. */
let release: () => void = () => {};

const rows = Array.from({ length: 3000 }, (_, i) => ({ _id: `r${i}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(), type: 'flow', status: 'completed' }));

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    seen.push({ method: req.method, url: req.url, headers: req.headers, body });
    const path = new URL(req.url!, 'http://x').pathname;
    const json = JSON.stringify(rows);
    if (path === '/gzip') return res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(zlib.gzipSync(json));
    if (path === '/deflate') return res.writeHead(200, { 'content-encoding': 'deflate' }).end(zlib.deflateSync(json));
    if (path === '/br') return res.writeHead(200, { 'content-encoding': 'br' }).end(zlib.brotliCompressSync(json, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }));
    if (path === '/bad-gzip') return res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all');
    if (path === '/bom') return res.writeHead(200, { 'content-type': 'application/json' }).end('\uFEFF{"a":1}');
    if (path === '/empty') return res.writeHead(204).end();
    if (path === '/signed-moved') return res.writeHead(307, { location: '/signed?X-Amz-Signature=abc' }).end();
    if (path === '/signed') return res.writeHead(200, { 'content-type': 'text/csv' }).end('a,b\n1,2\n');
    if (path === '/moved') return res.writeHead(302, { location: 'http://elsewhere.example/steal' }).end();
    if (path === '/cookies') return res.writeHead(200, { 'set-cookie': ['a=1', 'b=2'], 'X-Mixed-Case': 'yes' }).end('ok');
    if (path === '/slow') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[{"_id":"first","createdAt":"2026-01-01T00:00:00.000Z"}');
      await new Promise<void>((r) => (release = r));
      return res.end(',{"_id":"second","createdAt":"2026-01-01T00:00:00.000Z"}]');
    }
    if (path === '/reset') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[{"_id":"first"}');
      return setTimeout(() => res.socket?.destroy(), 20);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(json);
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  release();
  server.closeAllConnections();
  server.close();
});

const get = (path: string, init: Partial<Parameters<typeof nodeTransport>[1]> = {}) => nodeTransport(base + path, { method: 'GET', headers: {}, ...init });

describe('node transport', () => {
  it('reads an answer as fetch did: status, headers in any case, several values joined, the text', async () => {
    const r = await get('/cookies');
    expect(r.status).toBe(200);
    expect(r.headers.get('Set-Cookie')).toBe('a=1, b=2');
    expect(r.headers.get('x-mixed-case')).toBe('yes');
    expect(r.headers.get('nope')).toBeNull();
    expect(await r.text()).toBe('ok');
  });

  it.each(['/gzip', '/deflate', '/br', '/plain'])('asks for compressed answers and decodes %s, as text and as a stream', async (path) => {
    const r = await get(path, { headers: { authorization: 'Bearer t' } });
    expect(seen.at(-1)!.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer t');
    expect(JSON.parse(await r.text())).toEqual(rows);
    const s = await get(path);
    const parts: Buffer[] = [];
    for await (const c of s.body as AsyncIterable<Buffer>) parts.push(c);
    expect(JSON.parse(Buffer.concat(parts).toString('utf8'))).toHaveLength(3000);
  });

  it('a body that does not decode is an error of its read, never a silent empty text', async () => {
    const r = await get('/bad-gzip');
    await expect(r.text()).rejects.toThrow();
  });

  it('sends a body with its length, drops a byte order mark, and reads a 204 as empty', async () => {
    const posted = await nodeTransport(base + '/post', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Zoë"}' });
    await posted.text();
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"name":"Zoë"}' });
    expect(seen.at(-1)!.headers['content-length']).toBe(String(Buffer.byteLength('{"name":"Zoë"}')));
    expect(await (await get('/bom')).text()).toBe('{"a":1}');
    const empty = await get('/empty');
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it('keeps sockets alive: requests one after another share one connection', async () => {
    await (await get('/plain')).text();
    const before = connections;
    for (let i = 0; i < 6; i++) {
      const r = await get(i % 2 ? '/empty' : '/gzip');
      // As the client does: a 204's body is never read.
      if (r.status !== 204) await r.text();
    }
    expect(connections).toBe(before);
  });

  it('hands a redirect back without following it (the token would go with it)', async () => {
    const count = seen.length;
    const r = await get('/moved', { headers: { authorization: 'Bearer secret' } });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('http://elsewhere.example/steal');
    await r.text();
    expect(seen.length).toBe(count + 1);
  });

  it('hands the body over as it arrives, and an abort ends its read', async () => {
    const ac = new AbortController();
    const r = await get('/slow', { signal: ac.signal });
    const it = (r.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    const first = await it.next();
    expect(String(first.value)).toContain('first');
    ac.abort();
    await expect(it.next()).rejects.toThrow();
    release();
  });

  it('an abort before the answer rejects; a refused connection and a reset part way are errors', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(get('/plain', { signal: ac.signal })).rejects.toThrow(/abort/i);
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await expect(nodeTransport(`http://127.0.0.1:${port}/`, { method: 'GET', headers: {} })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect((await get('/reset')).text()).rejects.toThrow();
    await expect(nodeTransport('ftp://127.0.0.1/x', { method: 'GET', headers: {} })).rejects.toThrow(/ftp:/);
  });

  it('is the client default: rows of a compressed answer stream through HttpClient.rows', async () => {
    const http = new HttpClient({ baseUrl: base + '/v1', token: 't' });
    const got: string[] = [];
    const { count } = await http.rows('/gzip', { endpoint: 'GET /gzip', row: (v) => void got.push((v as { _id: string })._id) });
    expect(count).toBe(3000);
    expect(got.slice(0, 2)).toEqual(['r0', 'r1']);
    const { body } = await http.request<unknown[]>('GET', '/br');
    expect(body).toHaveLength(3000);
  });

  it('a signed download (no token) follows its redirects', async () => {
    const http = new HttpClient({ baseUrl: base + '/v1', token: 'secret-token' });
    const r = await http.download(base + '/signed-moved');
    expect(r).toEqual({ status: 200, text: 'a,b\n1,2\n', contentType: 'text/csv' });
    expect(seen.slice(-2).map((x) => x.url)).toEqual(['/signed-moved', '/signed?X-Amz-Signature=abc']);
    expect(seen.slice(-2).every((x) => x.headers.authorization === undefined)).toBe(true);
  });

  it('a redirect from the API is an error that says so and names where it points, never an answer', async () => {
    const http = new HttpClient({ baseUrl: base, token: 'secret-token' });
    const count = seen.length;
    const err = await http.request('GET', '/moved').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 302, code: 'redirect' });
    expect((err as Error).message).toMatch(/answered 302, a redirect to http:\/\/elsewhere\.example; celigo-manage follows none/);
    expect((err as Error).message).not.toContain('secret-token');
    const rowsErr = await http.rows('/moved', { endpoint: 'GET /moved', row: () => {} }).catch((e: unknown) => e);
    expect(rowsErr).toMatchObject({ status: 302, code: 'redirect' });
    // Asked once each (a redirect is not retried), and nothing went to where it points.
    expect(seen.length).toBe(count + 2);
  });
});
