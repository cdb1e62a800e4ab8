// A small HTTP proxy for the team-server tests (issue 18): each request goes to the next upstream in turn
// (round robin, so consecutive calls of one client alternate between replicas); an upstream that refuses
// the connection or drops it before answering is skipped and the request goes to the next one, as a load
// balancer's health checking would. Answers (JSON or an SSE stream) are piped back as they come.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestProxy {
  url: string;
  /** Requests each upstream answered. */
  served: number[];
  /** Requests sent to an upstream that failed and went to the next one. */
  failovers: number;
  close(): Promise<void>;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

export async function startProxy(upstreams: string[]): Promise<TestProxy> {
  const targets = upstreams.map((u) => new URL(u));
  const served = targets.map(() => 0);
  let next = 0;
  let failovers = 0;
  const server: Server = createServer(async (req, res) => {
    const body = await readAll(req).catch(() => undefined);
    if (!body) return void res.destroy();
    const first = next++ % targets.length;
    const tryAt = (k: number): void => {
      const i = (first + k) % targets.length;
      const t = targets[i]!;
      const headers = { ...req.headers, host: t.host };
      const out = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers }, (up) => {
        served[i]!++;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on('error', () => res.destroy());
      });
      out.on('error', () => {
        if (res.headersSent) return void res.destroy();
        if (k + 1 < targets.length) {
          failovers++;
          return tryAt(k + 1);
        }
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'no upstream answered' }));
      });
      out.end(body);
    };
    tryAt(0);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    get failovers() {
      return failovers;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
