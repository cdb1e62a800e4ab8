// list_flows counts open errors with one request per integration of the flows (and per standalone flow):
// on a large account it asks for those of the rows its result shows, a page at a time, and each shown
// row's count is the one a full read gives. `flows list --limit 3` made 224 requests on the large seed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '../../src/operations/catalogue.js';
import { listFlows } from '../../src/ops/read/flows.js';
import { run } from '../helpers/cli.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';
import { connectInMemory } from '../helpers/mcp.js';
import { countedPage, type Conn } from '../helpers/list-pages.js';
import { DEMO_TOKEN, startEmulator } from '../../src/emulator/index.js';

describe('list_flows on the large seed', () => {
  let env: Env;
  let conn: Conn;
  let full: Map<string, number | undefined>;

  beforeAll(async () => {
    env = await demoEnv({ seed: 'large' });
    full = new Map((await listFlows(env.ctx)).map((r) => [r.id, r.openErrors]));
    conn = await connectInMemory({ era: 'legacy', server: { api: env.api, tools: catalogue(), home: env.home, now: () => new Date(env.clock.now()) } });
  }, 120_000);
  afterAll(async () => {
    await conn?.close();
    await env?.close();
  });

  const page = (args: Record<string, unknown>) => countedPage(conn, 'list_flows', args, env.api.integrations, 'errorSummary');

  it('reads the open errors of the integrations of the page it shows, and each count is what a full read says', async () => {
    expect(full.size).toBe(2200);
    expect([...full.values()].every((n) => typeof n === 'number')).toBe(true);
    const first = await page({});
    expect(first.total).toBe(2200);
    expect(first.rows.length).toBeGreaterThan(0);
    expect(first.requests).toBeLessThanOrEqual(first.rows.length);
    expect(first.requests).toBeLessThan(20);
    for (const r of first.rows) expect(r.openErrors).toBe(full.get(r.id));
    const second = await page({ cursor: first.nextCursor, limit: 30 });
    expect(second.requests).toBeLessThanOrEqual(30);
    expect(second.rows.some((r) => first.rows.some((f) => f.id === r.id))).toBe(false);
    for (const r of second.rows) expect(r.openErrors).toBe(full.get(r.id));
  });

  it('at a terminal: flows list --limit 3 reads the errors of those rows only', async () => {
    const emu = await startEmulator({ port: 0, seed: 'large', quiet: true, rateLimit: false });
    try {
      const r = await run(['flows', 'list', '--limit', '3', '--json', 'id,openErrors'], { env: { CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN } });
      expect(r.code, r.stderr).toBe(0);
      const rows = JSON.parse(r.stdout) as { id: string; openErrors: number }[];
      expect(rows).toHaveLength(3);
      // (This emulator runs on the real clock, so its errors move on; the counts are checked against a full read above.)
      for (const row of rows) expect(row.openErrors).toEqual(expect.any(Number));
      expect(emu.requestLog().filter((e) => /\/errors$/.test(e.path)).length).toBeLessThanOrEqual(3);
    } finally {
      await emu.close();
    }
  }, 60_000);
});
