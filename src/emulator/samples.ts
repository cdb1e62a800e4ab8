// Deterministic sample records for POST /exports/{id}/invoke, shaped like the export's record type.
import { Rng, hash32 } from './rng.js';
import type { Rec } from './store.js';

type Obj = Record<string, unknown>;
const FIRST = ['Ava', 'Liam', 'Mia', 'Noah', 'Zoe', 'Ethan', 'Ivy', 'Lucas', 'Nora', 'Owen'];
const LAST = ['Garcia', 'Smith', 'Chen', 'Patel', 'Nguyen', 'Kim', 'Lopez', 'Brown', 'Silva', 'Muller'];
const COMPANY = ['Acme Corp', 'Globex', 'Initech', 'Umbrella Retail', 'Stark Supply', 'Wayne Foods', 'Hooli', 'Vandelay Imports'];
const SKU = ['SKU-1001', 'SKU-1002', 'SKU-2040', 'SKU-3310', 'SKU-4200', 'SKU-5005'];
const CITY = [['Austin', 'TX'], ['Denver', 'CO'], ['Seattle', 'WA'], ['Boston', 'MA'], ['Chicago', 'IL']];

function get(o: unknown, path: string): unknown {
  let v = o;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Obj)[k];
  }
  return v;
}

/** A normalised record type: customer, contact, order, item, ticket, ... or `record`. */
export function recordTypeOf(exp: Rec): string {
  const candidates = [
    get(exp, 'netsuite.restlet.recordType'), get(exp, 'netsuite.searches.0.recordType'), get(exp, 'netsuite.distributed.recordType'),
    get(exp, 'salesforce.sObjectType'), /from\s+(\w+)/i.exec(String(get(exp, 'salesforce.soql.query') ?? ''))?.[1],
    /\/([A-Za-z_]+?)(?:\.json)?(?:\?|$)/.exec(String(get(exp, 'http.relativeURI') ?? ''))?.[1],
    get(exp, 'ftp.fileNameStartsWith'), get(exp, 's3.keyStartsWith'), exp.name,
  ];
  const text = candidates.filter((c) => typeof c === 'string').join(' ').toLowerCase();
  const table: [RegExp, string][] = [
    [/salesorder|sales order|order/, 'order'], [/opportunit/, 'opportunity'], [/contact/, 'contact'], [/lead/, 'lead'],
    [/account|customer|compan/, 'customer'], [/inventory|item|product|price/, 'item'], [/ticket|case|comment/, 'ticket'],
    [/user/, 'user'], [/organi[sz]ation/, 'customer'], [/payout|charge|payment|deposit|transaction|invoice/, 'payment'],
  ];
  for (const [re, t] of table) if (re.test(text)) return t;
  return 'record';
}

function record(type: string, i: number, rng: Rng): Obj {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const [city, state] = rng.pick(CITY);
  const email = `${first}.${last}${i}@example.com`.toLowerCase();
  const day = `2026-01-${String(1 + rng.int(0, 13)).padStart(2, '0')}`;
  switch (type) {
    case 'order':
      return {
        id: 5_400_000_000 + rng.int(0, 999_999), order_number: 1000 + rng.int(0, 8999), created_at: `${day}T${String(rng.int(10, 23))}:15:00Z`,
        email, currency: 'USD', total_price: (rng.int(1500, 49900) / 100).toFixed(2), financial_status: rng.pick(['paid', 'pending', 'refunded']),
        customer: { id: 7_000_000 + rng.int(0, 99_999), first_name: first, last_name: last },
        line_items: [{ sku: rng.pick(SKU), quantity: rng.int(1, 4), price: (rng.int(500, 9900) / 100).toFixed(2) }],
        shipping_address: { city, province_code: state, country_code: 'US' },
      };
    case 'customer':
      return { id: String(10_000 + rng.int(0, 89_999)), companyname: rng.pick(COMPANY), email, phone: `+1-555-01${rng.int(10, 99)}`, subsidiary: 'Parent Company', billcity: city, billstate: state, lastmodifieddate: `${day}T08:00:00Z` };
    case 'contact':
    case 'lead':
      return { Id: `003${String(rng.int(1_000_000, 9_999_999))}AAA`, FirstName: first, LastName: last, Email: email, Title: rng.pick(['Buyer', 'CFO', 'Ops Manager', 'Developer']), MailingCity: city, MailingState: state, LastModifiedDate: `${day}T09:30:00.000+0000` };
    case 'user':
      // A help-desk user (Zendesk-like): the fields the demo's Zendesk-to-Salesforce mapping reads.
      return { id: 360_000_000 + rng.int(0, 999_999), name: `${first} ${last}`, first_name: first, last_name: last, email, phone: `+1-555-02${rng.int(10, 99)}`, organization: { name: rng.pick(COMPANY) }, role: 'end-user', updated_at: `${day}T11:00:00Z` };
    case 'opportunity':
      return { Id: `006${String(rng.int(1_000_000, 9_999_999))}AAA`, Name: `${rng.pick(COMPANY)} renewal`, StageName: rng.pick(['Prospecting', 'Negotiation', 'Closed Won']), Amount: rng.int(1000, 90000), CloseDate: day };
    case 'item':
      return { sku: rng.pick(SKU), internalid: String(rng.int(100, 9999)), displayname: `Widget ${rng.int(1, 99)}`, quantityavailable: rng.int(0, 500), location: rng.pick(['Main Warehouse', 'East DC', 'West DC']), baseprice: (rng.int(500, 19900) / 100).toFixed(2) };
    case 'ticket':
      return { id: 50_000 + rng.int(0, 9_999), subject: rng.pick(['Order not received', 'Refund request', 'Wrong size shipped', 'Login problem']), status: rng.pick(['new', 'open', 'pending', 'solved']), priority: rng.pick(['low', 'normal', 'high']), requester: { name: `${first} ${last}`, email }, created_at: `${day}T11:00:00Z` };
    case 'payment':
      return { id: `po_${rng.int(100000, 999999)}`, amount: rng.int(1000, 500000), currency: 'usd', status: rng.pick(['paid', 'in_transit']), arrival_date: day, description: 'STRIPE PAYOUT' };
    default:
      return { id: String(rng.int(1, 999_999)), name: `${first} ${last}`, email, updatedAt: `${day}T00:00:00Z` };
  }
}

export function sampleRecords(exp: Rec, count?: number): Obj[] {
  const rng = new Rng(hash32(exp._id));
  const type = recordTypeOf(exp);
  const n = count ?? rng.int(3, 5);
  return Array.from({ length: n }, (_, i) => record(type, i, rng));
}
