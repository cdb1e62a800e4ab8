// Issue 12 items 2 and 3 on the large seed (220 integrations, 2,200 flows, ~26,000 jobs, 50,000+ open
// errors): every read tool, at its largest page, and every mutating tool's preview (a production profile
// previews them all) returns at most 25,000 characters of text plus structuredContent; every list tool's
// structuredContent has the list shape (LIST_OUTPUT) with the rows its text shows and an honest total.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalogue } from '../../src/operations/catalogue.js';
import { LIST_OUTPUT } from '../../src/operations/format.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';
import { connectInMemory, textOf } from '../helpers/mcp.js';

const LIMIT = 25_000;
const ALL = catalogue();
const INTEGRATION = 'NetSuite - Salesforce Orders #1';
const LISTS = ['list_integrations', 'list_flows', 'list_connections', 'list_jobs', 'list_errors', 'list_exports', 'list_imports'];

interface Seen {
  name: string;
  args: Record<string, unknown>;
  size: number;
  text: string;
  structured?: Record<string, unknown>;
  isError: boolean;
}

describe('every result fits on the large seed', () => {
  let env: Env;
  let conn: Awaited<ReturnType<typeof connectInMemory>>;
  const seen: Seen[] = [];
  const call = async (name: string, args: Record<string, unknown>): Promise<Seen> => {
    const r = await conn.client.callTool({ name, arguments: args }, { timeout: 300_000 });
    const text = textOf(r);
    const structured = r.structuredContent as Record<string, unknown> | undefined;
    const s = { name, args, text, structured, isError: !!r.isError, size: text.length + (structured ? JSON.stringify(structured).length : 0) };
    seen.push(s);
    return s;
  };
  const firstId = (s: Seen) => ((s.structured?.rows as Record<string, unknown>[] | undefined)?.[0]?.id ?? (s.structured?.rows as Record<string, unknown>[] | undefined)?.[0]?.errorId) as string;

  beforeAll(async () => {
    env = await demoEnv({ seed: 'large' });
    conn = await connectInMemory({
      era: 'legacy',
      server: { api: env.api, tools: ALL, home: env.home, now: () => new Date(env.clock.now()), production: true },
    });
  }, 120_000);
  afterAll(async () => {
    await conn?.close();
    await env?.close();
  });

  it('every read tool at its largest page', async () => {
    // list_errors needs a flow or an integration (an account-wide list is 50,000 rows of reads).
    for (const name of LISTS.filter((n) => n !== 'list_errors')) await call(name, { limit: 500 });
    await call('list_errors', { integration: INTEGRATION, limit: 500 });
    await call('list_jobs', { range: 'last 7 days', limit: 500, status: 'failed' });
    const flows = await call('list_flows', { integration: INTEGRATION, limit: 500 });
    const flow = firstId(flows);
    const jobs = await call('list_jobs', { flow, limit: 500 });
    const exps = await call('list_exports', { integration: INTEGRATION, limit: 500 });
    const imps = await call('list_imports', { integration: INTEGRATION, limit: 500 });
    const conns = await call('list_connections', { limit: 500 });
    await call('get_integration', { integration: INTEGRATION });
    await call('get_flow', { flow });
    await call('get_job', { job: firstId(jobs) });
    await call('get_export', { export: firstId(exps) });
    await call('get_import', { import: firstId(imps) });
    await call('get_connection', { connection: firstId(conns) });
    await call('test_connection', { connection: firstId(conns) });
    await call('list_tags', {});
    await call('get_mapping', { flow });
    await call('check_dependencies', { type: 'connection', id: firstId(conns) });
    await call('list_backups', {});
    await call('list_changes', {});
    // Issue 17 reads: a job's errors, and a lookup cache of 5,000 long values (the large seed has none).
    await call('get_job_errors', { job: firstId(jobs), file: true, limit: 50 });
    const cache = await env.api.lookupCaches.create({ name: 'Large cache' });
    await env.api.lookupCaches.putData(cache._id, Array.from({ length: 5000 }, (_, i) => ({ key: `K-${String(i).padStart(5, '0')}`, value: 'v'.repeat(600) })));
    await call('list_lookup_caches', { limit: 500 });
    await call('get_lookup_cache', { cache: 'Large cache', limit: 500 });
    await call('daily_health_check', {});
    await call('troubleshoot', { integration: INTEGRATION });
    const reads = ALL.filter((t) => t.annotations.readOnlyHint).map((t) => t.name);
    expect(reads.filter((n) => !seen.some((s) => s.name === n))).toEqual(['diff_backup']);
    for (const s of seen) {
      expect(s.isError, `${s.name} ${JSON.stringify(s.args)}: ${s.text.slice(0, 200)}`).toBe(false);
      expect(s.size, `${s.name} ${JSON.stringify(s.args)}`).toBeLessThanOrEqual(LIMIT);
    }
  }, 300_000);

  it('every list tool: structuredContent has the list shape, the rows of the text and an honest total', async () => {
    const shape = z.object(LIST_OUTPUT).loose();
    for (const s of seen.filter((x) => LISTS.includes(x.name))) {
      const m = shape.parse(s.structured);
      const rows = m.rows as Record<string, unknown>[];
      // Each row of the TSV text is a row of the structured part, in order.
      const lines = s.text.split('\n');
      const at = lines.findIndex((l) => l.startsWith('Showing '));
      const end = lines.findIndex((l, i) => i > at && (l === 'Next:' || l === ''));
      expect(lines.slice(at + 2, end < 0 ? undefined : end).length, s.name).toBe(rows.length);
      expect(new RegExp(`Showing ${rows.length} of ${m.total} `).test(s.text), `${s.name}: ${s.text.slice(0, 120)}`).toBe(true);
      expect(m.truncated, s.name).toBe(rows.length < m.total);
      if (m.truncated) expect(s.text).toContain(`cursor "${m.nextCursor}"`);
    }
    // The jobs of the last 24 hours on this seed number in the tens of thousands: the total says so.
    expect(z.object(LIST_OUTPUT).loose().parse(seen.find((s) => s.name === 'list_jobs')!.structured).total).toBeGreaterThan(10_000);
  });

  it('every mutating tool previews within the budget (a production profile asks before each)', async () => {
    const flows = seen.find((s) => s.name === 'list_flows' && s.args.integration)!;
    const flow = firstId(flows);
    const previews: [string, Record<string, unknown>][] = [
      ['retry_failed_jobs', { scope: 'account' }],
      ['retry_failed_jobs', { integration: INTEGRATION }],
      ['clear_errors', { scope: 'account' }],
      ['clear_errors', { integration: INTEGRATION }],
      ['retry_errors', { flow, all: true }],
      ['retry_job', { job: firstId(seen.find((s) => s.name === 'list_jobs' && s.args.status === 'failed')!) }],
      ['update_mapping', { flow, changes: [{ op: 'add', generate: 'memo', extract: 'note' }] }],
      ['update_flow', { flow, enabled: false }],
      ['trigger_flow_run', { flow }],
      ['run_and_monitor', { flow }],
      ['create_integration', { name: 'Large preview' }],
      ['clone_integration', { integration: INTEGRATION, name: 'Large copy' }],
      ['add_tag_to_integration', { integration: INTEGRATION, tag: 'large' }],
      ['setup_integration', { name: 'Large setup', recordType: 'customer', source: { connection: 'NetSuite 1' }, destination: { connection: 'Salesforce 1' } }],
    ];
    for (const [name, args] of previews) {
      const s = await call(name, args);
      expect(s.size, `${name} ${JSON.stringify(args)}`).toBeLessThanOrEqual(LIMIT);
      expect(s.structured?.confirmation_required ?? s.isError, `${name} previews: ${s.text.slice(0, 200)}`).toBeTruthy();
    }
  }, 300_000);
});
