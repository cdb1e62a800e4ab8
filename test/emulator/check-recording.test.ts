// --record and `emulator --check-recording` end to end: a recorded run replays against a fresh emulator
// with no difference; an altered recording names the endpoint that differs; the token never reaches
// the file, whichever front end made it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecording, type RecordedExchange } from '../../src/core/recording.js';
import { checkRecording, endpointOf } from '../../src/emulator/check-recording.js';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runMcp } from '../../src/mcp/main.js';
import { run } from '../helpers/cli.js';
import { connectHttp, textOf } from '../helpers/mcp.js';
import { tokenIn } from '../fuzz/helpers.js';
import { REAL_LOOKING_TOKEN as TOKEN, tokenProxy } from '../helpers/security.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-rec-'));
const file = (name: string) => join(dir, name);

/** The recording with one exchange changed. */
function alter(text: string, pick: (x: RecordedExchange) => boolean, change: (x: RecordedExchange) => void): string {
  const lines = text.trim().split('\n');
  let done = false;
  const out = lines.map((l, i) => {
    if (i === 0 || done) return l;
    const x = JSON.parse(l) as RecordedExchange;
    if (!pick(x)) return l;
    change(x);
    done = true;
    return JSON.stringify(x);
  });
  expect(done, 'the exchange to alter').toBe(true);
  return out.join('\n') + '\n';
}

let health: string;

beforeAll(async () => {
  const r = await run(['--demo', '--record', file('health.jsonl'), 'health']);
  expect(r.code, r.stderr).toBe(0);
  health = readFileSync(file('health.jsonl'), 'utf8');
}, 60_000);

describe('a recorded demo run', () => {
  it('is JSON lines of shapes, with the demo token nowhere', () => {
    const { header, exchanges } = parseRecording(health);
    expect(header.format).toBe('celigo-manage-recording');
    expect(exchanges.length).toBeGreaterThan(5);
    expect(exchanges.map((x) => endpointOf(x.method, x.path))).toEqual(expect.arrayContaining(['GET /integrations', 'GET /flows', 'GET /jobs']));
    expect(tokenIn(health, DEMO_TOKEN)).toBeUndefined();
  });

  it('replays against a fresh emulator with 0 differences', async () => {
    const result = await checkRecording(health);
    expect(result.differences).toEqual([]);
    expect(result.notReplayed).toEqual([]);
    expect(result.replayed).toBe(result.exchanges);
    const cli = await run(['emulator', '--check-recording', file('health.jsonl')]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/: 0 differences/);
  });

  it('names the endpoint when a key of an answer is renamed', async () => {
    const changed = alter(health, (x) => x.path === '/integrations' && x.method === 'GET', (x) => {
      const of = (x.body as { of: Record<string, unknown> }).of;
      of.title = of.name;
      delete of.name;
    });
    writeFileSync(file('renamed.jsonl'), changed);
    const result = await checkRecording(changed);
    expect(result.differences.map((d) => `${d.endpoint}: ${d.difference}`).sort()).toEqual(['GET /integrations: extra key [].name', 'GET /integrations: missing key [].title']);
    const cli = await run(['emulator', '--check-recording', file('renamed.jsonl')], { tty: true, columns: 140 });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/2 differences/);
    expect(cli.stdout).toMatch(/GET \/integrations\s+missing key \[\]\.title/);
  });

  it('names the endpoint when a status differs (204 is not 200 with an empty body)', async () => {
    const changed = alter(health, (x) => x.path === '/flows' && x.method === 'GET', (x) => {
      x.status = 204;
      delete x.body;
    });
    writeFileSync(file('status.jsonl'), changed);
    const cli = await run(['--json', 'emulator', '--check-recording', file('status.jsonl')]);
    expect(cli.code).toBe(1);
    const out = JSON.parse(cli.stdout) as { differences: { endpoint: string; difference: string; count: number; first: number }[] };
    expect(out.differences).toEqual([{ endpoint: 'GET /flows', difference: 'status 204 vs 200', count: 1, first: expect.any(Number) }]);
  });

  it('binds ids from earlier answers, falls back to the first object of the kind, and reports ids it cannot place', async () => {
    const head = health.split('\n')[0];
    const lines = [
      head,
      // <id:900> was never in an answer: the first flow stands in for it.
      JSON.stringify({ n: 1, method: 'GET', path: '/flows/<id:900>', status: 200, body: { _id: '<id:900>', name: '<string>' }, kinds: { '<id:900>': 'flows' } }),
      // The answer above bound nothing new; this one binds <id:901> to a job of the emulator.
      JSON.stringify({ n: 2, method: 'GET', path: '/jobs', query: { type: 'flow', createdAt_gte: '2000-01-01T00:00:00.000Z' }, status: 200, body: { '<array>': 1, of: { _id: '<id:901>' } }, ids: { '<id:901>': [0, '_id'] } }),
      JSON.stringify({ n: 3, method: 'GET', path: '/jobs/<id:901>', status: 200, body: { _id: '<id:901>' } }),
      // An id of no known kind, never seen in an answer.
      JSON.stringify({ n: 4, method: 'GET', path: '/exports/<id:902>/audit', status: 200, body: { '<array>': 0 }, kinds: { '<id:902>': 'unknown' } }),
    ];
    const result = await checkRecording(lines.join('\n') + '\n');
    expect(result.notReplayed).toEqual([{ endpoint: 'GET /exports/:id/audit', difference: 'could not replay: unknown id <id:902>', count: 1, first: 4 }]);
    // Only keys of the answers are compared; the job answer has more keys than the recording named.
    expect(result.differences.every((d) => /extra key/.test(d.difference)), JSON.stringify(result.differences)).toBe(true);
    expect(result.replayed).toBe(3);
  });

  it('refuses a file that is not a recording, and a file it cannot write', async () => {
    writeFileSync(file('junk.jsonl'), '{"a":1}\n');
    const bad = await run(['emulator', '--check-recording', file('junk.jsonl')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not a celigo-manage recording/);
    const nowhere = await run(['--demo', '--record', join(dir, 'no', 'such', 'dir', 'x.jsonl'), 'flows', 'list']);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/Cannot write the recording/);
  });
});

