// The demo company's sandbox account (issue 16): the demo account built again under its own ids (the
// id generator is seeded by the seed's name), where the HubSpot integration was worked on before going to
// production: its leads mapping reads the company from another field, and it has one more flow.
import type { Rec, Store } from '../store.js';
import { DEMO_USER_ID } from '../tokens.js';
import { Builder, DAY } from './build.js';
import { seedDemo } from './demo.js';
import { DEMO } from './demo-names.js';

/** What the sandbox has that the demo (production) account does not; README.md lists it too. */
export const SANDBOX = {
  integration: DEMO.integrations.hubspot,
  changedFlow: 'HubSpot Contacts to Salesforce Leads',
  /** The leads import's mapping of Company: `properties.company` in production, this in the sandbox. */
  companyExtract: 'properties.company_name',
  extraFlow: 'HubSpot Companies to Salesforce Accounts',
  extraExport: 'Get HubSpot companies',
  extraImport: 'Upsert Salesforce accounts from HubSpot',
} as const;

const byName = (m: Map<string, Rec>, name: string): Rec => {
  const found = [...m.values()].find((r) => r.name === name);
  if (!found) throw new Error(`sandbox seed: no "${name}" in the demo seed`);
  return found;
};

export function seedSandbox(store: Store): void {
  seedDemo(store);
  const at = store.now() - DAY;
  const b = new Builder(store, DEMO_USER_ID);
  const integ = byName(store.integrations, SANDBOX.integration);
  const leads = byName(store.flows, SANDBOX.changedFlow);
  const leadsImport = store.imports.get(String((leads.pageProcessors as { _importId: string }[])[0]._importId))!;
  const leadsExport = store.exports.get(String((leads.pageGenerators as { _exportId: string }[])[0]._exportId))!;

  // The mapping edit being tried out in the sandbox.
  const mapping = structuredClone(leadsImport.mapping) as { fields: { extract: string; generate: string }[] };
  for (const f of mapping.fields) if (f.generate === 'Company') f.extract = SANDBOX.companyExtract;
  store.replace('imports', leadsImport._id, { ...leadsImport, mapping }, DEMO_USER_ID, { at, source: 'ui' });

  // The new flow, on the integration's own connections.
  const exp = b.exportOf({
    name: SANDBOX.extraExport,
    _connectionId: leadsExport._connectionId,
    adaptorType: 'HTTPExport',
    http: { relativeURI: '/crm/v3/objects/companies?properties=name,domain', method: 'GET', response: { resourcePath: 'results' } },
  }, at);
  const imp = b.importOf({
    name: SANDBOX.extraImport,
    _connectionId: leadsImport._connectionId,
    adaptorType: 'SalesforceImport',
    salesforce: { operation: 'upsert', sObjectType: 'Account', upsert: { externalIdField: 'HubSpot_Id__c' } },
    mapping: { fields: [{ extract: 'id', generate: 'HubSpot_Id__c' }, { extract: 'properties.name', generate: 'Name' }, { extract: 'properties.domain', generate: 'Website' }], lists: [] },
  }, at);
  b.flow({
    name: SANDBOX.extraFlow,
    _integrationId: integ._id,
    schedule: leads.schedule,
    timezone: leads.timezone,
    skipRetries: false,
    pageGenerators: [{ _exportId: exp._id, skipRetries: false }],
    pageProcessors: [{ type: 'import', _importId: imp._id }],
  }, undefined, at);
}
