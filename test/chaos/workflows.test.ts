// Chaos, part 1: every workflow of src/ops ends in the same state under ~20% injected faults as without
// them, starts no run or retry twice, and loses no error.
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import { addTagToIntegration, cloneIntegration, createConnection, createIntegration, updateFlow } from '../../src/ops/changes.js';
import { clearErrors } from '../../src/ops/clear.js';
import { updateMapping } from '../../src/ops/mapping/update.js';
import { retryErrors, retryFailedJobs, retryJob } from '../../src/ops/retry.js';
import { runExport, runFlow } from '../../src/ops/run.js';
import { setupIntegration } from '../../src/ops/setup.js';
import { DAY, expectSameOutcome, runPair, startedWork, type ChaosEnv, type Scenario } from '../helpers/chaos.js';

/** The newest completed flow job with open errors (read fault-free before the operation). */
async function jobWithOpenErrors(env: ChaosEnv, flow: string): Promise<string> {
  const f = (await env.admin.flows.list()).find((x) => x.name === flow)!;
  const jobs = await env.admin.jobs.list({ _flowId: f._id, type: 'flow', createdAt_gte: new Date(env.clock.now() - 7 * DAY).toISOString() });
  return jobs.find((j) => (j.numOpenError ?? 0) > 0)!._id;
}

/** Fixed; CHAOS_SEED explores other fault sequences. */
const SEED = Number(process.env.CHAOS_SEED ?? 1000);

const WORKFLOWS: Record<string, Scenario<any>> = {
  'runFlow (run_and_monitor a flow)': {
    run: (ctx) => runFlow(ctx, { flow: 'Zendesk Tickets to Salesforce Cases', wait: true }),
  },
  runExport: {
    run: (ctx) => runExport(ctx, { export: 'Get Shopify orders', wait: true }),
  },
  retryJob: {
    prepare: (env) => jobWithOpenErrors(env, 'Salesforce Case Comments to Zendesk'),
    run: (ctx, _env, job: string) => retryJob(ctx, { job, wait: true }),
  },
  retryErrors: {
    run: (ctx) => retryErrors(ctx, { flow: DEMO.mappingEditedFlow, all: true, wait: true }),
  },
  retryFailedJobs: {
    run: (ctx) => retryFailedJobs(ctx, { scope: 'account', wait: true, concurrency: 8 }),
  },
  clearErrors: {
    run: (ctx) => clearErrors(ctx, { integration: DEMO.failingIntegration, pattern: 'INVALID_KEY_OR_REF' }),
  },
  updateMapping: {
    run: (ctx) => updateMapping(ctx, { flow: DEMO.mappingEditedFlow, changes: [{ op: 'add', generate: 'LastName', extract: 'last_name' }] }),
  },
  setupIntegration: {
    run: (ctx) =>
      setupIntegration(ctx, {
        name: 'Chaos Shop to NetSuite',
        recordType: 'customer',
        source: { type: 'http', name: 'Chaos Shop API', config: { http: { baseURI: 'https://shop.example.com', auth: { type: 'token', token: { token: 'chaos-secret-1' } } } }, relativeURI: '/customers.json' },
        destination: { connection: 'NetSuite Production' },
        mappings: [{ generate: 'companyName', extract: 'name' }, { generate: 'email', extract: 'email' }],
        enable: true,
      }),
  },
  restoreBackup: {
    prepare: async (env) => (await updateMapping(env.ctx, { flow: DEMO.mappingEditedFlow, changes: [{ op: 'add', generate: 'LastName', extract: 'last_name' }] })).backupId!,
    run: (ctx, _env, id: string) => restoreBackup(ctx, { id }),
  },
  updateFlow: {
    run: (ctx) => updateFlow(ctx, { flow: 'NetSuite Inventory to Shopify', name: 'NetSuite Inventory to Shopify (hourly)', schedule: '0 * * * *', enabled: false }),
  },
  createIntegration: {
    run: (ctx) => createIntegration(ctx, { name: 'Chaos Integration', description: 'made under fire' }),
  },
  cloneIntegration: {
    run: (ctx) => cloneIntegration(ctx, { integration: DEMO.integrations.stripe, name: 'Stripe Payments to NetSuite (copy)' }),
  },
  addTagToIntegration: {
    run: async (ctx) => [
      await addTagToIntegration(ctx, { integration: DEMO.integrations.hubspot, tag: 'marketing' }),
      await addTagToIntegration(ctx, { integration: DEMO.integrations.zendesk, tag: 'critical' }),
    ],
  },
  createConnection: {
    run: (ctx) => createConnection(ctx, { name: 'Chaos SFTP', type: 'ftp', config: { ftp: { type: 'sftp', hostURI: 'sftp.chaos.example', username: 'u', password: 'p' } } }),
  },
};

describe.concurrent('chaos: every workflow ends where the fault-free run ends', () => {
  Object.entries(WORKFLOWS).forEach(([name, scenario], i) => {
    it(name, async () => {
      const pair = await runPair(scenario, SEED + i);
      try {
        expectSameOutcome(pair);
      } finally {
        await pair.close();
      }
    });
  });
});

describe('chaos: the workflows start what they should, once', () => {
  it('a run starts exactly one flow job; a bulk retry one retry job per step batch', async () => {
    const run = await runPair(WORKFLOWS['runFlow (run_and_monitor a flow)'], 77);
    const retry = await runPair(WORKFLOWS.retryFailedJobs, 78);
    try {
      expect(Object.values(startedWork(run.chaos))).toEqual([1]);
      const r = retry.chaos.result as Awaited<ReturnType<typeof retryFailedJobs>>;
      expect(r.failed).toBe(0);
      expect(r.retried).toBe(r.matched - r.skipped);
      expect(Object.values(startedWork(retry.chaos)).reduce((a, b) => a + b, 0)).toBe(r.jobs.length);
    } finally {
      await run.close();
      await retry.close();
    }
  });
});
