// The health report and its HTML page, pinned: the JSON of healthCheck on the demo, large and empty seeds
// (and two other inputs on the demo seed), the requests it made, and the HTML of the demo report, each
// compared by SHA-256 with test/ops/__golden__/health.json. Guards refactors that must not change a byte.
// Connection-test latencies are wall time, the one thing that differs between runs: they are masked.
// On a mismatch the actual output is written to test/.artifacts/health-golden/ for diffing;
// UPDATE_HEALTH_GOLDEN=1 rewrites the hashes (only for a change of output that is meant).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { healthCheck, type HealthReport } from '../../src/ops/health.js';
import { DEFAULT_MAX_IN_FLIGHT } from '../../src/core/rate-budget.js';
import { renderHealthHtml } from '../../src/report/health-html.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

const GOLDEN = resolve('test/ops/__golden__/health.json');
const ARTIFACTS = resolve('test/.artifacts/health-golden');
const update = process.env.UPDATE_HEALTH_GOLDEN === '1';
const golden: Record<string, string> = (() => {
  try {
    return JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
})();
const actual: Record<string, string> = {};

function masked(r: HealthReport): string {
  return JSON.stringify(r, (k, v: unknown) => (k === 'latencyMs' ? 0 : v), 1);
}

function check(name: string, text: string): void {
  const hash = createHash('sha256').update(text).digest('hex');
  actual[name] = hash;
  if (update) return;
  if (golden[name] !== hash) {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, name), text);
  }
  expect(hash, `${name} differs from the pinned output; actual written to ${join(ARTIFACTS, name)}`).toBe(golden[name]);
}

/** The env's context with a client that records when each request starts and when its answer arrives. */
function traced(env: Env) {
  const events: { at: 'start' | 'end'; what: string }[] = [];
  const what = (url: string, method?: string) => {
    const path = new URL(url).pathname;
    return method === 'POST' && path.endsWith('/ping') ? 'ping' : path.replace(/^\/v1\//, '');
  };
  const fetch: typeof globalThis.fetch = async (url, init) => {
    const w = what(String(url), init?.method);
    events.push({ at: 'start', what: w });
    try {
      return await globalThis.fetch(url, init);
    } finally {
      events.push({ at: 'end', what: w });
    }
  };
  const api = new CeligoClient({ baseUrl: env.emu.baseUrl, token: DEMO_TOKEN, fetch: fetch as never, backoffMs: 1, sleep: async () => {} });
  return { ctx: { ...env.ctx, api }, events };
}

afterAll(() => {
  if (update) writeFileSync(GOLDEN, JSON.stringify({ ...golden, ...actual }, null, 2) + '\n');
});

describe('the health report is byte for byte the pinned one', () => {
  it.each(['demo', 'large', 'empty'] as const)('on the %s seed', async (seed) => {
    const env = await demoEnv({ seed });
    try {
      const { ctx, events } = traced(env);
      env.emu.clearRequestLog();
      const r = await healthCheck(ctx, {});
      // The reads all start before any answer arrives (the job slices and the reads alongside them).
      const firstEnd = events.findIndex((e) => e.at === 'end');
      expect([...new Set(events.slice(0, firstEnd).map((e) => e.what))].sort()).toEqual(['connections', 'exports', 'flows', 'imports', 'integrations', 'jobs']);
      // A test starts once the lists that say which connection a flow uses are in (issue 14 item 2), all
      // of them at once within the request budget, not ten at a time.
      const lists = ['connections', 'exports', 'flows', 'imports', 'integrations'];
      const lastList = events.reduce((last, e, i) => (e.at === 'end' && lists.includes(e.what) ? i : last), -1);
      const firstPing = events.findIndex((e) => e.what === 'ping');
      if (firstPing >= 0) expect(firstPing).toBeGreaterThan(lastList);
      let inFlight = 0;
      let most = 0;
      for (const e of events) if (e.what === 'ping') most = Math.max(most, (inFlight += e.at === 'start' ? 1 : -1));
      expect(most).toBeLessThanOrEqual(DEFAULT_MAX_IN_FLIGHT);
      if (seed === 'large') expect(most).toBeGreaterThan(10);
      check(`${seed}.json`, masked(r));
      check(`${seed}.requests.txt`, env.emu.requestLog().map((l) => `${l.method} ${l.path}`).sort().join('\n'));
      if (seed !== 'demo') return;
      check('demo.html', renderHealthHtml(r));
      const week = await healthCheck(env.ctx, { range: 'last 7 days' });
      check('demo.7d.json', masked(week));
      const patterns = [{ pattern: 'a <b> & "c"', count: 3, cause: 'cause', flow: 'flow' }, { pattern: 'other', count: 5 }];
      check('demo.7d.html', renderHealthHtml({ ...week, errorPatterns: patterns }, { title: 'Title' }));
      check('demo.noconn.json', masked(await healthCheck(env.ctx, { testConnections: false })));
    } finally {
      await env.close();
    }
  }, 60_000);
});
