// The demo account's week of history, replayed through the job state machine: scheduled runs (three
// canceled), a Salesforce password that expires, the mapping edit that breaks a flow, retries and a manual
// resolve; then the extras of a busy account (token refresh audit entries, scripts).
import { MASKED } from '../../core/schemas.js';
import { flowSteps } from '../flow-steps.js';
import { cancelJob, startRetry } from '../jobs.js';
import type { Rec } from '../store.js';
import { DEMO_USER_ID, OPS_USER_ID } from '../tokens.js';
import { DAY, HOUR, MIN, Simulation, cronEvery, runTimes, scheduleRuns } from './build.js';
import type { DemoFlows, PlannedFlow } from './demo-flows.js';
import { type DemoConnections, type DemoCtx, type DemoExports, type DemoImports, zendeskUserFields } from './demo-resources.js';

export interface DemoResources {
  c: DemoConnections;
  E: DemoExports;
  M: DemoImports;
  F: DemoFlows;
  planned: PlannedFlow[];
}

/** History ends a minute before now. */
const untilOf = (ctx: DemoCtx): number => ctx.ago(MIN);

export function seedDemoHistory(ctx: DemoCtx, r: DemoResources): void {
  const { store, ago } = ctx;
  const { c, F } = r;
  const sim = new Simulation(store);
  const from = ago(7 * DAY);
  const until = untilOf(ctx);

  // Earlier, harmless edits (audit history).
  store.replace('flows', F.inventory._id, { ...F.inventory, schedule: cronEvery(6, 45) }, OPS_USER_ID, { at: ago(12 * DAY), source: 'ui' });
  F.inventory = store.flows.get(F.inventory._id)!;
  store.replace('connections', c.shopify._id, { ...c.shopify, http: { ...(c.shopify.http as object), concurrencyLevel: 3 } }, OPS_USER_ID, { at: ago(20 * DAY), source: 'ui' });

  scheduleDemoRuns(ctx, sim, r, from, until);

  // 36 hours ago the integration user's Salesforce password expired: every flow on it fails from then on.
  sim.add({ at: ago(36 * HOUR), run: () => { store.hidden.badCredentials.add(c.salesforceIntegration._id); } });

  addMappingEdit(ctx, sim, r.M, from, until);
  addRetries(ctx, sim, r);
  sim.run(until);
}

/** Every planned flow's runs; three runs of the item master flow are canceled 3 s after they start. */
function scheduleDemoRuns({ store }: DemoCtx, sim: Simulation, { F, planned }: DemoResources, from: number, until: number): void {
  const itemMasterRuns = runTimes(from, until, 6 * HOUR, 40 * MIN);
  const cancelAt = new Set([itemMasterRuns[2], itemMasterRuns[10], itemMasterRuns[18]]);
  for (const p of planned) {
    const times = runTimes(from, until, p.everyH * HOUR, p.minute * MIN + (p.everyH >= 24 ? 2 * HOUR : 0));
    scheduleRuns(sim, store, p.flow, times, DEMO_USER_ID, p.flow._id === F.itemMaster._id ? (job, t) => {
      if (cancelAt.has(t)) sim.add({ at: t + 3000, run: (x) => { cancelJob(store, job, OPS_USER_ID, x); } });
    } : undefined);
  }
}

function addMappingEdit({ store, ago }: DemoCtx, sim: Simulation, M: DemoImports, from: number, until: number): void {
  // Three days ago someone edited the Zendesk-user mapping and dropped LastName, 7 minutes before the next run.
  const usersRuns = runTimes(from, until, 2 * HOUR, 0);
  const firstBroken = usersRuns.find((t) => t >= ago(3 * DAY))!;
  sim.add({
    at: firstBroken - 7 * MIN,
    run: (t) => {
      const cur = store.imports.get(M.sfContactsFromZendesk._id)!;
      store.replace('imports', cur._id, { ...cur, mapping: { fields: zendeskUserFields.after(), lists: [] } }, OPS_USER_ID, { at: t, source: 'ui' });
      store.hidden.brokenMappings.set(cur._id, 'sfRequiredLastName');
    },
  });
}

function addRetries({ store, ago }: DemoCtx, sim: Simulation, { E, M, F }: DemoResources): void {
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
}

export function seedDemoExtras(ctx: DemoCtx, c: DemoConnections): void {
  const { store, ago } = ctx;
  const until = untilOf(ctx);
  // The platform refreshes the HubSpot connection's access token every 30 minutes, and each refresh is an
  // audit entry: enough of them that older changes, the mapping edit among them, are on the
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