describe('recording with a real token', () => {
  let emu: RunningEmulator;
  let proxy: Awaited<ReturnType<typeof tokenProxy>>;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
    proxy = await tokenProxy(emu.url, TOKEN);
  });
  afterAll(async () => {
    await proxy?.close();
    await emu?.close();
  });

  it('never writes the token, in any form, and the recording still checks clean', async () => {
    const env = { CELIGO_BASE_URL: proxy.baseUrl, CELIGO_API_TOKEN: TOKEN };
    const commands = [
      ['health'],
      ['errors', 'list', '--flow', 'Shopify Customers to NetSuite'],
      ['flows', 'disable', 'Shopify Customers to NetSuite', '--yes'],
      ['connections', 'list'],
    ];
    for (const [i, argv] of commands.entries()) {
      const f = file(`token-${i}.jsonl`);
      // --record before the command name, so the flag's value is not taken for one.
      const r = await run(['--record', f, ...argv], { env });
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
      const text = readFileSync(f, 'utf8');
      expect(tokenIn(text, TOKEN), argv.join(' ')).toBeUndefined();
      expect(text).not.toMatch(/authorization|cookie|Bearer/i);
      expect(parseRecording(text).exchanges.length, argv.join(' ')).toBeGreaterThan(0);
      const check = await checkRecording(text);
      expect(check.differences, argv.join(' ')).toEqual([]);
    }
  }, 60_000);
});

describe('recording the MCP server', () => {
  it('records the API calls of tool calls', async () => {
    const f = file('mcp.jsonl');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, CELIGO_MANAGE_HOME: mkdtempSync(join(tmpdir(), 'cm-rec-mcp-')) };
    const mcp = await runMcp({ http: true, port: 0, demo: true, record: f, env, log: () => {} });
    try {
      const c = await connectHttp(mcp.url!, { era: 'modern' });
      try {
        const r = await c.client.callTool({ name: 'list_integrations', arguments: {} });
        expect(r.isError, textOf(r)).toBeFalsy();
      } finally {
        await c.close();
      }
    } finally {
      await mcp.close();
    }
    const { exchanges } = parseRecording(readFileSync(f, 'utf8'));
    expect(exchanges.map((x) => endpointOf(x.method, x.path))).toContain('GET /integrations');
  });
});

describe('a command that makes no API call', () => {
  it('still leaves a recording, with the header alone', async () => {
    const f = file('none.jsonl');
    const r = await run(['--record', f, 'profiles', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseRecording(readFileSync(f, 'utf8')).exchanges).toEqual([]);
    const check = await run(['emulator', '--check-recording', f]);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/Replayed 0 of 0 .*: 0 differences/);
  });
});

describe('paged lists', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false, pageSize: 5, errorsPageSize: 3 });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('follow the emulator\'s own next pages (Link and nextPageURL), and skip pages its lists do not have', async () => {
    const env = { CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN };
    const f = file('pages.jsonl');
    const r = await run(['--record', f, 'errors', 'list', '--flow', 'Salesforce Opportunities to NetSuite Sales Orders'], { env });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(f, 'utf8');
    const { exchanges } = parseRecording(text);
    expect(exchanges.some((x) => x.headers?.link?.includes('rel="next"'))).toBe(true);
    expect(exchanges.some((x) => x.next)).toBe(true);
    // Same page sizes: every page is replayed, following the emulator's cursors.
    const same = await checkRecording(text, { emulator: { pageSize: 5, errorsPageSize: 3 } });
    expect(same.differences).toEqual([]);
    expect(same.notReplayed).toEqual([]);
    expect(same.replayed).toBe(exchanges.length);
    // Default page sizes: one page holds everything, so the recorded further pages are skipped (their
    // ids then stand for the first object of their kind, whose optional keys may differ: no status does).
    const big = await checkRecording(text);
    expect(big.differences.filter((d) => d.difference.startsWith('status'))).toEqual([]);
    expect(big.notReplayed).toEqual([]);
    expect(big.skipped).toBeGreaterThan(0);
  });
});
