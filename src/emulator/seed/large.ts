// The large account, for paging, scale and speed tests: 220 integrations, 2,200 flows, ~26,000 flow jobs
// in the last 24 hours and over 50,000 open errors. Built without audit entries to stay fast and compact;
// history still goes through the real job state machine, so the wire behaviour matches the demo seed.
// `scale` N builds N times the integrations (so flows, exports, imports, jobs and errors) with the same
// per-integration profile, and N times the connections per application. Scale 1 is the store tests and
// benchmarks pin: the loops below only run longer, so the first 220 integrations draw the same random
// numbers in the same order (their ids differ at N > 1: the extra connections are created first).
import type { FlowProfile, PatternKey } from '../behaviour.js';
import { Rng } from '../rng.js';
import type { Rec, Store } from '../store.js';
import { DEMO_USER_ID } from '../tokens.js';
import { Builder, DAY, HOUR, MIN, Simulation, cronEvery, runTimes, scheduleRuns } from './build.js';

const APPS: { app: string; type: string; exportAdaptor: string; importAdaptor: string }[] = [
  { app: 'NetSuite', type: 'netsuite', exportAdaptor: 'NetSuiteExport', importAdaptor: 'NetSuiteDistributedImport' },
  { app: 'Salesforce', type: 'salesforce', exportAdaptor: 'SalesforceExport', importAdaptor: 'SalesforceImport' },
  { app: 'Shopify', type: 'http', exportAdaptor: 'HTTPExport', importAdaptor: 'HTTPImport' },
  { app: 'Zendesk', type: 'http', exportAdaptor: 'HTTPExport', importAdaptor: 'HTTPImport' },
  { app: 'SFTP', type: 'ftp', exportAdaptor: 'FTPExport', importAdaptor: 'FTPImport' },
  { app: 'Amazon S3', type: 's3', exportAdaptor: 'S3Export', importAdaptor: 'S3Import' },
  { app: 'PostgreSQL', type: 'rdbms', exportAdaptor: 'RDBMSExport', importAdaptor: 'RDBMSImport' },
  { app: 'HubSpot', type: 'http', exportAdaptor: 'HTTPExport', importAdaptor: 'HTTPImport' },
];
const NOUNS = ['Orders', 'Customers', 'Invoices', 'Items', 'Contacts', 'Payments', 'Shipments', 'Tickets', 'Vendors', 'Returns'];
const FLAKY: PatternKey[] = ['http429', 'zendesk503', 'timeout'];
const DATA: PatternKey[] = ['nsInvalidRef', 'nsDuplicate', 'http422'];
const MAPPING: PatternKey[] = ['sfRequiredLastName', 'mappingGeneric'];

export const LARGE = { integrations: 220, flowsPerIntegration: 10, connectionsPerApp: 40, runEveryHours: 2 } as const;

/** Largest `scale` accepted: ×20 is about 1.7 million jobs and 1.1 million open errors. */
export const MAX_LARGE_SCALE = 20;
/** Most days of run history the large seed builds (the health check reads its window and 7 days before). */
export const MAX_LARGE_HISTORY_DAYS = 14;

/**
 * `historyDays` (default 1, the pinned store): days of scheduled runs before now. 8 fills the health
 * check's 7-day baseline as well as its window: eight times the jobs on the same flows.
 */
export function seedLarge(store: Store, scale = 1, historyDays = 1): void {
  const perApp = LARGE.connectionsPerApp * scale;
  const now = store.now();
  const b = new Builder(store, DEMO_USER_ID, false);
  const rng = new Rng(0x1a29e);
  const at = now - 30 * DAY;

  const conns: Rec[][] = APPS.map((a, ai) => Array.from({ length: perApp }, (_, k) => {
    const rec = b.connection({ name: `${a.app} ${k + 1}`, type: a.type, [a.type]: { host: `${a.app.toLowerCase().replace(/\s/g, '')}-${k + 1}.example.com`, password: `secret-${ai}-${k}` } }, at);
    if (k % 37 === 36) store.hidden.badCredentials.add(rec._id);
    if (k % 53 === 52) rec.offline = true;
    return rec;
  }));
  store.hidden.scopedConnections.add(conns[4][0]._id);
  store.hidden.scopedConnections.add(conns[5][0]._id);

  const sim = new Simulation(store);
  const from = now - historyDays * DAY;
  const until = now - MIN;
  for (let i = 0; i < LARGE.integrations * scale; i++) {
    const src = APPS[i % APPS.length];
    const dst = APPS[(i * 3 + 1) % APPS.length === i % APPS.length ? (i + 1) % APPS.length : (i * 3 + 1) % APPS.length];
    const noun = NOUNS[i % NOUNS.length];
    const srcConn = conns[APPS.indexOf(src)][i % perApp];
    const dstConn = conns[APPS.indexOf(dst)][(i * 7) % perApp];
    const integ = b.create('integrations', { name: `${src.app} - ${dst.app} ${noun} #${i + 1}`, sandbox: false, flowGroupings: [], _registeredConnectionIds: [srcConn._id, dstConn._id] }, at);
    for (let k = 0; k < LARGE.flowsPerIntegration; k++) {
      const what = NOUNS[(i + k) % NOUNS.length];
      const exp = b.exportOf({ name: `Get ${src.app} ${what} ${i + 1}.${k + 1}`, _connectionId: srcConn._id, adaptorType: src.exportAdaptor, type: 'delta' }, at);
      const imp = b.importOf({ name: `Upsert ${dst.app} ${what} ${i + 1}.${k + 1}`, _connectionId: dstConn._id, adaptorType: dst.importAdaptor, mapping: { fields: [{ extract: 'id', generate: 'externalId' }], lists: [] } }, at);
      const pps: Record<string, unknown>[] = [];
      let lookup: Rec | undefined;
      if (rng.chance(0.3)) {
        lookup = b.exportOf({ name: `Lookup ${dst.app} ${what} ${i + 1}.${k + 1}`, _connectionId: dstConn._id, adaptorType: dst.exportAdaptor, isLookup: true }, at);
        pps.push({ type: 'export', _exportId: lookup._id });
      }
      pps.push({ type: 'import', _importId: imp._id });
      const profile: FlowProfile = { volume: [5, 30], durationMs: 2000 + rng.int(0, 4000), targets: [], ignoreRate: 0.1 };
      const r = rng.next();
      if (r < 0.3) profile.targets.push({ stepId: imp._id, pattern: rng.pick(FLAKY), p: 0.5, min: 1, max: 5 });
      else if (r < 0.45) profile.targets.push({ stepId: lookup?._id ?? imp._id, pattern: rng.pick(DATA), p: 0.6, min: 1, max: 4 });
      if (rng.chance(0.35)) store.hidden.brokenMappings.set(imp._id, rng.pick(MAPPING));
      const minute = rng.int(0, 119);
      const disabled = k === 9 && i % 4 === 0;
      const flow = b.flow({
        name: `${src.app} ${what} to ${dst.app} ${i + 1}.${k + 1}`, _integrationId: integ._id, disabled,
        schedule: cronEvery(LARGE.runEveryHours, minute % 60, Math.floor(minute / 60)), timezone: 'UTC',
        pageGenerators: [{ _exportId: exp._id }], pageProcessors: pps,
      }, profile, at);
      if (!disabled) scheduleRuns(sim, store, flow, runTimes(from, until, LARGE.runEveryHours * HOUR, minute * MIN), DEMO_USER_ID, undefined, true);
    }
  }
  sim.run(until);
}
