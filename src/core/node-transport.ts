// The client's default transport: node:http and node:https with keep-alive agents, behind the FetchLike
// interface the client uses (http.ts). The global fetch did the same job, but Node's fetch (undici) loads
// about 30 MB of code and state on its first call and leaves tens of kilobytes of WHATWG objects (Request,
// Response, Headers, streams, their promises) behind every request: on a large account's health check,
// 1,200 requests of it were a fifth of the peak memory and its job pages were read 15% slower
// (docs/benchmarks.md, section latency; docs/decisions.md). What fetch did for us is kept: compressed
// answers are asked for and decoded (gzip, deflate, br), the abort signal ends the request and its body,
// and the body is a stream of bytes read as it arrives. Redirects are not followed: integrator.io's API
// answers where it is asked, and a redirect followed with the token would send it to wherever it points.
// Tests, the in-process emulator and the benchmarks' timing still pass their own fetch.
import http from 'node:http';
import https from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { FetchLike, HeadersLike, ResponseLike } from './http.js';
import { proxyFor } from './proxy-env.js';

/** One pool of kept-alive sockets per protocol for the process, as fetch keeps one (the request budget bounds how many are in use). */
let agents: { http: http.Agent; https: https.Agent } | undefined;
const agentsOnce = () => (agents ??= { http: new http.Agent({ keepAlive: true, scheduling: 'lifo' }), https: new https.Agent({ keepAlive: true, scheduling: 'lifo' }) });

const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/** Headers of an answer as fetch's Headers reads them: any case, several values joined by ", ". */
function headersOf(res: http.IncomingMessage): HeadersLike {
  return {
    get(name) {
      const v = res.headers[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    },
  };
}

/** The answer's bytes as they arrive, decoded when it came compressed; an encoding not asked for is passed on as is. */
function bodyOf(res: http.IncomingMessage): Readable {
  const make = DECODERS[(res.headers['content-encoding'] ?? '').trim().toLowerCase()];
  if (!make) return res;
  // A failure on either side (the connection dropped, bytes that do not decode) ends the stream read with it.
  return pipeline(res, make(), () => {}) as unknown as Readable;
}

async function textOf(body: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(chunk as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  // As fetch's text(): a byte order mark is not part of the text.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A FetchLike over node:http(s). */
export const nodeTransport: FetchLike = async (url, init) => {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  // Through the environment's proxy when it names one for this URL (core/proxy-env.ts); its agents are
  // loaded only then.
  const proxy = proxyFor(u);
  const agent = proxy ? (await import('./proxy-agents.js')).proxyAgent(proxy, secure) : secure ? agentsOnce().https : agentsOnce().http;
  return new Promise<ResponseLike>((resolve, reject) => {
    if (!secure && u.protocol !== 'http:') return reject(new TypeError(`Cannot send a request to ${u.protocol} URLs`));
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...init.headers };
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
    const options = { method: init.method, headers, agent, signal: init.signal };
    const req = (secure ? https : http).request(u, options, (res) => {
      // Until the client reads the body, an error on it (the connection reset) is kept for that read, not thrown at the process.
      res.on('error', () => {});
      const status = res.statusCode ?? 0;
      // No body to read: the socket goes back to the pool at once.
      if (status === 204 || status === 304) res.resume();
      const body = bodyOf(res);
      resolve({ status, headers: headersOf(res), body, text: () => textOf(body) });
    });
    // Before the answer: the request fails. After it: its body's read fails (above); nothing is left unheard.
    req.on('error', reject);
    req.end(init.body);
  });
};
