// list_integrations counts open errors with one request per integration (celigo-api.md §7.6): on a large
// account it asks for the integrations its result shows, a page at a time, and each shown row's count is
// the one a full read gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '../../src/operations/catalogue.js';
import { listIntegrations } from '../../src/ops/read/integrations.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';
import { connectInMemory } from '../helpers/mcp.js';
import { countedPage, type Conn } from '../helpers/list-pages.js';

describe('list_integrations on the large seed', () => {
  let env: Env;
  let conn: Conn;
  let full: Map<string, number | undefined>;

  beforeAll(async () => {
    env = await demoEnv({ seed: 'large' });
    full = new Map((await listIntegrations(env.ctx)).map((r) => [r.id, r.openErrors]));
    conn = await connectInMemory({ era: 'legacy', server: { api: env.api, tools: catalogue(), home: env.home, now: () => new Date(env.clock.now()) } });
  }, 120_000);
  afterAll(async () => {
    await conn?.close();
    await env?.close();
  });

  const page = (args: Record<string, unknown>) => countedPage(conn, 'list_integrations', args, env.api.integrations, 'errorSummary');

  it('reads the open errors of the page it shows, not of all 220 integrations, and each is what a full read says', async () => {
    expect(full.size).toBe(220);
    const first = await page({});
    expect(first.total).toBe(220);
    expect(first.requests).toBeLessThanOrEqual(50);
    expect(first.rows.length).toBeGreaterThan(0);
    for (const r of first.rows) expect(r.openErrors).toBe(full.get(r.id));
    const second = await page({ cursor: first.nextCursor, limit: 30 });
    expect(second.requests).toBeLessThanOrEqual(30);
    expect(second.rows.length).toBeGreaterThan(0);
    expect(second.rows.some((r) => first.rows.some((f) => f.id === r.id))).toBe(false);
    for (const r of second.rows) expect(r.openErrors).toBe(full.get(r.id));
  });

  it('counts none with errors: false, and every row when the whole list is read (a pipe, --json)', async () => {
    expect((await page({ errors: false })).requests).toBe(0);
    expect([...full.values()].every((n) => typeof n === 'number')).toBe(true);
  });
});
