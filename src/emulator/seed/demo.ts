// The demo account: a realistic mid-size integrator.io account with a week of history.
// Facts tests may rely on are listed in ./README.md; keep the two in step.
import { MASKED } from '../../core/schemas.js';
import type { FlowProfile, StepTarget } from '../behaviour.js';
import { cancelJob, startRetry } from '../jobs.js';
import { flowSteps } from '../flow-steps.js';
import type { Rec, Store } from '../store.js';
import { DEMO_USER_ID, OPS_USER_ID } from '../tokens.js';
import { Builder, DAY, HOUR, MIN, Simulation, cronEvery, runTimes, scheduleRuns } from './build.js';

const profile = (volume: [number, number], durationMs: number, targets: StepTarget[] = [], ignoreRate = 0.1): FlowProfile => ({ volume, durationMs, targets, ignoreRate });

/** Names the README promises. */
export const DEMO = {
  integrations: {
    shopify: 'Shopify - NetSuite Orders',
    salesforce: 'Salesforce - NetSuite Customers',
    ftp: 'NetSuite - FTP Inventory Export',
    zendesk: 'HTTP Webhooks - Zendesk to Salesforce',
    s3: 'Amazon S3 Archive',
    stripe: 'Stripe Payments to NetSuite',
    hubspot: 'HubSpot - Salesforce Leads',
  },
  brokenConnections: ['Salesforce - Integration User', 'NetSuite Sandbox'],
  offlineConnection: '3PL Partner SFTP',
  scopedConnections: ['Acme Warehouse SFTP', 'Amazon S3 - acme-archive'],
  failingIntegration: 'Salesforce - NetSuite Customers',
  degradedIntegration: 'HTTP Webhooks - Zendesk to Salesforce',
  mappingEditedFlow: 'Zendesk Users to Salesforce Contacts',
  /** Integration tags (each integration's one `tag` field, celigo-api.md W5). */
  tags: ['critical', 'finance', 'nightly'],
  /** Error tags: the /tags vocabulary, used to tag errors (not integrations). */
  errorTags: ['investigating', 'known issue', 'waiting on vendor', 'needs data fix'],
} as const;

