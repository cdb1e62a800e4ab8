// The demo account's flows: schedules, hidden profiles (volumes, intermittent errors) and groupings.
import type { FlowProfile, StepTarget } from '../behaviour.js';
import type { Rec } from '../store.js';
import { DAY, cronEvery } from './build.js';
import { DEMO } from './demo-names.js';
import { type DemoCtx, type DemoExports, type DemoImports, type DemoIntegrations, f1 } from './demo-resources.js';

const profile = (volume: [number, number], durationMs: number, targets: StepTarget[] = [], ignoreRate = 0.1): FlowProfile => ({ volume, durationMs, targets, ignoreRate });

/** A scheduled flow whose runs the history replays: every `everyH` hours at `minute` past. */
export interface PlannedFlow {
  flow: Rec;
  everyH: number;
  minute: number;
}

export function demoFlows({ b, ago }: DemoCtx, I: DemoIntegrations, E: DemoExports, M: DemoImports) {
  const fat = ago(55 * DAY);
  const tz = 'America/New_York';
  const pp = (x: Rec, type: 'import' | 'export' = 'import') => (type === 'import' ? { type, _importId: x._id, responseMapping: { fields: [], lists: [] } } : { type, _exportId: x._id, responseMapping: { fields: [f1('data[0].email', 'requesterEmail')], lists: [] } });
  const flow = (integration: Rec | undefined, name: string, pg: Rec, pps: Record<string, unknown>[], schedule: string | undefined, prof: FlowProfile, extra: Record<string, unknown> = {}) =>
    b.flow({ name, ...(integration ? { _integrationId: integration._id } : {}), schedule, timezone: tz, skipRetries: false, autoResolveMatchingTraceKeys: true, pageGenerators: [{ _exportId: pg._id, skipRetries: false }], pageProcessors: pps, ...extra }, prof, fat);

  const planned: PlannedFlow[] = [];
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
  return { F, planned };
}
export type DemoFlows = ReturnType<typeof demoFlows>['F'];

/** Intermittent failures on three flows, and the flow groupings of the Shopify integration. */
export function tuneDemoFlows({ store }: DemoCtx, I: DemoIntegrations, E: DemoExports, M: DemoImports, F: DemoFlows): void {
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
}
