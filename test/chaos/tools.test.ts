// Chaos, part 2: every mutating tool of the catalogue (readOnlyHint false), called through its handler,
// ends in the same state under ~20% injected faults as without them, starts no run or retry twice and
// loses no error. A new mutating tool fails this file until it has a scenario here.
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { CeligoClient } from '../../src/core/client.js';
import { DEMO_TOKEN, startEmulator } from '../../src/emulator/index.js';
import { updateFlow } from '../../src/ops/changes.js';
import { catalogue } from '../../src/operations/catalogue.js';
import type { ToolDef } from '../../src/operations/tool.js';
import { DAY, expectSameOutcome, runPair, type ChaosEnv, type Scenario } from '../helpers/chaos.js';

const SEED = Number(process.env.CHAOS_SEED ?? 2000);

async function jobWithOpenErrors(env: ChaosEnv, flow: string): Promise<string> {
  const f = (await env.admin.flows.list()).find((x) => x.name === flow)!;
  const jobs = await env.admin.jobs.list({ _flowId: f._id, type: 'flow', createdAt_gte: new Date(env.clock.now() - 7 * DAY).toISOString() });
  return jobs.find((j) => (j.numOpenError ?? 0) > 0 && j.status === 'completed')!._id;
}

/** A run of a demo flow, started fault-free and followed until it is running (to be cancelled). */
async function runningJob(env: ChaosEnv): Promise<string> {
  const flow = (await env.admin.flows.list()).find((x) => x.name === 'Shopify Orders to NetSuite Sales Orders')!;
  const { _jobId } = (await env.admin.raw('POST', `/flows/${flow._id}/run`, {})).body as { _jobId: string };
  for (let i = 0; i < 20 && (await env.admin.jobs.get(_jobId)).status !== 'running'; i++) env.clock.advance(100);
  return _jobId;
}

/** Arguments per tool; `prepare` runs fault-free first and may feed the arguments. */
const CALLS: Record<string, { prepare?: (env: ChaosEnv) => Promise<unknown>; args: (prepared: any) => Record<string, unknown> }> = {
  create_integration: { args: () => ({ name: 'Chaos Tool Integration' }) },
  clone_integration: { args: () => ({ integration: DEMO.integrations.s3, name: 'Amazon S3 Archive (copy)' }) },
  update_flow: {
    args: () => ({ flow: DEMO.mappingEditedFlow, name: 'Zendesk Users to Salesforce Contacts v2' }),
  },
  trigger_flow_run: { args: () => ({ flow: 'Salesforce Accounts to NetSuite Customers', wait: true }) },
  create_connection: { args: () => ({ name: 'Chaos HTTP', type: 'http', config: { http: { baseURI: 'https://api.chaos.example', auth: { type: 'basic', basic: { username: 'u', password: 'p' } } } } }) },
  retry_job: { prepare: (env) => jobWithOpenErrors(env, 'Zendesk Tickets to Salesforce Cases'), args: (job) => ({ job }) },
  retry_errors: { args: () => ({ flow: 'Salesforce Opportunities to NetSuite Sales Orders', step: 'Create NetSuite sales orders from opportunities', all: true }) },
  clear_errors: { args: () => ({ integration: DEMO.degradedIntegration, range: 'last 7 days' }) },
  trigger_export: { args: () => ({ export: 'Get Stripe payouts' }) },
  add_tag_to_integration: { args: () => ({ integration: DEMO.integrations.s3, tag: 'archive' }) },
  // The transient errors of two flows (the mapping errors of the integration would fail again: a partial
  // retry, which is an error result by design, test/operations/outcome.test.ts).
  retry_failed_jobs: { args: () => ({ integration: DEMO.degradedIntegration, pattern: '/^(429|503)$/', wait: true }) },
  run_and_monitor: { args: () => ({ export: 'Get Zendesk users' }) },
  update_mapping: { args: () => ({ flow: 'Shopify Orders to NetSuite Sales Orders', changes: [{ op: 'add', generate: 'memo', extract: 'note' }] }) },
  setup_integration: {
    args: () => ({
      name: 'Stripe Customers to Salesforce',
      recordType: 'Account',
      source: { connection: 'Stripe', relativeURI: '/v1/customers' },
      destination: { type: 'salesforce', name: 'Salesforce Chaos Org', config: { salesforce: { baseURI: 'https://chaos.my.salesforce.com', oauth2FlowType: 'refreshToken', refreshToken: 'chaos-refresh' } } },
      mappings: [{ generate: 'Name', extract: 'name' }],
      schedule: '0 3 * * *',
      enable: true,
    }),
  },
  // The demo company's sandbox account beside the demo one (faults hit the target, where the writes go).
  promote_integration: {
    prepare: async (env) => {
      const sandbox = await startEmulator({ port: 0, seed: 'sandbox', clock: env.clock, quiet: true, rateLimit: false });
      const api = new CeligoClient({ baseUrl: sandbox.baseUrl, token: DEMO_TOKEN, backoffMs: 1, sleep: async () => {} });
      env.ctx.accounts = async (name: string) => (name === 'sandbox' ? { api, label: 'sandbox', production: false } : { api: env.ctx.api, label: 'demo', production: false });
      const close = env.close;
      env.close = async () => {
        await sandbox.close();
        await close();
      };
    },
    args: () => ({ integration: DEMO.integrations.hubspot, from: 'sandbox', to: 'demo', apply: true }),
  },
  delete_resource: { args: () => ({ type: 'flow', id: 'Stripe Payouts to NetSuite Deposits', withSteps: true }) },
  cancel_job: { prepare: (env) => runningJob(env), args: (job) => ({ job }) },
  update_export: { args: () => ({ export: 'Get Shopify orders', changes: [{ path: 'http.relativeURI', value: '/admin/api/2024-04/orders.json' }] }) },
  update_import: { args: () => ({ import: 'Create NetSuite sales orders', changes: [{ path: 'netsuite_da.operation', value: 'add' }] }) },
  update_connection: { args: () => ({ connection: 'Shopify - acme-store', changes: [{ path: 'http.ping.relativeURI', value: '/shop.json?fields=id' }] }) },
  restore_backup: {
    prepare: async (env) => ((await updateFlow(env.ctx, { flow: 'Stripe Charges to NetSuite Customer Payments', enabled: false, name: 'Stripe Charges (paused)' })) as { backupId?: string }).backupId,
    args: (id) => ({ id }),
  },
};

const mutating = catalogue().filter((t) => !t.annotations.readOnlyHint);

describe.concurrent('chaos: every mutating tool ends where the fault-free call ends', () => {
  it('has a scenario for every mutating tool of the catalogue', () => {
    expect(mutating.length).toBeGreaterThan(10);
    expect(mutating.map((t) => t.name).filter((n) => !CALLS[n])).toEqual([]);
  });

  mutating.forEach((tool: ToolDef, i) => {
    it(tool.name, async () => {
      const call = CALLS[tool.name];
      const scenario: Scenario<unknown> = {
        prepare: call.prepare,
        run: (ctx, _env, prepared) => tool.handler(call.args(prepared) as never, ctx),
      };
      const pair = await runPair(scenario, SEED + i);
      try {
        expectSameOutcome(pair);
      } finally {
        await pair.close();
      }
    });
  });
});
