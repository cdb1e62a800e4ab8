// Issue 18: two replicas of `celigo-manage mcp --http` on one account, sharing its rate through Redis. /healthz
// says which bucket each keeps to: the shared one ('ok'), or its fallback share while Redis does not answer
// ('degraded', still 200). Closing a replica closes its Redis connection; the token reaches no log line.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMcp, type RunningMcp } from '../../src/mcp/main.js';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { connectHttp, textOf } from '../helpers/mcp.js';
import { describeWithRedis, startRedis, type RedisServer } from '../helpers/redis.js';

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CELIGO_')) env[k] = v;
  return { ...env, CELIGO_MANAGE_HOME: mkdtempSync(join(tmpdir(), 'cm-rate-')), ...extra };
}

async function healthz(mcp: RunningMcp): Promise<{ status: number; body: Record<string, any> }> {
  const r = await fetch(mcp.url!.replace(/\/mcp$/, '/healthz'));
  return { status: r.status, body: (await r.json()) as Record<string, any> };
}

async function until(what: string, check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('/healthz without a rate gate', () => {
  it('says ok and that there is no gate', async () => {
    const mcp = await runMcp({ http: true, port: 0, demo: true, env: cleanEnv(), log: () => {} });
    try {
      expect(await healthz(mcp)).toEqual({ status: 200, body: { status: 'ok', rate: { mode: 'off' } } });
    } finally {
      await mcp.close();
    }
  });

  it('with a rate and no Redis: a local gate', async () => {
    const mcp = await runMcp({ http: true, port: 0, demo: true, env: cleanEnv({ CELIGO_MANAGE_RATE_PER_SECOND: '50' }), log: () => {} });
    try {
      expect((await healthz(mcp)).body).toEqual({ status: 'ok', rate: { mode: 'local', perSecond: 50, burst: 50 } });
    } finally {
      await mcp.close();
    }
  });
});

describeWithRedis('/healthz of replicas sharing the rate through Redis', () => {
  let redis: RedisServer;
  let emu: RunningEmulator;
  beforeAll(async () => {
    redis = await startRedis();
    emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
  });
  afterAll(async () => {
    await emu?.close();
    await redis?.stop();
  });

  it('redis, then degraded on the fallback while Redis is down, then redis again; closed with the server', async () => {
    const logs: string[] = [];
    const env = cleanEnv({ CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN, CELIGO_MANAGE_REDIS_URL: redis.url, CELIGO_MANAGE_RATE_PER_SECOND: '20', CELIGO_MANAGE_REPLICAS: '2' });
    const replicas = [await runMcp({ http: true, port: 0, env, log: (l) => logs.push(l) }), await runMcp({ http: true, port: 0, env, log: (l) => logs.push(l) })];
    const spy = new Redis(redis.url);
    spy.on('error', () => {}); // it is killed below, as the replicas' connections are
    try {
      for (const mcp of replicas) {
        expect(await healthz(mcp)).toMatchObject({ status: 200, body: { status: 'ok', rate: { mode: 'redis', perSecond: 20, burst: 20 } } });
        const c = await connectHttp(mcp.url!, { era: 'modern' });
        try {
          const r = await c.client.callTool({ name: 'list_integrations', arguments: {} });
          expect(r.isError, textOf(r)).toBeFalsy();
        } finally {
          await c.close();
        }
      }
      expect((await spy.client('LIST')) as string).toMatch(/name=celigo-manage-rate/);

      await redis.kill();
      await until('degraded', async () => (await healthz(replicas[0]!)).body.status === 'degraded');
      const { status, body } = await healthz(replicas[0]!);
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/Redis does not answer/), rate: { mode: 'fallback', perSecond: 20, share: 0.5, localPerSecond: 10 } });
      // Calls go on meanwhile, at this replica's share.
      const c = await connectHttp(replicas[1]!.url!, { era: 'modern' });
      try {
        const r = await c.client.callTool({ name: 'list_integrations', arguments: {} });
        expect(r.isError, textOf(r)).toBeFalsy();
      } finally {
        await c.close();
      }

      await redis.restart();
      await spy.ping().catch(() => {});
      for (const mcp of replicas) await until('redis again', async () => (await healthz(mcp)).body.rate.mode === 'redis');
      expect((await healthz(replicas[1]!)).body.status).toBe('ok');
    } finally {
      await Promise.all(replicas.map((m) => m.close()));
    }
    await until('connections closed', async () => !/name=celigo-manage-rate/.test((await spy.client('LIST').catch(() => '')) as string));
    spy.disconnect();
    const all = logs.join('\n');
    expect(all).toMatch(/rate gate: using the shared bucket in Redis/);
    expect(all).toMatch(/does not answer/);
    expect(all).not.toContain(DEMO_TOKEN);
  });
});