export function seedDemo(store: Store): void {
  const now = store.now();
  const b = new Builder(store, DEMO_USER_ID);
  const ago = (ms: number): number => now - ms;

  // ---------------- connections ----------------
  const c = {
    netsuite: b.connection({
      name: 'NetSuite Production', type: 'netsuite',
      netsuite: { account: 'TSTDRV2281451', environment: 'production', roleId: '3', authType: 'token', tokenId: '4d1f0c2a9b7e4a55b1c3e8f0a6d2c7b9', tokenSecret: 'ns-prod-token-secret-7f3a', dataCenterURLs: { restDomain: 'https://tstdrv2281451.restlets.api.netsuite.com' } },
    }, ago(180 * DAY)),
    netsuiteSandbox: b.connection({
      name: 'NetSuite Sandbox', type: 'netsuite', sandbox: true,
      netsuite: { account: 'TSTDRV2281451_SB1', environment: 'sandbox', roleId: '3', authType: 'token', tokenId: '9a8b7c6d5e4f40312a1b2c3d4e5f6071', tokenSecret: 'ns-sb-token-secret-expired' },
    }, ago(175 * DAY)),
    shopify: b.connection({
      name: 'Shopify - acme-store', type: 'http', assistant: 'shopify',
      http: {
        formType: 'assistant', baseURI: 'https://acme-store.myshopify.com/admin/api/2024-01', mediaType: 'json', concurrencyLevel: 3,
        auth: { type: 'token', token: { token: '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', location: 'header', headerName: 'X-Shopify-Access-Token', scheme: ' ' } },
        ping: { relativeURI: '/shop.json', method: 'GET' },
      },
    }, ago(170 * DAY)),
    salesforce: b.connection({
      name: 'Salesforce Production', type: 'salesforce',
      salesforce: { sandbox: false, baseURI: 'https://acme.my.salesforce.com', oauth2FlowType: 'refreshToken', refreshToken: '5Aep861TSESvWeug_prod_refresh', accessToken: '00D5e000000AbCd!prod-access' },
    }, ago(165 * DAY)),
    salesforceIntegration: b.connection({
      name: 'Salesforce - Integration User', type: 'salesforce',
      salesforce: { sandbox: false, baseURI: 'https://acme.my.salesforce.com', oauth2FlowType: 'usernamePassword', username: 'integration@acme.com', password: 'Winter2025!', token: 'sf-security-token-old' },
    }, ago(160 * DAY)),
    zendesk: b.connection({
      name: 'Zendesk - acme.zendesk.com', type: 'http', assistant: 'zendesk',
      http: { formType: 'assistant', baseURI: 'https://acme.zendesk.com/api/v2', mediaType: 'json', auth: { type: 'basic', basic: { username: 'api@acme.com/token', password: 'zd-api-token-1c2d3e' } }, ping: { relativeURI: '/users/me.json', method: 'GET' } },
    }, ago(150 * DAY)),
    sftp: b.connection({
      name: 'Acme Warehouse SFTP', type: 'ftp',
      ftp: { type: 'sftp', hostURI: 'sftp.acme-warehouse.com', port: 22, username: 'celigo', password: 'wh-sftp-pass-42', entryParser: 'UNIX' },
    }, ago(140 * DAY)),
    threePl: b.connection({
      name: '3PL Partner SFTP', type: 'ftp', offline: true,
      ftp: { type: 'sftp', hostURI: 'files.partner-3pl.example', port: 2222, username: 'acme', password: '3pl-pass-9' },
    }, ago(130 * DAY)),
    s3: b.connection({
      name: 'Amazon S3 - acme-archive', type: 's3',
      s3: { accessKeyId: 'AKIAEXAMPLE7ARCHIVE', secretAccessKey: 's3-secret-key-example-archive' },
    }, ago(120 * DAY)),
    stripe: b.connection({
      name: 'Stripe', type: 'http', assistant: 'stripe',
      http: { formType: 'assistant', baseURI: 'https://api.stripe.com/v1', mediaType: 'urlencoded', auth: { type: 'token', token: { token: 'sk_live_example_51Hx', location: 'header', headerName: 'Authorization', scheme: 'Bearer' } }, ping: { relativeURI: '/balance', method: 'GET' } },
    }, ago(110 * DAY)),
    hubspot: b.connection({
      name: 'HubSpot', type: 'http', assistant: 'hubspot',
      http: { formType: 'assistant', baseURI: 'https://api.hubapi.com', mediaType: 'json', auth: { type: 'token', token: { token: 'pat-na1-example-hubspot', location: 'header', headerName: 'Authorization', scheme: 'Bearer' } }, ping: { relativeURI: '/crm/v3/objects/contacts?limit=1', method: 'GET' } },
    }, ago(100 * DAY)),
    fx: b.connection({
      name: 'Exchange Rates API', type: 'http',
      http: { formType: 'http', baseURI: 'https://api.exchangerate.host', mediaType: 'json', auth: { type: 'custom' }, ping: { relativeURI: '/latest?base=USD', method: 'GET' } },
    }, ago(90 * DAY)),
  };
  store.hidden.badCredentials.add(c.netsuiteSandbox._id);
  store.hidden.scopedConnections.add(c.sftp._id);
  store.hidden.scopedConnections.add(c.s3._id);

  // ---------------- integrations ----------------
  const integ = (name: string, description: string, conns: Rec[], at: number, extra: Record<string, unknown> = {}): Rec =>
    b.create('integrations', {
      name, description, sandbox: false, install: [], installSteps: [], uninstallSteps: [], changeEditionSteps: [],
      flowGroupings: [], apiGroupings: [], _registeredConnectionIds: conns.map((x) => x._id), _registeredLookupCacheIds: [], ...extra,
    }, at);
  const I = {
    shopify: integ(DEMO.integrations.shopify, 'Orders, fulfillments, inventory and customers between Shopify and NetSuite.', [c.shopify, c.netsuite], ago(95 * DAY), { tag: 'critical' }),
    salesforce: integ(DEMO.integrations.salesforce, 'Keeps Salesforce accounts, contacts and opportunities in step with NetSuite customers and sales orders.', [c.salesforceIntegration, c.netsuite], ago(92 * DAY), { tag: 'critical' }),
    ftp: integ(DEMO.integrations.ftp, 'Nightly inventory and item files for the warehouse SFTP; price files back into NetSuite.', [c.netsuite, c.sftp, c.threePl], ago(88 * DAY), { tag: 'nightly' }),
    zendesk: integ(DEMO.integrations.zendesk, 'Zendesk tickets and users into Salesforce Service Cloud; case comments back to Zendesk.', [c.zendesk, c.salesforce], ago(80 * DAY)),
    s3: integ(DEMO.integrations.s3, 'Nightly JSON archives of NetSuite transactions and Shopify orders in S3.', [c.s3, c.netsuite, c.shopify], ago(75 * DAY), { tag: 'nightly' }),
    stripe: integ(DEMO.integrations.stripe, 'Stripe payouts and charges as NetSuite deposits and customer payments.', [c.stripe, c.netsuite], ago(70 * DAY), { tag: 'finance' }),
    hubspot: integ(DEMO.integrations.hubspot, 'HubSpot contacts as Salesforce leads; lead status back to HubSpot.', [c.hubspot, c.salesforce], ago(60 * DAY)),
  };

  // ---------------- exports and imports ----------------
  const at = ago(58 * DAY);
  const nsExport = (name: string, recordType: string, searchId: string, conn = c.netsuite, integrationId?: string) =>
    b.exportOf({ name, _connectionId: conn._id, adaptorType: 'NetSuiteExport', type: 'delta', delta: { dateField: 'lastmodifieddate' }, netsuite: { type: 'restlet', skipGrouping: true, restlet: { recordType, searchId } }, traceKeyTemplate: '{{record.id}}', ...(integrationId ? { _integrationId: integrationId } : {}) }, at);
  const sfExport = (name: string, sObjectType: string, fields: string) =>
    b.exportOf({ name, _connectionId: c.salesforceIntegration._id, adaptorType: 'SalesforceExport', type: 'delta', delta: { dateField: 'LastModifiedDate' }, salesforce: { type: 'soql', sObjectType, soql: { query: `SELECT ${fields} FROM ${sObjectType} WHERE LastModifiedDate > {{lastExportDateTime}}` } }, traceKeyTemplate: '{{record.Id}}' }, at);
  const httpExport = (name: string, conn: Rec, relativeURI: string, resourcePath: string, extra: Record<string, unknown> = {}) =>
    b.exportOf({ name, _connectionId: conn._id, adaptorType: 'HTTPExport', type: 'delta', http: { method: 'GET', relativeURI, successMediaType: 'json', response: { resourcePath }, paging: { method: 'linkheader' } }, ...extra }, at);
  const nsImport = (name: string, recordType: string, fields: Record<string, unknown>[], lists: Record<string, unknown>[] = []) =>
    b.importOf({ name, _connectionId: c.netsuite._id, adaptorType: 'NetSuiteDistributedImport', distributed: true, netsuite_da: { recordType, operation: 'addupdate', internalIdLookup: { expression: '["externalid","is","{{{id}}}"]' } }, mapping: { fields, lists } }, at);
  const sfImport = (name: string, conn: Rec, sObjectType: string, externalIdField: string, fields: Record<string, unknown>[]) =>
    b.importOf({ name, _connectionId: conn._id, adaptorType: 'SalesforceImport', salesforce: { operation: 'upsert', sObjectType, upsert: { externalIdField } }, mapping: { fields, lists: [] } }, at);
  const httpImport = (name: string, conn: Rec, method: string, relativeURI: string, mappings: Record<string, unknown>[]) =>
    b.importOf({ name, _connectionId: conn._id, adaptorType: 'HTTPImport', http: { method: [method], relativeURI: [relativeURI], requestMediaType: 'json', successMediaType: 'json', response: { resourceIdPath: ['id'] } }, mappings }, at);
  const m2 = (generate: string, extract: string, dataType = 'string') => ({ generate, extract, dataType, status: 'Active' });
  const f1 = (extract: string, generate: string) => ({ extract, generate });

  const E = {
    shopifyOrders: httpExport('Get Shopify orders', c.shopify, '/orders.json?status=any&updated_at_min={{{lastExportDateTime}}}', 'orders'),
    shopifyCustomers: httpExport('Get Shopify customers', c.shopify, '/customers.json?updated_at_min={{{lastExportDateTime}}}', 'customers'),
    shopifyRefunds: httpExport('Get Shopify refunds', c.shopify, '/orders.json?financial_status=refunded', 'orders'),
    nsFulfillments: nsExport('Get NetSuite item fulfillments', 'itemfulfillment', '4621'),
    nsInventory: nsExport('Get NetSuite inventory levels', 'inventoryitem', '4622'),
    sfAccounts: sfExport('Get Salesforce accounts', 'Account', 'Id, Name, BillingCity, BillingState, Phone'),
    sfContacts: sfExport('Get Salesforce contacts', 'Contact', 'Id, FirstName, LastName, Email, AccountId'),
    sfOpportunities: sfExport('Get closed-won Salesforce opportunities', 'Opportunity', 'Id, Name, AccountId, Amount, CloseDate'),
    nsCustomers: nsExport('Get NetSuite customers', 'customer', '4537'),
    nsInventorySnapshot: nsExport('NetSuite inventory snapshot', 'inventoryitem', '4700'),
    nsItems: nsExport('NetSuite item master', 'item', '4701'),
    ftpPrices: b.exportOf({ name: 'Get price files from SFTP', _connectionId: c.sftp._id, adaptorType: 'FTPExport', ftp: { directoryPath: '/outbound/prices', fileNameStartsWith: 'price_', backupDirectoryPath: '/outbound/prices/archive' }, file: { type: 'csv', csv: { columnDelimiter: ',', rowDelimiter: '\n', hasHeaderRow: true } } }, at),
    threePlReceipts: b.exportOf({ name: 'Get 3PL receipt files', _connectionId: c.threePl._id, adaptorType: 'FTPExport', ftp: { directoryPath: '/acme/receipts', fileNameStartsWith: 'rcpt_' }, file: { type: 'csv', csv: { columnDelimiter: ',', hasHeaderRow: true } } }, at),
    zendeskTickets: httpExport('Get Zendesk tickets', c.zendesk, '/incremental/tickets.json?start_time={{{lastExportDateTime}}}', 'tickets'),
    zendeskRequester: httpExport('Lookup Zendesk ticket requester', c.zendesk, '/users/{{{data.requester_id}}}.json', 'user', { isLookup: true, type: undefined }),
    zendeskUsers: httpExport('Get Zendesk users', c.zendesk, '/incremental/users.json?start_time={{{lastExportDateTime}}}', 'users'),
    sfCaseComments: b.exportOf({ name: 'Get Salesforce case comments', _connectionId: c.salesforce._id, adaptorType: 'SalesforceExport', type: 'delta', delta: { dateField: 'LastModifiedDate' }, salesforce: { type: 'soql', sObjectType: 'CaseComment', soql: { query: 'SELECT Id, ParentId, CommentBody FROM CaseComment WHERE LastModifiedDate > {{lastExportDateTime}}' } } }, at),
    nsTransactions: nsExport('NetSuite transactions for archive', 'transaction', '4800'),
    shopifyOrdersArchive: httpExport('Shopify orders for archive', c.shopify, '/orders.json?status=any&created_at_min={{{lastExportDateTime}}}', 'orders'),
    stripePayouts: httpExport('Get Stripe payouts', c.stripe, '/payouts?created[gte]={{{lastExportDateTime}}}', 'data'),
    stripeCharges: httpExport('Get Stripe charges', c.stripe, '/charges?created[gte]={{{lastExportDateTime}}}', 'data'),
    hubspotContacts: httpExport('Get HubSpot contacts', c.hubspot, '/crm/v3/objects/contacts?properties=email,firstname,lastname,company', 'results'),
    sfLeads: b.exportOf({ name: 'Get Salesforce lead status changes', _connectionId: c.salesforce._id, adaptorType: 'SalesforceExport', type: 'delta', delta: { dateField: 'LastModifiedDate' }, salesforce: { type: 'soql', sObjectType: 'Lead', soql: { query: 'SELECT Id, Email, Status FROM Lead WHERE LastModifiedDate > {{lastExportDateTime}}' } } }, at),
    fxRates: httpExport('Get daily exchange rates', c.fx, '/latest?base=USD', 'rates', { type: undefined }),
  };

  const zendeskUserFieldsBefore = [f1('email', 'Email'), f1('first_name', 'FirstName'), f1('last_name', 'LastName'), f1('phone', 'Phone'), f1('organization.name', 'Account.Name')];
  const zendeskUserFieldsAfter = [f1('email', 'Email'), f1('name', 'FirstName'), f1('phone', 'Phone'), f1('organization.name', 'Account.Name')];

  const M = {
    nsSalesOrders: nsImport('Create NetSuite sales orders', 'salesorder',
      [f1('id', 'externalid'), f1('customer.id', 'entity'), f1('created_at', 'trandate'), { generate: 'orderstatus', hardCodedValue: 'B' }, f1('order_number', 'otherrefnum')],
      [{ generate: 'item', fields: [f1('line_items[*].sku', 'item'), f1('line_items[*].quantity', 'quantity'), f1('line_items[*].price', 'rate')] }]),
    shopifyFulfillments: httpImport('Create Shopify fulfillments', c.shopify, 'POST', '/orders/{{{data.custbody_shopify_order_id}}}/fulfillments.json', [
      { generate: 'fulfillment', dataType: 'object', status: 'Active', mappings: [m2('tracking_number', '$.trackingnumbers'), m2('notify_customer', '$.notify', 'boolean')] },
    ]),
    shopifyInventory: httpImport('Set Shopify inventory levels', c.shopify, 'POST', '/inventory_levels/set.json', [m2('inventory_item_id', '$.custitem_shopify_inventory_id', 'number'), m2('location_id', '$.location_id', 'number'), m2('available', '$.quantityavailable', 'number')]),
    nsCustomersFromShopify: nsImport('Upsert NetSuite customers from Shopify', 'customer', [f1('id', 'externalid'), f1('email', 'email'), f1('first_name', 'firstname'), f1('last_name', 'lastname'), { generate: 'subsidiary', hardCodedValue: '1' }]),
    nsCreditMemos: nsImport('Create NetSuite credit memos', 'creditmemo', [f1('id', 'externalid'), f1('customer.id', 'entity')]),
    nsCustomersFromSf: nsImport('Upsert NetSuite customers from Salesforce', 'customer', [f1('Id', 'externalid'), f1('Name', 'companyname'), f1('Phone', 'phone'), f1('BillingCity', 'billcity')]),
    nsContacts: nsImport('Upsert NetSuite contacts', 'contact', [f1('Id', 'externalid'), f1('FirstName', 'firstname'), f1('LastName', 'lastname'), f1('Email', 'email')]),
    nsSalesOrdersFromSf: nsImport('Create NetSuite sales orders from opportunities', 'salesorder', [f1('Id', 'externalid'), f1('AccountId', 'entity'), f1('CloseDate', 'trandate')], [{ generate: 'item', fields: [{ generate: 'item', hardCodedValue: 'Services' }, f1('Amount', 'amount')] }]),
    sfAccountsFromNs: sfImport('Upsert Salesforce accounts', c.salesforceIntegration, 'Account', 'NetSuite_Id__c', [f1('id', 'NetSuite_Id__c'), f1('companyname', 'Name'), f1('phone', 'Phone')]),
    ftpInventoryFile: b.importOf({ name: 'Write inventory file to SFTP', _connectionId: c.sftp._id, adaptorType: 'FTPImport', ftp: { directoryPath: '/inbound/inventory', fileName: 'inventory-{{timestamp}}.csv' }, file: { type: 'csv', csv: { rowDelimiter: '\n', columnDelimiter: ',', includeHeader: true } }, mapping: { fields: [f1('sku', 'SKU'), f1('quantityavailable', 'QTY'), f1('location', 'WAREHOUSE')], lists: [] } }, at),
    ftpItemFile: b.importOf({ name: 'Write item master file to SFTP', _connectionId: c.sftp._id, adaptorType: 'FTPImport', ftp: { directoryPath: '/inbound/items', fileName: 'items-{{timestamp}}.csv' }, file: { type: 'csv', csv: { rowDelimiter: '\n', columnDelimiter: ',', includeHeader: true } }, mapping: { fields: [f1('internalid', 'ID'), f1('displayname', 'NAME'), f1('baseprice', 'PRICE')], lists: [] } }, at),
    nsPrices: nsImport('Update NetSuite item prices', 'inventoryitem', [f1('SKU', 'itemid'), f1('PRICE', 'baseprice')]),
    nsReceipts: nsImport('Create NetSuite item receipts', 'itemreceipt', [f1('PO', 'createdfrom'), f1('SKU', 'item')]),
    sfCases: sfImport('Upsert Salesforce cases', c.salesforce, 'Case', 'Zendesk_Ticket_Id__c', [f1('id', 'Zendesk_Ticket_Id__c'), f1('subject', 'Subject'), f1('status', 'Status'), f1('priority', 'Priority'), f1('requester.email', 'SuppliedEmail')]),
    sfContactsFromZendesk: sfImport('Upsert Salesforce contacts from Zendesk users', c.salesforce, 'Contact', 'Email', zendeskUserFieldsBefore),
    zendeskComments: httpImport('Add Zendesk ticket comments', c.zendesk, 'PUT', '/tickets/{{{data.Zendesk_Ticket_Id__c}}}.json', [{ generate: 'ticket', dataType: 'object', status: 'Active', mappings: [{ generate: 'comment', dataType: 'object', status: 'Active', mappings: [m2('body', '$.CommentBody'), m2('public', '$.IsPublished', 'boolean')] }] }]),
    s3Transactions: b.importOf({ name: 'Archive NetSuite transactions to S3', _connectionId: c.s3._id, adaptorType: 'S3Import', s3: { region: 'us-east-1', bucket: 'acme-archive', fileKey: 'netsuite/transactions-{{timestamp}}.json' }, file: { type: 'json' } }, at),
    s3Orders: b.importOf({ name: 'Archive Shopify orders to S3', _connectionId: c.s3._id, adaptorType: 'S3Import', s3: { region: 'us-east-1', bucket: 'acme-archive', fileKey: 'shopify/orders-{{timestamp}}.json' }, file: { type: 'json' } }, at),
    nsDeposits: nsImport('Create NetSuite deposits', 'deposit', [f1('id', 'externalid'), f1('amount', 'payment'), f1('arrival_date', 'trandate')]),
    nsPayments: nsImport('Create NetSuite customer payments', 'customerpayment', [f1('id', 'externalid'), f1('customer', 'customer'), f1('amount', 'payment')]),
    sfLeads: sfImport('Upsert Salesforce leads', c.salesforce, 'Lead', 'Email', [f1('properties.email', 'Email'), f1('properties.firstname', 'FirstName'), f1('properties.lastname', 'LastName'), f1('properties.company', 'Company')]),
    hubspotStatus: httpImport('Update HubSpot lead status', c.hubspot, 'PATCH', '/crm/v3/objects/contacts/{{{data.Email}}}?idProperty=email', [m2('properties.hs_lead_status', '$.Status')]),
    nsFxRates: nsImport('Update NetSuite currency rates', 'currencyrate', [f1('base', 'basecurrency'), f1('rates.EUR', 'exchangerate')]),
  };

  // ---------------- flows ----------------
  const fat = ago(55 * DAY);
  const tz = 'America/New_York';
  const pp = (x: Rec, type: 'import' | 'export' = 'import') => (type === 'import' ? { type, _importId: x._id, responseMapping: { fields: [], lists: [] } } : { type, _exportId: x._id, responseMapping: { fields: [f1('data[0].email', 'requesterEmail')], lists: [] } });
  const flow = (integration: Rec | undefined, name: string, pg: Rec, pps: Record<string, unknown>[], schedule: string | undefined, prof: FlowProfile, extra: Record<string, unknown> = {}) =>
    b.flow({ name, ...(integration ? { _integrationId: integration._id } : {}), schedule, timezone: tz, skipRetries: false, autoResolveMatchingTraceKeys: true, pageGenerators: [{ _exportId: pg._id, skipRetries: false }], pageProcessors: pps, ...extra }, prof, fat);

  interface Planned { flow: Rec; everyH: number; minute: number }
  const planned: Planned[] = [];
  const scheduled = (integration: Rec | undefined, name: string, pg: Rec, pps: Record<string, unknown>[], everyH: number, minute: number, prof: FlowProfile, extra: Record<string, unknown> = {}): Rec => {
    const f = flow(integration, name, pg, pps, cronEvery(everyH, minute, everyH >= 24 ? 2 : 0), prof, extra);
    planned.push({ flow: f, everyH, minute });
    return f;
  };

  const F = {
    shopifyOrders: scheduled(I.shopify, 'Shopify Orders to NetSuite Sales Orders', E.shopifyOrders, [pp(M.nsSalesOrders)], 2, 15, profile([8, 40], 6000), { description: 'Imports paid Shopify orders as pending-fulfillment NetSuite sales orders.' }),
    fulfillments: scheduled(I.shopify, 'NetSuite Fulfillments to Shopify', E.nsFulfillments, [pp(M.shopifyFulfillments)], 4, 30, profile([3, 20], 4000)),
    inventory: scheduled(I.shopify, 'NetSuite Inventory to Shopify', E.nsInventory, [pp(M.shopifyInventory)], 6, 45, profile([40, 160], 7000)),
    customers: scheduled(I.shopify, 'Shopify Customers to NetSuite', E.shopifyCustomers, [pp(M.nsCustomersFromShopify)], 6, 5, profile([2, 15], 3000)),
    refunds: flow(I.shopify, 'Shopify Refunds to NetSuite Credit Memos', E.shopifyRefunds, [pp(M.nsCreditMemos)], cronEvery(12, 0), profile([1, 5], 3000), { disabled: true }),
    sfAccounts: scheduled(I.salesforce, 'Salesforce Accounts to NetSuite Customers', E.sfAccounts, [pp(M.nsCustomersFromSf)], 2, 0, profile([3, 25], 5000)),
    sfContacts: scheduled(I.salesforce, 'Salesforce Contacts to NetSuite Contacts', E.sfContacts, [pp(M.nsContacts)], 4, 10, profile([3, 25], 4000)),
    sfOpportunities: scheduled(I.salesforce, 'Salesforce Opportunities to NetSuite Sales Orders', E.sfOpportunities, [pp(M.nsSalesOrdersFromSf)], 4, 20, profile([2, 12], 5000, [])),
    nsToSf: scheduled(I.salesforce, 'NetSuite Customers to Salesforce Accounts', E.nsCustomers, [pp(M.sfAccountsFromNs)], 24, 0, profile([5, 30], 4000)),
    inventorySnapshot: scheduled(I.ftp, 'NetSuite Inventory Snapshot to FTP', E.nsInventorySnapshot, [pp(M.ftpInventoryFile)], 24, 30, profile([200, 900], 8000)),
    itemMaster: scheduled(I.ftp, 'NetSuite Item Master to FTP', E.nsItems, [pp(M.ftpItemFile)], 6, 40, profile([50, 300], 8000)),
    prices: scheduled(I.ftp, 'FTP Price File to NetSuite', E.ftpPrices, [pp(M.nsPrices)], 24, 15, profile([20, 120], 6000)),
    receipts: flow(I.ftp, 'Warehouse Receipts from 3PL SFTP', E.threePlReceipts, [pp(M.nsReceipts)], cronEvery(24, 0, 5), profile([5, 20], 4000), { disabled: true }),
    zendeskTickets: scheduled(I.zendesk, 'Zendesk Tickets to Salesforce Cases', E.zendeskTickets, [pp(E.zendeskRequester, 'export'), pp(M.sfCases)], 2, 10, profile([5, 25], 6000)),
    zendeskUsers: scheduled(I.zendesk, DEMO.mappingEditedFlow, E.zendeskUsers, [pp(M.sfContactsFromZendesk)], 2, 0, profile([6, 20], 4000)),
    caseComments: scheduled(I.zendesk, 'Salesforce Case Comments to Zendesk', E.sfCaseComments, [pp(M.zendeskComments)], 4, 25, profile([3, 15], 4000)),
    archiveTransactions: scheduled(I.s3, 'Archive NetSuite Transactions to S3', E.nsTransactions, [pp(M.s3Transactions)], 24, 45, profile([300, 1200], 8000)),
    archiveOrders: scheduled(I.s3, 'Archive Shopify Orders to S3', E.shopifyOrdersArchive, [pp(M.s3Orders)], 24, 50, profile([100, 400], 7000)),
    payouts: scheduled(I.stripe, 'Stripe Payouts to NetSuite Deposits', E.stripePayouts, [pp(M.nsDeposits)], 24, 20, profile([1, 4], 3000)),
    charges: scheduled(I.stripe, 'Stripe Charges to NetSuite Customer Payments', E.stripeCharges, [pp(M.nsPayments)], 6, 35, profile([10, 60], 5000)),
    leads: scheduled(I.hubspot, 'HubSpot Contacts to Salesforce Leads', E.hubspotContacts, [pp(M.sfLeads)], 4, 50, profile([5, 30], 4000)),
    leadStatus: flow(I.hubspot, 'Salesforce Lead Status to HubSpot', E.sfLeads, [pp(M.hubspotStatus)], cronEvery(4, 55), profile([2, 10], 3000), { disabled: true }),
    fx: scheduled(undefined, 'Daily Exchange Rates to NetSuite', E.fxRates, [pp(M.nsFxRates)], 24, 5, profile([1, 1], 2000)),
  };
  // Intermittent remote failures (transient: a retry fixes them) and bad data (a retry does not).
  const prof = (f: Rec): FlowProfile => store.hidden.flowProfiles.get(f._id)!;
  prof(F.zendeskTickets).targets.push({ stepId: E.zendeskRequester._id, pattern: 'zendesk503', p: 0.35, min: 1, max: 3 });
  prof(F.caseComments).targets.push({ stepId: M.zendeskComments._id, pattern: 'http429', p: 0.45, min: 1, max: 4 });
  prof(F.sfOpportunities).targets.push({ stepId: M.nsSalesOrdersFromSf._id, pattern: 'nsInvalidRef', p: 0.5, min: 1, max: 2 });

  // Grouping on the Shopify integration (§2.2 flowGroupings).
  const groups = [{ _id: store.ids.objectId(), name: 'Orders' }, { _id: store.ids.objectId(), name: 'Inventory' }];
  I.shopify.flowGroupings = groups;
  for (const f of [F.shopifyOrders, F.fulfillments, F.refunds]) f._flowGroupingId = groups[0]._id;
  for (const f of [F.inventory]) f._flowGroupingId = groups[1]._id;

  // ---------------- error tags ----------------
  // /tags holds the labels people put on errors; integrations carry their one tag in `tag` (above).
  for (const [tag, tagId] of [['investigating', 'inv001'], ['known issue', 'known1'], ['waiting on vendor', 'vend01'], ['needs data fix', 'data01']]) {
    b.create('tags', { tag, tagId }, ago(50 * DAY));
  }
  store.scopedState.set(`imports/${M.ftpInventoryFile._id}`, new Map<string, unknown>([['lastFileSequence', 1042]]));

  // ---------------- a week of history ----------------
  const sim = new Simulation(store);
  const from = ago(7 * DAY);
  const until = ago(MIN);

  // Earlier, harmless edits (audit history).
  store.replace('flows', F.inventory._id, { ...F.inventory, schedule: cronEvery(6, 45) }, OPS_USER_ID, { at: ago(12 * DAY), source: 'ui' });
  F.inventory = store.flows.get(F.inventory._id)!;
  store.replace('connections', c.shopify._id, { ...c.shopify, http: { ...(c.shopify.http as object), concurrencyLevel: 3 } }, OPS_USER_ID, { at: ago(20 * DAY), source: 'ui' });

  const itemMasterRuns = runTimes(from, until, 6 * HOUR, 40 * MIN);
  const cancelAt = new Set([itemMasterRuns[2], itemMasterRuns[10], itemMasterRuns[18]]);
  for (const p of planned) {
    const times = runTimes(from, until, p.everyH * HOUR, p.minute * MIN + (p.everyH >= 24 ? 2 * HOUR : 0));
    scheduleRuns(sim, store, p.flow, times, DEMO_USER_ID, p.flow._id === F.itemMaster._id ? (job, t) => {
      if (cancelAt.has(t)) sim.add({ at: t + 3000, run: (x) => { cancelJob(store, job, OPS_USER_ID, x); } });
    } : undefined);
  }

  // 36 hours ago the integration user's Salesforce password expired: every flow on it fails from then on.
  sim.add({ at: ago(36 * HOUR), run: () => { store.hidden.badCredentials.add(c.salesforceIntegration._id); } });

  // Three days ago someone edited the Zendesk-user mapping and dropped LastName, 7 minutes before the next run.
  const usersRuns = runTimes(from, until, 2 * HOUR, 0);
  const firstBroken = usersRuns.find((t) => t >= ago(3 * DAY))!;
  sim.add({
    at: firstBroken - 7 * MIN,
    run: (t) => {
      const cur = store.imports.get(M.sfContactsFromZendesk._id)!;
      store.replace('imports', cur._id, { ...cur, mapping: { fields: zendeskUserFieldsAfter, lists: [] } }, OPS_USER_ID, { at: t, source: 'ui' });
      store.hidden.brokenMappings.set(cur._id, 'sfRequiredLastName');
    },
  });

  const stepOf = (f: Rec, stepId: string) => flowSteps(f).find((s) => s.stepId === stepId)!;
  const openOf = (f: Rec, stepId: string) => (store.errors.step(f._id, stepId)?.open ?? []).filter((e) => !e.retryJobId);
  // Retries that fixed intermittent errors, a manual resolve of bad-data errors, and a retry that could not help.
  sim.add({ at: ago(4 * DAY - 20 * MIN), run: (t) => { startRetry(store, F.caseComments, stepOf(F.caseComments, M.zendeskComments._id), openOf(F.caseComments, M.zendeskComments._id), OPS_USER_ID, t); } });
  sim.add({ at: ago(2 * DAY - 30 * MIN), run: (t) => { startRetry(store, F.zendeskTickets, stepOf(F.zendeskTickets, E.zendeskRequester._id), openOf(F.zendeskTickets, E.zendeskRequester._id), OPS_USER_ID, t); } });
  sim.add({
    at: ago(5 * DAY),
    run: (t) => {
      const open = openOf(F.sfOpportunities, M.nsSalesOrdersFromSf._id);
      store.errors.resolve(F.sfOpportunities._id, M.nsSalesOrdersFromSf._id, new Set(open), t, OPS_USER_ID);
    },
  });
  // A retry of every open error of a step from the web app's "Retry all" is a bulk_retry job (celigo-api.md W2).
  sim.add({ at: ago(20 * HOUR), run: (t) => { startRetry(store, F.sfAccounts, stepOf(F.sfAccounts, E.sfAccounts._id), openOf(F.sfAccounts, E.sfAccounts._id), DEMO_USER_ID, t, 'bulk_retry'); } });

  sim.run(until);

  // The platform refreshes the HubSpot connection's access token every 30 minutes, and each refresh is an
  // audit entry: enough of them that older changes, the mapping edit above among them, are on the
  // second page of the Link-paged audit log (celigo-api.md W4), as on a real busy account.
  for (let t = ago(4 * DAY) + 11 * MIN; t < until; t += 30 * MIN) {
    store.recordAudit('connections', c.hubspot._id, 'update', DEMO_USER_ID, t, [{ fieldPath: 'http.auth.token.token', oldValue: MASKED, newValue: MASKED }], 'system');
  }

  // Hooks (GET /scripts); content is only in GET /scripts/{id} (§9.3).
  for (const [name, description, content] of [
    ['Normalise phone numbers', 'preMap hook: E.164 phone numbers for Salesforce contacts', 'function preMap(options) {\n  return options.data.map((d) => ({ ...d, phone: (d.phone || "").replace(/[^+\\d]/g, "") }));\n}\n'],
    ['Skip test orders', 'preSavePage hook: drops Shopify orders tagged "test"', 'function preSavePage(options) {\n  return { data: options.data.filter((o) => !(o.tags || "").includes("test")), errors: options.errors };\n}\n'],
  ] as const) {
    const id = store.ids.objectId();
    store.scripts.set(id, { _id: id, name, description, content, createdAt: new Date(ago(90 * DAY)).toISOString(), lastModified: new Date(ago(30 * DAY)).toISOString() });
  }
}
