// The demo account's resources: connections, integrations, exports, imports and the error tags.
import type { Rec, Store } from '../store.js';
import { type Builder, DAY } from './build.js';
import { DEMO } from './demo-names.js';

/** What every part of the demo seed works with: the store, a builder writing as the demo user, times before now. */
export interface DemoCtx {
  store: Store;
  b: Builder;
  ago: (ms: number) => number;
}

export const f1 = (extract: string, generate: string) => ({ extract, generate });
const m2 = (generate: string, extract: string, dataType = 'string') => ({ generate, extract, dataType, status: 'Active' });

/** The Zendesk-user mapping before and after the edit that dropped LastName (see seedDemoHistory). */
export const zendeskUserFields = {
  before: () => [f1('email', 'Email'), f1('first_name', 'FirstName'), f1('last_name', 'LastName'), f1('phone', 'Phone'), f1('organization.name', 'Account.Name')],
  after: () => [f1('email', 'Email'), f1('name', 'FirstName'), f1('phone', 'Phone'), f1('organization.name', 'Account.Name')],
};

export function demoConnections({ store, b, ago }: DemoCtx) {
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
  return c;
}
export type DemoConnections = ReturnType<typeof demoConnections>;

export function demoIntegrations({ b, ago }: DemoCtx, c: DemoConnections) {
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
  return I;
}
export type DemoIntegrations = ReturnType<typeof demoIntegrations>;

export function demoExports({ b, ago }: DemoCtx, c: DemoConnections) {
  const at = ago(58 * DAY);
  const nsExport = (name: string, recordType: string, searchId: string, conn = c.netsuite, integrationId?: string) =>
    b.exportOf({ name, _connectionId: conn._id, adaptorType: 'NetSuiteExport', type: 'delta', delta: { dateField: 'lastmodifieddate' }, netsuite: { type: 'restlet', skipGrouping: true, restlet: { recordType, searchId } }, traceKeyTemplate: '{{record.id}}', ...(integrationId ? { _integrationId: integrationId } : {}) }, at);
  const sfExport = (name: string, sObjectType: string, fields: string) =>
    b.exportOf({ name, _connectionId: c.salesforceIntegration._id, adaptorType: 'SalesforceExport', type: 'delta', delta: { dateField: 'LastModifiedDate' }, salesforce: { type: 'soql', sObjectType, soql: { query: `SELECT ${fields} FROM ${sObjectType} WHERE LastModifiedDate > {{lastExportDateTime}}` } }, traceKeyTemplate: '{{record.Id}}' }, at);
  const httpExport = (name: string, conn: Rec, relativeURI: string, resourcePath: string, extra: Record<string, unknown> = {}) =>
    b.exportOf({ name, _connectionId: conn._id, adaptorType: 'HTTPExport', type: 'delta', http: { method: 'GET', relativeURI, successMediaType: 'json', response: { resourcePath }, paging: { method: 'linkheader' } }, ...extra }, at);

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
  return E;
}
export type DemoExports = ReturnType<typeof demoExports>;

export function demoImports({ b, ago }: DemoCtx, c: DemoConnections) {
  const at = ago(58 * DAY);
  const nsImport = (name: string, recordType: string, fields: Record<string, unknown>[], lists: Record<string, unknown>[] = []) =>
    b.importOf({ name, _connectionId: c.netsuite._id, adaptorType: 'NetSuiteDistributedImport', distributed: true, netsuite_da: { recordType, operation: 'addupdate', internalIdLookup: { expression: '["externalid","is","{{{id}}}"]' } }, mapping: { fields, lists } }, at);
  const sfImport = (name: string, conn: Rec, sObjectType: string, externalIdField: string, fields: Record<string, unknown>[]) =>
    b.importOf({ name, _connectionId: conn._id, adaptorType: 'SalesforceImport', salesforce: { operation: 'upsert', sObjectType, upsert: { externalIdField } }, mapping: { fields, lists: [] } }, at);
  const httpImport = (name: string, conn: Rec, method: string, relativeURI: string, mappings: Record<string, unknown>[]) =>
    b.importOf({ name, _connectionId: conn._id, adaptorType: 'HTTPImport', http: { method: [method], relativeURI: [relativeURI], requestMediaType: 'json', successMediaType: 'json', response: { resourceIdPath: ['id'] } }, mappings }, at);

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
    sfContactsFromZendesk: sfImport('Upsert Salesforce contacts from Zendesk users', c.salesforce, 'Contact', 'Email', zendeskUserFields.before()),
    zendeskComments: httpImport('Add Zendesk ticket comments', c.zendesk, 'PUT', '/tickets/{{{data.Zendesk_Ticket_Id__c}}}.json', [{ generate: 'ticket', dataType: 'object', status: 'Active', mappings: [{ generate: 'comment', dataType: 'object', status: 'Active', mappings: [m2('body', '$.CommentBody'), m2('public', '$.IsPublished', 'boolean')] }] }]),
    s3Transactions: b.importOf({ name: 'Archive NetSuite transactions to S3', _connectionId: c.s3._id, adaptorType: 'S3Import', s3: { region: 'us-east-1', bucket: 'acme-archive', fileKey: 'netsuite/transactions-{{timestamp}}.json' }, file: { type: 'json' } }, at),
    s3Orders: b.importOf({ name: 'Archive Shopify orders to S3', _connectionId: c.s3._id, adaptorType: 'S3Import', s3: { region: 'us-east-1', bucket: 'acme-archive', fileKey: 'shopify/orders-{{timestamp}}.json' }, file: { type: 'json' } }, at),
    nsDeposits: nsImport('Create NetSuite deposits', 'deposit', [f1('id', 'externalid'), f1('amount', 'payment'), f1('arrival_date', 'trandate')]),
    nsPayments: nsImport('Create NetSuite customer payments', 'customerpayment', [f1('id', 'externalid'), f1('customer', 'customer'), f1('amount', 'payment')]),
    sfLeads: sfImport('Upsert Salesforce leads', c.salesforce, 'Lead', 'Email', [f1('properties.email', 'Email'), f1('properties.firstname', 'FirstName'), f1('properties.lastname', 'LastName'), f1('properties.company', 'Company')]),
    hubspotStatus: httpImport('Update HubSpot lead status', c.hubspot, 'PATCH', '/crm/v3/objects/contacts/{{{data.Email}}}?idProperty=email', [m2('properties.hs_lead_status', '$.Status')]),
    nsFxRates: nsImport('Update NetSuite currency rates', 'currencyrate', [f1('base', 'basecurrency'), f1('rates.EUR', 'exchangerate')]),
  };
  return M;
}
export type DemoImports = ReturnType<typeof demoImports>;

/** The error tags, and the state the SFTP inventory import keeps. */
export function demoErrorTags({ store, b, ago }: DemoCtx, M: DemoImports): void {
  // /tags holds the labels people put on errors; integrations carry their one tag in `tag` (demoIntegrations).
  for (const [tag, tagId] of [['investigating', 'inv001'], ['known issue', 'known1'], ['waiting on vendor', 'vend01'], ['needs data fix', 'data01']]) {
    b.create('tags', { tag, tagId }, ago(50 * DAY));
  }
  // Flow state an import keeps (GET /imports/{id}/state).
  store.scopedState.set(`imports/${M.ftpInventoryFile._id}`, new Map<string, unknown>([['lastFileSequence', 1042]]));
}
