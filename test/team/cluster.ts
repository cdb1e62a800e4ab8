// The team server of issue 18, started for real on loopback: a PostgreSQL and a Redis of their own, the
// emulator (a process of its own, so that its arrival log is not delayed by the test's 50 clients), a local
// OAuth issuer with its JWKS, two
// replicas of the BUILT package (`bin/celigo-manage.js mcp --http`, each in its own process with its own
// home folder, so nothing can be shared through a disk), and a proxy that alternates requests between them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { startPostgres, type PgCluster } from '../helpers/postgres.js';
import { freePort, startRedis, type RedisServer } from '../helpers/redis.js';
import { startIssuer, type TestIssuer } from '../helpers/issuer.js';
import { startProxy, type TestProxy } from '../helpers/proxy.js';

const root = join(import.meta.dirname, '..', '..');
export const BIN = join(root, 'bin', 'celigo-manage.js');
/** The resource (and token audience) the replicas serve, as a team would publish it. */
export const AUDIENCE = 'https://celigo-manage.team.test/mcp';

/** The emulator in its own process (`celigo-manage emulator`), read and controlled over HTTP. */
export interface EmulatorProcess {
  url: string;
  baseUrl: string;
  child: ChildProcess;
  /** GET on the API with the account's token. */
  get<T>(path: string): Promise<T>;
  /** When each request since the last clear arrived (epoch ms). */
  arrivals(): Promise<number[]>;
  clearRequestLog(): Promise<void>;
}

async function startEmulatorProcess(seed: string): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [BIN, 'emulator', '--seed', seed, '--port', '0', '--rate-limit', 'off'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start within 30 s: ${out}`)), 30_000);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`emulator exited ${code}: ${out}`))));
    const look = () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve(m[1]!);
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
  });
  const control = (method: string, path: string) => fetch(`${url}/__emulator${path}`, { method });
  return {
    url,
    baseUrl: `${url}/v1`,
    child,
    get: async <T>(path: string) => (await (await fetch(`${url}/v1${path}`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } })).json()) as T,
    arrivals: async () => ((await (await control('GET', '/requests/arrivals')).json()) as { arrivals: number[] }).arrivals,
    clearRequestLog: async () => void (await control('DELETE', '/requests')),
  };
}

export interface Replica {
  url: string;
  child: ChildProcess;
  logs: () => string;
  home: string;
}

export interface Cluster {
  pg: PgCluster;
  redis: RedisServer;
  emu: EmulatorProcess;
  issuer: TestIssuer;
  replicas: Replica[];
  proxy: TestProxy;
  databaseUrl: string;
  /** Requests per second the replicas share (CELIGO_MANAGE_RATE_PER_SECOND), and the burst. */
  rate: { perSecond: number; burst: number };
  stop(): Promise<void>;
}

async function startReplica(env: NodeJS.ProcessEnv): Promise<Replica> {
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'cm-team-replica-'));
  const child = spawn(process.execPath, [BIN, 'mcp', '--http', '--port', String(port)], {
    cwd: root,
    env: { ...env, CELIGO_MANAGE_HOME: home },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let logs = '';
  child.stderr!.on('data', (d) => (logs += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica did not start within 30 s: ${logs}`)), 30_000);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`replica exited ${code}: ${logs}`))));
    child.stderr!.on('data', () => {
      const m = /serving .* on (http:\/\/\S+)\/mcp/.exec(logs);
      if (!m) return;
      clearTimeout(timer);
      resolve(m[1]!);
    });
  });
  return { url, child, logs: () => logs, home };
}

export function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

export async function startCluster(o: { seed?: 'demo' | 'large'; perSecond: number; burst: number }): Promise<Cluster> {
  const [pg, redis, emu] = await Promise.all([startPostgres(), startRedis(), startEmulatorProcess(o.seed ?? 'large')]);
  const issuer = await startIssuer({ audience: AUDIENCE });
  const databaseUrl = await pg.createDatabase('team');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: tmpdir(),
    CELIGO_BASE_URL: emu.baseUrl,
    CELIGO_API_TOKEN: DEMO_TOKEN,
    CELIGO_MANAGE_DATABASE_URL: databaseUrl,
    CELIGO_MANAGE_REDIS_URL: redis.url,
    CELIGO_MANAGE_RATE_PER_SECOND: String(o.perSecond),
    CELIGO_MANAGE_RATE_BURST: String(o.burst),
    CELIGO_MANAGE_REPLICAS: '2',
    CELIGO_MANAGE_OAUTH_ISSUER: issuer.issuer,
    CELIGO_MANAGE_OAUTH_AUDIENCE: AUDIENCE,
  };
  // Both replicas start together: their migrations must not race (an advisory lock orders them).
  const replicas = await Promise.all([startReplica(env), startReplica(env)]);
  const proxy = await startProxy(replicas.map((r) => r.url));
  return {
    pg,
    redis,
    emu,
    issuer,
    replicas,
    proxy,
    databaseUrl,
    rate: { perSecond: o.perSecond, burst: o.burst },
    async stop() {
      await proxy.close().catch(() => {});
      for (const r of replicas) {
        r.child.kill('SIGTERM');
        await exited(r.child);
        rmSync(r.home, { recursive: true, force: true });
      }
      emu.child.kill('SIGTERM');
      await exited(emu.child);
      await Promise.all([issuer.close(), redis.stop(), pg.stop()].map((p) => p.catch(() => {})));
    },
  };
}
