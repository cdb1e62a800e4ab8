// Every result of daily_health_check and troubleshoot fits a model's context (design.md §3): its text, next
// steps included, plus its structured part as JSON, at most 25,000 characters: end to end over MCP on the
// large seed, and through the operations' own presenters on a synthetic account ten times larger. Paging
// reaches every row exactly once; a bad filter is a clear error; next steps name real tools with real
// arguments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalogue } from '../../src/operations/catalogue.js';
import { healthModelOutput } from '../../src/operations/health.js';
import { healthForModel, type HealthFocus } from '../../src/operations/health-model.js';
import { operationMap } from '../../src/operations/index.js';
import { nextForModel } from '../../src/operations/next.js';
import { nextOf } from '../../src/operations/outcome.js';
import { selectTools } from '../../src/operations/select.js';
import { troubleshootModelOutput } from '../../src/operations/troubleshoot.js';
import { nextAfterHealth } from '../../src/ops/health-assemble.js';
import { encodeCursor } from '../../src/ops/project.js';
import type { HealthReport } from '../../src/ops/health-report.js';
import type { TroubleshootReport } from '../../src/ops/troubleshoot-report.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';
import { connectInMemory, textOf } from '../helpers/mcp.js';
import { syntheticHealthReport, syntheticTroubleshootReport } from '../helpers/synthetic-account.js';

const LIMIT = 25_000;
const ops = operationMap();
const healthOp = ops.get('daily_health_check')!;
const troubleshootOp = ops.get('troubleshoot')!;
const healthShape = z.strictObject(healthModelOutput);
const troubleshootShape = z.strictObject(troubleshootModelOutput);

interface Shown {
  text: string;
  structured?: Record<string, unknown>;
  isError?: boolean;
}
const sizeOf = (r: Shown) => r.text.length + (r.structured ? JSON.stringify(r.structured).length : 0);

/**
 * The tool calls a result's text suggests ("- op {args}: why" next steps, "op {args} lists …" hints): each
 * names an operation, its arguments pass the operation's own schema, and a retry or clear names a scope.
 */
function expectRealCalls(text: string): number {
  const calls = [...text.matchAll(/^- ([a-z_]+)( \{.*?\})?: /gm), ...text.matchAll(/\b([a-z]+_[a-z_]+) (\{[^{}]*\}) lists\b/g)];
  for (const [, name, args] of calls) {
    const op = ops.get(name);
    expect(op, `${name} is an operation`).toBeDefined();
    const parsed = args ? (JSON.parse(args) as Record<string, unknown>) : {};
    expect(z.strictObject(op!.input).safeParse(parsed).success, `${name} ${args}`).toBe(true);
    if (name === 'retry_failed_jobs' || name === 'clear_errors') expect(parsed.integration ?? parsed.flow ?? parsed.scope, `${name} names a scope`).toBeDefined();
  }
  return calls.length;
}

