// The API reached through the proxy the environment names (core/proxy-env.ts, core/proxy-agents.ts): an
// http URL is sent to the proxy, an https one tunnelled through CONNECT with TLS end to end (the proxy
// never sees the token); NO_PROXY hosts and this machine itself are reached directly; a proxy that wants
// credentials, or that is down, is an error that says so without showing the proxy's password. The hosts
// *.test are names only the test proxy knows: it sends them to the emulator or the TLS server here.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { CeligoApiError } from '../../src/core/errors.js';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

interface Seen {
  forwarded: string[];
  connects: string[];
  auth: (string | undefined)[];
  tokens: (string | undefined)[];
}

/** A forward proxy: absolute-URI requests are sent on, CONNECT is tunnelled; with `password`, anything else gets 407. */
async function startProxy(password?: string) {
  const seen: Seen = { forwarded: [], connects: [], auth: [], tokens: [] };
  const allowed = (h: string | undefined) => !password || h === `Basic ${Buffer.from(`me:${password}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    seen.auth.push(req.headers['proxy-authorization']);
    seen.tokens.push(req.headers.authorization);
    if (!allowed(req.headers['proxy-authorization'])) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="corp"' }).end();
      return;
    }
    seen.forwarded.push(`${req.method} ${req.url}`);
    const to = new URL(req.url!);
    const up = http.request({ host: '127.0.0.1', port: to.port, path: to.pathname + to.search, method: req.method, headers: { ...req.headers, host: to.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  server.on('connect', (req, socket, head) => {
    seen.connects.push(req.url!);
    seen.auth.push(req.headers['proxy-authorization']);
    if (!allowed(req.headers['proxy-authorization'])) {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const port = req.url!.split(':')[1];
    const up = net.connect(Number(port), '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return { seen, port, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const client = (baseUrl: string) => new CeligoClient({ baseUrl, token: DEMO_TOKEN, maxRetries: 0 });
/** The emulator under a name only the proxy resolves. */
const viaName = (emu: RunningEmulator) => emu.baseUrl.replace('127.0.0.1', 'emulator.test');

describe('the API through a proxy', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
  });
  afterAll(() => emu.close());
  afterEach(() => vi.unstubAllEnvs());

  it('sends an http URL to HTTP_PROXY, with its credentials, and answers as without it', async () => {
    const proxy = await startProxy('s3cret!');
    try {
      vi.stubEnv('HTTP_PROXY', `http://me:${encodeURIComponent('s3cret!')}@127.0.0.1:${proxy.port}`);
      vi.stubEnv('NO_PROXY', '');
      const rows = await client(viaName(emu)).integrations.list();
      expect(rows.length).toBeGreaterThan(0);
      expect(proxy.seen.forwarded.some((l) => l.startsWith(`GET ${viaName(emu)}/integrations`))).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('reaches a NO_PROXY host, and this machine, directly', { timeout: 30_000 }, async () => {
    const proxy = await startProxy();
    try {
      vi.stubEnv('HTTP_PROXY', `http://127.0.0.1:${proxy.port}`);
      vi.stubEnv('NO_PROXY', 'emulator.test');
      // Not through the proxy: so the name is looked up here, where it means nothing.
      const err = (await client(viaName(emu)).integrations.list().catch((e: unknown) => e)) as CeligoApiError;
      expect(err.code).toBe('network_error');
      expect(err.message).not.toMatch(/through the proxy/);
      vi.stubEnv('NO_PROXY', '');
      for (const base of [emu.baseUrl, emu.baseUrl.replace('127.0.0.1', 'localhost')]) expect((await client(base).integrations.list()).length).toBeGreaterThan(0);
      expect(proxy.seen.forwarded).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('tunnels an https URL through CONNECT: TLS runs end to end (the proxy sees the host, never the token)', async () => {
    const tls = { key: readFileSync('test/fixtures/tls/localhost.key'), cert: readFileSync('test/fixtures/tls/localhost.crt') };
    const target = https.createServer(tls, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
    target.listen(0, '127.0.0.1');
    await once(target, 'listening');
    const proxy = await startProxy();
    try {
      vi.stubEnv('HTTPS_PROXY', `http://127.0.0.1:${proxy.port}`);
      vi.stubEnv('NO_PROXY', '');
      const port = (target.address() as AddressInfo).port;
      // The test server's certificate is its own: the client, which checks it as any, refuses it, which
      // shows the TLS handshake was made with the server through the tunnel, not with the proxy.
      const err = await client(`https://api.example.test:${port}/v1`).integrations.list().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CeligoApiError);
      expect((err as CeligoApiError).message).toMatch(/self[- ]signed|certificate/i);
      expect(proxy.seen.connects).toEqual([`api.example.test:${port}`]);
      expect(proxy.seen.tokens).toEqual([]);
    } finally {
      await proxy.close();
      target.closeAllConnections();
      target.close();
    }
  });

  it('refuses a proxy that is not a URL before any request, saying what to give', () => {
    vi.stubEnv('HTTPS_PROXY', 'not a url');
    vi.stubEnv('NO_PROXY', '');
    expect(() => client('https://api.integrator.io/v1')).toThrow(/HTTPS_PROXY \(or HTTP_PROXY\) is not a URL: give the proxy as http:\/\/host:port/);
    // Not for this machine (never proxied), nor for a client given its own transport.
    expect(() => client(emu.baseUrl)).not.toThrow();
    expect(() => new CeligoClient({ baseUrl: 'https://api.integrator.io/v1', token: DEMO_TOKEN, fetch: (async () => new Response('[]')) as never })).not.toThrow();
  });

  it('says a proxy wants credentials (407), and names a proxy that is down without its password', async () => {
    const proxy = await startProxy('right');
    try {
      vi.stubEnv('HTTP_PROXY', `http://127.0.0.1:${proxy.port}`);
      vi.stubEnv('NO_PROXY', '');
      const err = (await client(viaName(emu)).integrations.list().catch((e: unknown) => e)) as CeligoApiError;
      expect(err).toBeInstanceOf(CeligoApiError);
      expect(err.code).toBe('proxy_auth');
      expect(err.message).toMatch(/asked for credentials .*HTTPS_PROXY/);
    } finally {
      await proxy.close();
    }
    // Nothing listens there any more.
    vi.stubEnv('HTTP_PROXY', `http://me:hunter2pass@127.0.0.1:${proxy.port}`);
    const down = (await client(viaName(emu)).integrations.list().catch((e: unknown) => e)) as CeligoApiError;
    expect(down.code).toBe('network_error');
    expect(down.message).toContain(`through the proxy http://127.0.0.1:${proxy.port}`);
    expect(JSON.stringify({ message: down.message, fix: (down as { fix?: string }).fix })).not.toMatch(/hunter2pass/);
  });
});
