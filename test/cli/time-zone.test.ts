// Issue 13 item 11 at the front ends: time phrases are read in the person's time zone (TZ, else the
// profile's timeZone, else the system's), the zone is shown with the range, and the end sent to the API is
// a millisecond before the range's (excluded) end.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { CeligoClient } from '../../src/core/client.js';
import { run, tempHome } from '../helpers/cli.js';
import { connectInMemory } from '../helpers/mcp.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 'demo', quiet: true });
});
afterAll(async () => {
  await emu?.close();
});

/** Yesterday in Tokyo (UTC+9, no daylight saving) as the API is asked for it. */
function tokyoYesterday(): { gte: string; lte: string } {
  const nowTokyo = new Date(Date.now() + 9 * 3_600_000);
  const startToday = Date.UTC(nowTokyo.getUTCFullYear(), nowTokyo.getUTCMonth(), nowTokyo.getUTCDate()) - 9 * 3_600_000;
  return { gte: new Date(startToday - 86_400_000).toISOString(), lte: new Date(startToday - 1).toISOString() };
}

function jobQueries(): URLSearchParams[] {
  return emu.requestLog().filter((l) => l.method === 'GET' && l.path.startsWith('/v1/jobs?')).map((l) => new URL(l.path, 'http://x').searchParams);
}

describe('time phrases in the person\'s time zone', () => {
  it('TZ decides "yesterday"; the end sent is a millisecond before the next day', async () => {
    emu.clearRequestLog();
    const r = await run(['jobs', 'list', '--range', 'yesterday', '--json', 'id'], { env: { CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN, TZ: 'Asia/Tokyo' } });
    expect(r.code, r.stderr).toBe(0);
    const q = jobQueries()[0]!;
    const want = tokyoYesterday();
    expect([q.get('createdAt_gte'), q.get('createdAt_lte')]).toEqual([want.gte, want.lte]);
  });

  it('a profile\'s time zone applies when TZ is not set, and the health window says which zone', async () => {
    const home = tempHome();
    writeFileSync(join(home, 'profiles.json'), JSON.stringify({ current: 'jp', profiles: { jp: { baseUrl: emu.baseUrl, tokenEnv: 'JP_TOKEN', timeZone: 'Asia/Tokyo' } } }));
    const r = await run(['health', '--range', 'yesterday', '--no-connections', '--json', 'window,summary'], { env: { CELIGO_MANAGE_HOME: home, JP_TOKEN: DEMO_TOKEN } });
    expect(r.code, r.stderr).toBeLessThanOrEqual(1);
    const out = JSON.parse(r.stdout);
    const want = tokyoYesterday();
    expect(out.window).toEqual({ from: want.gte, to: new Date(Date.parse(want.lte) + 1).toISOString(), label: 'yesterday', timeZone: 'Asia/Tokyo' });
    expect(out.summary).toMatch(/ in yesterday \(Asia\/Tokyo\)/);
    // TZ, from the environment, comes before the profile.
    const utc = await run(['health', '--range', 'yesterday', '--no-connections', '--json', 'window'], { env: { CELIGO_MANAGE_HOME: home, JP_TOKEN: DEMO_TOKEN, TZ: 'UTC' } });
    expect(JSON.parse(utc.stdout).window.timeZone).toBe('UTC');
  });

  it('profiles add --time-zone takes an IANA name and refuses others', async () => {
    const home = tempHome();
    const ok = await run(['profiles', 'add', 'eu', '--region', 'eu', '--time-zone', 'Europe/Paris', '--json', 'timeZone'], { env: { CELIGO_MANAGE_HOME: home } });
    expect([ok.code, JSON.parse(ok.stdout)]).toEqual([0, { timeZone: 'Europe/Paris' }]);
    const bad = await run(['profiles', 'add', 'mars', '--time-zone', 'Mars/Olympus'], { env: { CELIGO_MANAGE_HOME: home } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/timeZone: must be an IANA time zone such as Europe\/Paris/);
  });

  it('over MCP too: the server\'s zone reads the range, and the result names it', async () => {
    const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN });
    const conn = await connectInMemory({ era: 'legacy', server: { api, tools: catalogue(), timeZone: 'Asia/Tokyo' } });
    try {
      emu.clearRequestLog();
      const r = await conn.client.callTool({ name: 'list_jobs', arguments: { range: 'yesterday' } });
      expect(r.isError).toBeFalsy();
      const q = jobQueries()[0]!;
      expect(q.get('createdAt_gte')).toBe(tokyoYesterday().gte);
      const health = await conn.client.callTool({ name: 'daily_health_check', arguments: { range: 'yesterday', testConnections: false } });
      expect(JSON.stringify(health.content)).toContain('Health over yesterday in Asia/Tokyo');
    } finally {
      await conn.close();
    }
  });
});