describe('on the large seed, over MCP', () => {
  let env: Env;
  let conn: Awaited<ReturnType<typeof connectInMemory>>;
  const call = async (name: string, args: Record<string, unknown>): Promise<Shown> => {
    const r = await conn.client.callTool({ name, arguments: args });
    return { text: textOf(r), structured: r.structuredContent as Record<string, unknown> | undefined, isError: !!r.isError };
  };

  beforeAll(async () => {
    env = await demoEnv({ seed: 'large' });
    conn = await connectInMemory({ era: 'legacy', server: { api: env.api, tools: selectTools(catalogue(), { toolsets: ['all'] }), home: env.home, now: () => new Date(env.clock.now()) } });
  }, 120_000);
  afterAll(async () => {
    await conn?.close();
    await env?.close();
  });

  it.each([{}, { verdict: 'failing' }, { verdict: 'degraded' }, { verdict: 'healthy' }, { integration: 'NetSuite - Salesforce Orders #1' }, { integration: 'SFTP - Amazon S3 Shipments #117', verdict: 'failing' }])(
    'daily_health_check %j fits, with the shape of healthModelOutput',
    async (args) => {
      const r = await call('daily_health_check', args);
      expect(r.isError).toBe(false);
      expect(sizeOf(r)).toBeLessThanOrEqual(LIMIT);
      const m = healthShape.parse(r.structured);
      expect(m.counts).toMatchObject({ integrations: 220, failing: 10, degraded: 210, healthy: 0 });
      expect(JSON.stringify(r.structured)).not.toContain('"series"');
      if (args.integration) {
        expect(m.paged).toBe('flows');
        expect(m.integrations.map((i) => i.name)).toEqual([args.integration]);
        expect(r.text).toContain(`Integration ${JSON.stringify(args.integration)}`);
      } else {
        expect(m.total).toBe(args.verdict ? m.counts[args.verdict as 'failing'] : 220);
        expect(m.integrations.every((i) => !args.verdict || i.verdict === args.verdict)).toBe(true);
      }
      // The text has the structured part's rows.
      for (const row of [...m.integrations, ...(m.flows ?? [])]) expect(r.text).toContain(row.name);
      expectRealCalls(r.text);
    },
    60_000,
  );

  it('names the worst integrations first and says how many more there are and how to get them', async () => {
    const r = await call('daily_health_check', {});
    const m = healthShape.parse(r.structured);
    expect(m.integrations.slice(0, 10).map((i) => i.verdict)).toEqual(Array(10).fill('failing'));
    expect(m.integrations[10].verdict).toBe('degraded');
    expect(r.text).toContain(`Showing ${m.integrations.length} of 220 integrations (worst first); pass cursor "${m.nextCursor}" for more, or verdict/integration to narrow.`);
    expect(r.text).toMatch(/Failed runs, newest \(5 of \d+; list_jobs \{"status":"failed","range":"last 24 hours"\} lists them all\)/);
    expect(r.text).toContain('retry_failed_jobs {"range":"last 24 hours","scope":"account"}');
    expect(expectRealCalls(r.text)).toBeGreaterThanOrEqual(4);
  });

  it('pages through every integration exactly once with the cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await call('daily_health_check', { verdict: 'degraded', ...(cursor ? { cursor } : {}) });
      expect(sizeOf(r)).toBeLessThanOrEqual(LIMIT);
      const m = healthShape.parse(r.structured);
      seen.push(...m.integrations.map((i) => i.integrationId));
      cursor = m.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toHaveLength(210);
    expect(new Set(seen).size).toBe(210);
  }, 120_000);

  it.each([
    [{ verdict: 'broken' }, /verdict.*(failing|degraded|healthy)/is],
    [{ integration: 'No such integration anywhere' }, /No integration named "No such integration anywhere"; the list of integrations shows/],
    [{ integration: 'NetSuite - Salesforce' }, /matches \d+ integrations: .*Give the id or the exact name/],
    [{ cursor: 'not-a-cursor' }, /Invalid cursor: pass back the nextCursor/],
    [{ integration: 'Standalone flows' }, /This account has no standalone flows/],
  ])('daily_health_check %j is a clear error', async (args, message) => {
    const r = await call('daily_health_check', args);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(message);
  });

  it.each([{ integration: 'NetSuite - Salesforce Orders #1' }, { integration: 'SFTP - Amazon S3 Shipments #117' }, { flow: 'NetSuite Orders to Salesforce 1.1' }, { integration: 'NetSuite - Salesforce Orders #1', pattern: 'LastName' }])(
    'troubleshoot %j fits, with the shape of troubleshootModelOutput',
    async (args) => {
      const r = await call('troubleshoot', args);
      expect(r.isError).toBe(false);
      expect(sizeOf(r)).toBeLessThanOrEqual(LIMIT);
      const m = troubleshootShape.parse(r.structured);
      for (const p of m.patterns) expect(r.text).toContain(p.pattern);
      if (args.pattern) expect(m.patterns.every((p) => /LastName/.test(p.pattern))).toBe(true);
      expectRealCalls(r.text);
    },
    60_000,
  );

  it('troubleshoot has no account-wide form: {} is a clear error pointing at the health check', async () => {
    const r = await call('troubleshoot', {});
    expect(r.isError).toBe(true);
    expect(r.text).toContain('Troubleshoot one thing: a job, a flow or an integration');
    expect(r.text).toContain('daily_health_check');
    expect(sizeOf(r)).toBeLessThanOrEqual(LIMIT);
  });

  it.each([[{ pattern: '/(a+)+/' }, /nests quantifiers/], [{ cursor: '%%%' }, /Invalid cursor/]])('troubleshoot %j is a clear error', async (args, message) => {
    const r = await call('troubleshoot', { integration: 'NetSuite - Salesforce Orders #1', ...args });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(message);
  });
});

