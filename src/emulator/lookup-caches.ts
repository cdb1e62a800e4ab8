// Lookup caches (celigo-api.md §4.5): a cache object and its string key/value data. Kept in their own map
// on the store, outside the collections the seeds pin, with ids that never draw on the id counter.
import { iso } from './clock.js';
import type { Rec, Store } from './store.js';

export interface LookupCache {
  doc: Rec;
  /** key -> value (values are strings, §4.5). */
  data: Map<string, string>;
}

/** Most keys one getData answers (§1.7: "up to 1000 keys per getData call"). */
export const GET_DATA_MAX = 1000;

/** `sizeInMB` as the AI schema shows it: "0 MB", "<5 MB", then steps of 5 up to "50 MB". */
export function sizeInMB(bytes: number): string {
  if (bytes === 0) return '0 MB';
  const mb = bytes / (1024 * 1024);
  if (mb < 5) return '<5 MB';
  return `${Math.min(50, Math.ceil(mb / 5) * 5)} MB`;
}

export function cacheSize(c: LookupCache): number {
  let n = 0;
  for (const [k, v] of c.data) n += Buffer.byteLength(k) + Buffer.byteLength(v);
  return n;
}

/** The cache as the API answers it: its fields plus the read-only `size` (bytes) and `sizeInMB`. */
export function renderCache(c: LookupCache): Rec {
  const size = cacheSize(c);
  return { ...c.doc, size, sizeInMB: sizeInMB(size) };
}

export function createCache(store: Store, id: string, fields: Record<string, unknown>, by: string, at = store.now()): LookupCache {
  const c: LookupCache = { doc: { _id: id, ...fields, _userId: by, createdAt: iso(at), lastModified: iso(at) }, data: new Map() };
  store.lookupCaches.set(id, c);
  return c;
}

const integrationNamed = (store: Store, name: string): string | undefined => [...store.integrations.values()].find((i) => i.name === name)?._id;

/**
 * The demo account's two caches: SKU -> NetSuite item (1,200 keys: more than one getData answer holds)
 * and Salesforce account -> NetSuite customer (60 keys). Fixed ids; nothing drawn from the seed's rng.
 */
export function seedDemoLookupCaches(store: Store, by: string): void {
  const day = 86_400_000;
  const skus = createCache(store, '665f1c0dec0000000000c001', {
    name: 'Shopify SKU to NetSuite Item',
    description: 'Shopify SKUs to NetSuite internal item ids, for the order import',
    _integrationId: integrationNamed(store, 'Shopify - NetSuite Orders'),
  }, by, store.now() - 30 * day);
  for (let i = 0; i < 1200; i++) skus.data.set(`SKU-${10001 + i}`, JSON.stringify({ nsId: String(40000 + i * 7), name: `Item ${10001 + i}` }));
  const accounts = createCache(store, '665f1c0dec0000000000c002', {
    name: 'Salesforce Account to NetSuite Customer',
    _integrationId: integrationNamed(store, 'Salesforce - NetSuite Customers'),
  }, by, store.now() - 12 * day);
  for (let i = 0; i < 60; i++) accounts.data.set(`001A0000${String(i).padStart(10, '0')}`, String(8100 + i));
}
