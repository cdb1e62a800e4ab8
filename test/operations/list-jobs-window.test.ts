// list_jobs counts every job of its range (an honest total) but keeps only the newest up to the end of the
// rows it shows: the page of the MCP tool, the CLI's --limit, or a terminal's 50. `jobs list --limit 3` held
// every job of the day (540 MB on the large seed ×10). The rows shown are those of a full read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '../../src/operations/catalogue.js';
import { listJobs } from '../../src/ops/read/jobs.js';
import { run, tempHome } from '../helpers/cli.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';
import { connectInMemory } from '../helpers/mcp.js';
import { DEMO_TOKEN, startEmulator } from '../../src/emulator/index.js';
import type { Conn } from '../helpers/list-pages.js';

describe('list_jobs keeps what it shows', () => {
  let env: Env;
  let conn: Conn;
  let full: { id: string; createdAt?: string }[];

  beforeAll(async () => {
    env = await demoEnv({ seed: 'large' });
    full = (await listJobs(env.ctx, { range: 'last 7 days' })).rows;
    conn = await connectInMemory({ era: 'legacy', server: { api: env.api, tools: catalogue(), home: env.home, now: () => new Date(env.clock.now()) } });
  }, 120_000);
  afterAll(async () => {
    await conn?.close();
    await env?.close();
  });

  // Jobs of one millisecond may come in either order; the set of each millisecond is the same.
  const byTime = (rows: { id: string; createdAt?: string }[]) => rows.map((r) => `${r.createdAt} ${r.id}`).sort();

  it('the newest N of a window, with the total of the whole range', async () => {
    expect(full.length).toBeGreaterThan(25_000);
    for (const shown of [{ offset: 0, count: 3 }, { offset: 40, count: 50 }, { offset: full.length - 2, count: 50 }]) {
      const p = await listJobs(env.ctx, { range: 'last 7 days', shown });
      expect(p.total).toBe(full.length);
      expect(p.rows.length).toBe(Math.min(full.length, shown.offset + shown.count));
      // The kept rows end on the same millisecond as a full read's rows up to there.
      expect(p.rows.at(-1)!.createdAt).toBe(full[p.rows.length - 1]!.createdAt);
      const sameTimes = (rows: typeof full) => byTime(rows.filter((r) => r.createdAt! > p.rows.at(-1)!.createdAt!));
      expect(sameTimes(p.rows)).toEqual(sameTimes(full.slice(0, p.rows.length)));
    }
  });

  it('the MCP tool pages on: each page starts where the last ended and the total is every job', async () => {
    const call = async (args: Record<string, unknown>) => (await conn.client.callTool({ name: 'list_jobs', arguments: { range: 'last 7 days', ...args } }, { timeout: 120_000 })).structuredContent as { total: number; nextCursor?: string; rows: { id: string }[] };
    const first = await call({ limit: 20 });
    expect(first.total).toBe(full.length);
    expect(first.rows).toHaveLength(20);
    const second = await call({ limit: 20, cursor: first.nextCursor });
    expect(second.total).toBe(full.length);
    expect(second.rows.some((r) => first.rows.some((f) => f.id === r.id))).toBe(false);
  });

  it('at a terminal: --limit 3 shows three of the total; a pipe without --limit prints every job', async () => {
    // An emulator on the real clock, as the CLI reads "last 7 days" from now.
    const emu = await startEmulator({ port: 0, seed: 'large', quiet: true, rateLimit: false });
    try {
      const base = { CELIGO_MANAGE_HOME: tempHome(), CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN, NO_COLOR: '1' };
      const tty = await run(['jobs', 'list', '--range', 'last 7 days', '--limit', '3'], { tty: true, env: base });
      expect(tty.code, tty.stderr).toBe(0);
      const total = Number(/^Showing 3 of (\d+) jobs/.exec(tty.stdout)?.[1]);
      const piped = await run(['jobs', 'list', '--range', 'last 7 days', '--json', 'id'], { env: base });
      const all = (JSON.parse(piped.stdout) as unknown[]).length;
      expect(all).toBeGreaterThan(25_000);
      // Runs keep starting on the emulator's schedules between the two commands.
      expect(Math.abs(all - total)).toBeLessThan(100);
    } finally {
      await emu.close();
    }
  }, 60_000);
});