describe('on a synthetic account ten times the large seed, through the presenters', () => {
  let report: HealthReport;
  let trouble: TroubleshootReport;
  /** What the MCP tool returns for a result (tool.ts): forModel's text with the next steps, and its structured part. */
  const asTool = (op: typeof healthOp, result: unknown, input: Record<string, unknown>): Shown => {
    const shown = op.forModel(result, input as never);
    const next = nextForModel(nextOf(op, result));
    return { text: next.length ? `${shown.text}\nNext:\n${next.join('\n')}` : shown.text, structured: shown.structured };
  };
  /** As asTool with the health operation, without rendering its page each time (the wiring is checked once below). */
  const health = (input: Record<string, unknown>, focus?: HealthFocus): Shown => {
    const shown = healthForModel(report, input, focus);
    const next = nextForModel(nextAfterHealth(report, focus));
    return { text: next.length ? `${shown.text}\nNext:\n${next.join('\n')}` : shown.text, structured: shown.structured };
  };

  beforeAll(() => {
    report = syntheticHealthReport();
    trouble = syntheticTroubleshootReport();
  }, 60_000);

  it('is ten times the large seed', () => {
    expect(report.integrations.length).toBe(2_201);
    expect(report.integrations.reduce((n, i) => n + i.jobs.total, 0)).toBeGreaterThan(250_000);
    expect(report.connections.filter((c) => !c.ok)).toHaveLength(40);
    expect(report.scheduleIssues.length).toBeGreaterThan(2_000);
    expect(trouble.totalErrors).toBe(40_000);
    expect(trouble.errorGroups).toHaveLength(3_000);
  });

  it('the operation shows the model what healthForModel writes, with the page for Apps', () => {
    const viaOp = asTool(healthOp, { ...report, next: nextAfterHealth(report) }, { verdict: 'failing' });
    expect(viaOp).toEqual(health({ verdict: 'failing' }));
    expect(healthOp.forModel({ ...report, next: [] }, {} as never).appHtml).toMatch(/^<!doctype html>/i);
  });

  it.each([{}, { verdict: 'failing' }, { verdict: 'degraded' }, { verdict: 'healthy' }])('daily_health_check %j fits', (input) => {
    const r = health(input);
    expect(sizeOf(r)).toBeLessThanOrEqual(LIMIT);
    const m = healthShape.parse(r.structured);
    expect(m.integrations.length).toBeGreaterThanOrEqual(15);
    expect(m.total).toBe(input.verdict ? report.verdicts[input.verdict as 'failing'] : 2_201);
    expect(m.connectionsDown).toMatchObject({ total: 40 });
    expect(m.connectionsDown.rows).toHaveLength(5);
    expectRealCalls(r.text);
  });

  it('one integration with 400 flows fits, and its flows page exactly once each', () => {
    const giant = report.integrations.find((i) => i.flows.length === 400)!;
    const focus = { integrationId: giant.integrationId, name: giant.name };
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const r = health({ integration: giant.name, ...(cursor ? { cursor } : {}) }, focus);
      expect(sizeOf(r)).toBeLessThanOrEqual(LIMIT);
      const m = healthShape.parse(r.structured);
      seen.push(...m.flows!.map((f) => f.flowId));
      cursor = m.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(400);
    expect(seen).toHaveLength(400);
  });

  it('the standalone flows are one more row, and have a detail of their own without next steps', () => {
    const m = healthShape.parse(health({ verdict: 'degraded' }).structured);
    expect(m.counts).toMatchObject({ integrations: 2_200, standaloneFlows: 'degraded' });
    const r = health({ integration: 'Standalone flows' }, { integrationId: '', name: 'Standalone flows' });
    const one = healthShape.parse(r.structured);
    expect(one).toMatchObject({ paged: 'flows', total: 60, filter: { integration: '' } });
    expect(r.text).toContain('Integration "Standalone flows": degraded.');
    expect(r.text).not.toContain('Next:');
  });

  it('every integration is reached exactly once with the cursor', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const m = healthShape.parse(health(cursor ? { cursor } : {}).structured);
      seen.push(...m.integrations.map((i) => i.integrationId));
      cursor = m.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(2_201);
    expect(new Set(seen).size).toBe(2_201);
  });

  it.each([{}, { pattern: 'fieldb' }, { pattern: '/REQUIRED|DUP_RCRD/' }, { cursor: encodeCursor(2_990) }])('troubleshoot %j fits', (input) => {
    const r = asTool(troubleshootOp, trouble, input);
    expect(sizeOf(r)).toBeLessThanOrEqual(LIMIT);
    const m = troubleshootShape.parse(r.structured);
    expect(m.patterns.length).toBeGreaterThanOrEqual(5);
    expect(m.counts.openErrors).toBe(40_000);
    expectRealCalls(r.text);
  });

  it('troubleshoot pages through every error pattern exactly once', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const m = troubleshootShape.parse(troubleshootOp.forModel(trouble, (cursor ? { cursor } : {}) as never).structured);
      seen.push(...m.patterns.map((p) => `${p.flowId}|${p.stepId}|${p.pattern}`));
      cursor = m.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(trouble.errorGroups.length);
    expect(new Set(seen).size).toBe(trouble.errorGroups.length);
  });
});
