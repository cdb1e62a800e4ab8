import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { checkDependencies } from '../../src/ops/dependencies.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

describe('checkDependencies', () => {
  let env: Env;
  beforeAll(async () => {
    env = await demoEnv();
  });
  afterAll(() => env.close());

  it('finds the flows and integrations that use a connection', async () => {
    const r = await checkDependencies(env.ctx, { type: 'connection', id: 'Salesforce - Integration User' });
    expect(r.inUse).toBe(true);
    expect(r.flows.map((f) => f.name).sort()).toEqual([
      'NetSuite Customers to Salesforce Accounts',
      'Salesforce Accounts to NetSuite Customers',
      'Salesforce Contacts to NetSuite Contacts',
      'Salesforce Opportunities to NetSuite Sales Orders',
    ]);
    expect(r.integrations.map((i) => i.name)).toEqual([DEMO.failingIntegration]);
    expect(r.steps.map((s) => s.type).sort()).toEqual(['export', 'export', 'export', 'import']);
    expect(r.enabledFlows).toBe(4);
  });

  it('finds a lookup export used inside a flow, and standalone use', async () => {
    const lookup = await checkDependencies(env.ctx, { type: 'export', id: 'Lookup Zendesk ticket requester' });
    expect(lookup.flows).toMatchObject([{ name: 'Zendesk Tickets to Salesforce Cases', uses: ['step'] }]);
    const fx = await checkDependencies(env.ctx, { type: 'connection', id: 'Exchange Rates API' });
    expect(fx.flows.map((f) => f.name)).toEqual(['Daily Exchange Rates to NetSuite']);
    expect(fx.integrations).toEqual([]);
  });

  it('finds the integrations that carry a tag (their `tag` field), and says when nothing uses a resource', async () => {
    const crit = await checkDependencies(env.ctx, { type: 'tag', id: 'Critical' });
    expect(crit.target).toEqual({ type: 'tag', id: 'Critical', name: 'critical' });
    expect(crit.integrations.map((i) => i.name).sort()).toEqual([DEMO.integrations.salesforce, DEMO.integrations.shopify].sort());
    const none = await checkDependencies(env.ctx, { type: 'tag', id: 'unused' });
    expect(none.inUse).toBe(false);
    expect(none.summary).toBe('Nothing uses tag "unused".');
    // An error tag of /tags labels errors: no integration carries it.
    const errorTag = await checkDependencies(env.ctx, { type: 'tag', id: DEMO.errorTags[0] });
    expect(errorTag.integrations).toEqual([]);
  });

  it('lists the member flows of an integration', async () => {
    const r = await checkDependencies(env.ctx, { type: 'integration', id: DEMO.integrations.shopify });
    expect(r.flows).toHaveLength(5);
    expect(r.enabledFlows).toBe(4);
  });
});
