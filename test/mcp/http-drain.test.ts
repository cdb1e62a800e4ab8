// A stopped HTTP server (SIGTERM: a rolling upgrade) lets the calls in progress finish before it closes,
// takes no new connection meanwhile, and waits no longer than it was told.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttp, type HttpHandle } from '../../src/mcp/http.js';
import { DEFAULT_DRAIN_SECONDS, drainMsOf } from '../../src/mcp/main.js';
import { connectHttp, factory, seen, textOf } from '../helpers/mcp.js';

/** Whether a new connection to the server is taken (GET /healthz). */
function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const req = request({ host: u.hostname, port: u.port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function started(before: number): Promise<void> {
  while (seen.started === before) await new Promise((r) => setTimeout(r, 10));
}

describe('HTTP drain', () => {
  let h: HttpHandle | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('waits for a call in progress, which finishes with its result, and takes no new connection meanwhile', async () => {
    h = await startHttp({ factory: factory(), port: 0 });
    const c = await connectHttp(h.url, { era: 'modern' });
    const before = seen.started;
    // 'slow' ends by itself after 5 s.
    const call = c.client.callTool({ name: 'slow', arguments: { steps: 1 } }, { timeout: 20_000 });
    await started(before);
    const t0 = Date.now();
    const closing = h.close(15_000);
    expect(await reachable(h.url)).toBe(false);
    expect(textOf(await call)).toBe('finished');
    await closing;
    expect(Date.now() - t0).toBeGreaterThan(3_000);
    h = undefined;
    await c.close().catch(() => {});
  }, 30_000);

  it('stops waiting when the drain time is up, or at once when hurried', async () => {
    h = await startHttp({ factory: factory(), port: 0 });
    const c = await connectHttp(h.url, { era: 'modern' });
    const before = seen.started;
    const call = c.client.callTool({ name: 'slow', arguments: { steps: 1 } }, { timeout: 20_000 }).then(() => 'answered', () => 'cut');
    await started(before);
    const t0 = Date.now();
    await h.close(300);
    expect(Date.now() - t0).toBeLessThan(2_500);
    expect(await call).toBe('cut');
    h = undefined;

    const h2 = await startHttp({ factory: factory(), port: 0 });
    const c2 = await connectHttp(h2.url, { era: 'modern' });
    const before2 = seen.started;
    const call2 = c2.client.callTool({ name: 'slow', arguments: { steps: 1 } }, { timeout: 20_000 }).catch(() => undefined);
    await started(before2);
    const t1 = Date.now();
    const closing = h2.close(60_000);
    h2.hurry();
    await closing;
    expect(Date.now() - t1).toBeLessThan(2_500);
    await call2;
    await Promise.all([c.close().catch(() => {}), c2.close().catch(() => {})]);
  }, 30_000);

  it('reads the drain time from CELIGO_MANAGE_HTTP_DRAIN_SECONDS, and refuses a value that is not whole seconds', () => {
    expect(drainMsOf({})).toBe(DEFAULT_DRAIN_SECONDS * 1000);
    expect(drainMsOf({ CELIGO_MANAGE_HTTP_DRAIN_SECONDS: ' ' })).toBe(DEFAULT_DRAIN_SECONDS * 1000);
    expect(drainMsOf({ CELIGO_MANAGE_HTTP_DRAIN_SECONDS: '0' })).toBe(0);
    expect(drainMsOf({ CELIGO_MANAGE_HTTP_DRAIN_SECONDS: '40' })).toBe(40_000);
    for (const bad of ['-1', '2.5', '10s', 'soon']) expect(() => drainMsOf({ CELIGO_MANAGE_HTTP_DRAIN_SECONDS: bad })).toThrow(/whole number of seconds/);
  });
});
