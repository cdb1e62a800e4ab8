import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { healthCheck, type HealthReport } from '../../src/ops/health.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

describe('healthCheck on the demo account', () => {
  let env: Env;
  let r: HealthReport;
  let logged: { method: string; path: string }[];
  beforeAll(async () => {
    env = await demoEnv();
    env.emu.clearRequestLog();
    r = await healthCheck(env.ctx, {});
    logged = env.emu.requestLog();
  });
  afterAll(() => env.close());

  it('gives the seeded verdicts: one failing, one degraded, the rest healthy', () => {
    const verdict = Object.fromEntries(r.integrations.map((i) => [i.name, i.verdict]));
    expect(verdict[DEMO.failingIntegration]).toBe('failing');
    expect(verdict[DEMO.degradedIntegration]).toBe('degraded');
    for (const name of Object.values(DEMO.integrations)) {
      if (name !== DEMO.failingIntegration && name !== DEMO.degradedIntegration) expect(verdict[name], name).toBe('healthy');
    }
    expect(r.verdicts).toMatchObject({ failing: 1, degraded: 1 });
    expect(r.integrations[0].name).toBe(DEMO.failingIntegration);
    expect(r.summary).toMatch(/^7 integrations: 1 failing \(Salesforce - NetSuite Customers\), 1 degraded \(HTTP Webhooks - Zendesk to Salesforce\), 5 healthy; standalone flows healthy\./);
  });

  it('explains the verdicts: the broken connection, the failed runs, the rising errors', () => {
    const sf = r.integrations.find((i) => i.name === DEMO.failingIntegration)!;
    expect(sf.jobs.failed).toBeGreaterThan(0);
    expect(sf.successRate).toBeLessThan(0.5);
    expect(sf.errorTrend).toBe('up');
    expect(sf.reasons.join(' ')).toContain('connection down: Salesforce - Integration User');
    const zd = r.integrations.find((i) => i.name === DEMO.degradedIntegration)!;
    expect(zd.jobs.failed).toBe(0);
    expect(zd.jobs.withErrors).toBeGreaterThan(0);
    expect(zd.openErrors).toBeGreaterThan(100);
    expect(zd.flows.find((f) => f.name === DEMO.mappingEditedFlow)?.verdict).toBe('degraded');
    expect(r.failedJobs.length).toBe(sf.jobs.failed);
    expect(r.failedJobs.every((j) => j.integrationId === sf.integrationId)).toBe(true);
  });

  it('tests the connections of failing flows and of critical integrations, and finds the broken one', () => {
    const down = r.connections.filter((c) => !c.ok).map((c) => c.name);
    expect(down).toEqual(['Salesforce - Integration User']);
    const shopify = r.connections.find((c) => c.name === 'Shopify - acme-store');
    expect(shopify?.reasons).toContain('integration tagged critical');
    expect(r.integrations.find((i) => i.name === DEMO.integrations.shopify)?.tag).toBe('critical');
    expect(r.integrations.find((i) => i.name === DEMO.integrations.zendesk)).not.toHaveProperty('tag');
    expect(shopify?.ok).toBe(true);
  });

  it('lists the scheduled flows that are disabled', () => {
    expect(r.scheduleIssues.filter((s) => s.issue === 'disabled').map((s) => s.name).sort()).toEqual(
      ['Salesforce Lead Status to HubSpot', 'Shopify Refunds to NetSuite Credit Memos', 'Warehouse Receipts from 3PL SFTP'],
    );
    expect(r.scheduleIssues.filter((s) => s.issue === 'not run')).toEqual([]);
  });

  it('reports daily success-rate and run-time series per integration for charts', () => {
    expect(r.series.days).toHaveLength(9);
    for (const s of r.series.integrations) {
      for (const k of ['jobs', 'failed', 'successRate', 'p50Ms', 'p95Ms', 'errors'] as const) expect(s[k]).toHaveLength(9);
    }
    const sf = r.series.integrations.find((s) => s.name === DEMO.failingIntegration)!;
    expect(sf.successRate.at(-1)).toBeLessThan(0.5);
    expect(sf.successRate[3]).toBe(1);
    expect(sf.p50Ms.some((v) => v !== null && v > 0)).toBe(true);
    const healthy = r.series.integrations.find((s) => s.name === DEMO.integrations.shopify)!;
    expect(healthy.failed.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('uses the bulk endpoints: no per-flow calls, and a small fixed number of requests', () => {
    expect(r.requests).toBe(logged.length);
    const perFlow = logged.filter((l) => /^\/v1\/flows\/[0-9a-f]{24}/.test(l.path) || /_flowId=/.test(l.path));
    expect(perFlow).toEqual([]);
    // Two time slices (the last day, the days before it), each answered in one page on this account.
    const jobs = logged.filter((l) => l.path.startsWith('/v1/jobs'));
    expect(jobs).toHaveLength(2);
    const summaries = logged.filter((l) => /^\/v1\/integrations\/[0-9a-f]{24}\/errors/.test(l.path));
    expect(summaries).toHaveLength(0);
    const pings = logged.filter((l) => /\/ping$/.test(l.path));
    expect(pings).toHaveLength(r.connections.length);
    // integrations (each with its tag) + flows + 2 job slices + exports + imports + connections = 7, plus the connection tests.
    expect(r.requests).toBe(7 + pings.length);
    expect(logged.filter((l) => l.path.startsWith('/v1/state') || l.path.startsWith('/v1/tags'))).toEqual([]);
  });

  it('takes other windows', async () => {
    const week = await healthCheck(env.ctx, { range: 'last 7 days' });
    expect(week.window.label).toBe('last 7 days');
    const zd = week.integrations.find((i) => i.name === DEMO.degradedIntegration)!;
    expect(zd.jobs.total).toBeGreaterThan(r.integrations.find((i) => i.name === DEMO.degradedIntegration)!.jobs.total);
  });
});

describe('healthCheck reads which connection each export and import uses alongside the jobs', () => {
  const failThatRead = { errorRate: 1, statuses: [403], match: '^GET /v1/(exports|imports)' };

  it('is not failed by that read when no connection needs testing', async () => {
    const env = await demoEnv({ seed: 'empty' });
    try {
      env.emu.setFaults(failThatRead);
      const r = await healthCheck(env.ctx, {});
      expect(r.connections).toEqual([]);
      expect(r.verdicts).toEqual({ healthy: 0, degraded: 0, failing: 0 });
    } finally {
      await env.close();
    }
  });

  it('fails as before when connections need testing and that read failed', async () => {
    const env = await demoEnv();
    try {
      env.emu.setFaults(failThatRead);
      await expect(healthCheck(env.ctx, {})).rejects.toMatchObject({ status: 403 });
    } finally {
      await env.close();
    }
  });

  it('asks only for the fields it uses', async () => {
    const env = await demoEnv();
    try {
      await healthCheck(env.ctx, {});
      const reads = env.emu.requestLog().filter((l) => /^\/v1\/(exports|imports)\b/.test(l.path));
      expect(reads.length).toBeGreaterThan(0);
      for (const l of reads) expect(new URL(l.path, 'http://x').searchParams.get('include')).toBe('name,_connectionId');
    } finally {
      await env.close();
    }
  });
});

describe('healthCheck and the multi-value filter form (celigo-api.md W1)', () => {
  it('asks for flow, retry and bulk_retry jobs as a bracket array, and the old comma form would see no runs at all', async () => {
    const env = await demoEnv();
    try {
      env.emu.clearRequestLog();
      const good = await healthCheck(env.ctx, {});
      const jobsRead = env.emu.requestLog().find((l) => l.path.startsWith('/v1/jobs'))!;
      expect(decodeURIComponent(jobsRead.path)).toContain('type_in[0]=flow&type_in[1]=retry&type_in[2]=bulk_retry');
      expect(good.verdicts).toMatchObject({ failing: 1, degraded: 1 });
      // The belief this replaces: the same check with the filter comma-joined, as a real qs parser reads it.
      const { CeligoClient } = await import('../../src/core/client.js');
      const { DEMO_TOKEN } = await import('../../src/emulator/index.js');
      const commas: typeof fetch = (url, init) => {
        const u = new URL(String(url));
        const types = [...u.searchParams].filter(([k]) => k.startsWith('type_in[')).map(([, v]) => v);
        for (const k of [...u.searchParams.keys()].filter((x) => x.startsWith('type_in['))) u.searchParams.delete(k);
        if (types.length) u.searchParams.set('type_in', types.join(','));
        return env.emu.fetch(u.href, init as never) as never;
      };
      const old = new CeligoClient({ baseUrl: env.emu.baseUrl, token: DEMO_TOKEN, fetch: commas as never, backoffMs: 1, sleep: async () => {} });
      const wrong = await healthCheck({ ...env.ctx, api: old }, {});
      expect(wrong.integrations.every((i) => i.jobs.total === 0)).toBe(true);
    } finally {
      await env.close();
    }
  });
});
