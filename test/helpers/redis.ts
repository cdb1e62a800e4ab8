// A real redis-server for the rate gate's tests (issue 18): on a free port, no persistence, stopped after the
// test; kill() and restart() for the tests of the fallback. Tests that need it use describeWithRedis: skipped
// where /usr/bin/redis-server is missing, but failing with CELIGO_REQUIRE_SERVICES=1 (CI sets it), so CI can
// never pass by skipping them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { describe } from 'vitest';
import { freePort } from './ports.js';

export const REDIS_SERVER = process.env.CELIGO_REDIS_SERVER ?? '/usr/bin/redis-server';
export const REQUIRE_SERVICES = /^(1|true|yes)$/i.test(process.env.CELIGO_REQUIRE_SERVICES ?? '');
export const hasRedis = existsSync(REDIS_SERVER);

/** describe() for tests that need redis-server: skipped without it unless CELIGO_REQUIRE_SERVICES=1. */
export const describeWithRedis: typeof describe = (hasRedis || REQUIRE_SERVICES ? describe : describe.skip) as typeof describe;

export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL: gone at once, connections dropped (a crash). */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: the connection stays open but nothing answers. */
  pause(): void;
  resume(): void;
  /** A new server on the same port (after kill() or stop()), empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export { freePort };

/** Resolves once the server answers PING with PONG. */
async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      let got = '';
      sock.setTimeout(500, () => (sock.destroy(), resolve(false)));
      sock.on('connect', () => sock.write('PING\r\n'));
      sock.on('data', (d) => {
        got += d.toString();
        if (got.includes('\r\n')) {
          sock.destroy();
          resolve(got.startsWith('+PONG'));
        }
      });
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

export async function startRedis(): Promise<RedisServer> {
  if (!hasRedis) {
    throw new Error(`redis-server not found at ${REDIS_SERVER}, and CELIGO_REQUIRE_SERVICES=1 requires it: install it (apt-get install redis-server) or point CELIGO_REDIS_SERVER at it.`);
  }
  const port = await freePort();
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const spawnServer = async () => {
    const c = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr!.on('data', (d) => (stderr += d.toString()));
    child = c;
    try {
      await waitForPong(port, 10_000);
    } catch (err) {
      c.kill('SIGKILL');
      throw new Error(`${(err as Error).message}: ${stderr.trim()}`, { cause: err });
    }
  };
  const kill = async () => {
    const c = child;
    if (!c) return;
    c.kill('SIGCONT');
    c.kill('SIGKILL');
    await exited(c);
    child = undefined;
  };
  await spawnServer();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    restart: async () => {
      await kill();
      await spawnServer();
    },
    stop: async () => {
      await kill();
      process.off('exit', killOnExit);
    },
  };
}
