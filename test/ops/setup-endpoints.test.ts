// setup_integration without guesses (issue 12 item 6): the source endpoint (an HTTP export's relative URI
// and query) comes from the caller, an HTTP end without one is refused before anything is made, and the
// flow can go into an existing integration, which is the argument the name-clash remedy tells the model
// to pass.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import { setupIntegration } from '../../src/ops/setup.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

const setupTool = catalogue().find((t) => t.name === 'setup_integration')!;

describe('setup integration: endpoints and an existing integration', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  const mutations = () => env.emu.requestLog().filter((l) => l.mutating);

  it('builds the HTTP export on the relative URI and query given, and shows them in the plan it asks to confirm', async () => {
    const r = await setupIntegration({ ...env.ctx, production: true }, {
      name: 'Shopify customers to NetSuite',
      recordType: 'customer',
      source: { connection: 'Shopify - acme-store', relativeURI: '/admin/api/2024-01/customers.json', query: 'limit=50&fields=id,email' },
      destination: { connection: 'NetSuite Production' },
      mappings: [{ generate: 'email', extract: 'email' }],
    });
    expect(r.status).toBe('done');
    const exp = await env.api.exports.get(r.exportId!);
    expect(exp).toMatchObject({ adaptorType: 'HTTPExport', http: { method: 'GET', relativeURI: '/admin/api/2024-01/customers.json?limit=50&fields=id,email' } });
    expect(env.plans.at(-1)!.details).toContainEqual(expect.stringContaining('an export of customer (GET /admin/api/2024-01/customers.json?limit=50&fields=id,email)'));
  });

  it.each([
    {
      name: 'an HTTP source without its relative URI',
      source: { connection: 'Shopify - acme-store' },
      destination: { connection: 'NetSuite Production' },
      error: /^The source \(connection "Shopify - acme-store"\) is an HTTP connection: give source\.relativeURI, the API path to read records from, e\.g\. "\/api\/v2\/customer\.json"\. Nothing was created\.$/,
    },
    {
      name: 'an HTTP destination without its relative URI',
      source: { connection: 'NetSuite Production' },
      destination: { connection: 'HubSpot' },
      error: /^The destination \(connection "HubSpot"\) is an HTTP connection: give destination\.relativeURI/,
    },
    {
      name: 'a relative URI on a Salesforce source',
      source: { connection: 'Salesforce Production', relativeURI: '/services/data/v59.0/query' },
      destination: { connection: 'NetSuite Production' },
      error: /^source\.relativeURI is for HTTP connections only; connection "Salesforce Production" is salesforce: give source\.query \(the SOQL query\) or source\.recordType\./,
    },
    {
      name: 'a query on a NetSuite source',
      source: { connection: 'NetSuite Production', query: 'SELECT id FROM customer' },
      destination: { connection: 'Salesforce Production' },
      error: /^source\.query is for HTTP \(query string\), Salesforce \(SOQL\) and database \(SQL\) sources; connection "NetSuite Production" is netsuite/,
    },
    {
      name: 'a connection that does not exist',
      source: { connection: 'No Such Connection' },
      destination: { connection: 'NetSuite Production' },
      error: /^No connection named "No Such Connection"/,
    },
  ])('refuses $name before anything is created', async ({ source, destination, error }) => {
    env.emu.clearRequestLog();
    await expect(setupIntegration(env.ctx, { name: 'Never made', recordType: 'customer', source, destination })).rejects.toThrow(error);
    expect(mutations()).toEqual([]);
  });

  it('the name-clash remedy names the integration argument, and passing it adds the flow there; undo leaves the integration', async () => {
    const spec = {
      name: 'Stripe refunds',
      recordType: 'payment',
      source: { connection: 'Stripe', relativeURI: '/v1/refunds' },
      destination: { connection: 'NetSuite Production' },
    };
    env.emu.clearRequestLog();
    const clash = await setupTool.handler({ ...spec, name: DEMO.integrations.stripe }, env.ctx).catch((err: Error) => err);
    expect(clash).toBeInstanceOf(Error);
    expect((clash as Error).message).toContain(`Pass integration: "${DEMO.integrations.stripe}" to add the flow to it`);
    expect(mutations()).toEqual([]);

    const existing = (await env.api.integrations.list()).find((i) => i.name === DEMO.integrations.stripe)!;
    const before = (await env.api.integrations.list()).length;
    const r = await setupTool.handler({ ...spec, integration: DEMO.integrations.stripe }, env.ctx);
    expect(r.isError, r.text).toBe(false);
    expect(r.text).toContain('Source fields in the sample (6): id, amount, currency, status, arrival_date, description.');
    const report = r.structured as { integrationId: string; flowId: string; backupId: string; steps: { step: string; status: string }[] };
    expect(report.integrationId).toBe(existing._id);
    expect(report.steps.find((s) => s.step === 'integration')?.status).toBe('reused');
    expect((await env.api.integrations.list()).length).toBe(before);
    expect(await env.api.flows.get(report.flowId)).toMatchObject({ name: 'Stripe refunds', _integrationId: existing._id, disabled: true });

    const undo = await restoreBackup(env.ctx, { id: report.backupId });
    expect(undo.deleted.map((d) => d.type).sort()).toEqual(['export', 'flow', 'import']);
    expect((await env.api.integrations.get(existing._id)).name).toBe(DEMO.integrations.stripe);
  });

  it('refuses an integration that does not exist before anything is created', async () => {
    env.emu.clearRequestLog();
    const spec = { recordType: 'payment', integration: 'No Such Integration', source: { connection: 'Stripe', relativeURI: '/v1/refunds' }, destination: { connection: 'NetSuite Production' } };
    await expect(setupIntegration(env.ctx, { name: '', ...spec })).rejects.toThrow(/^No integration named "No Such Integration"/);
    expect(mutations()).toEqual([]);
  });
});
