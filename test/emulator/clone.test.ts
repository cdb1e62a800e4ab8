import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, byName, start } from './helpers.js';

let h: Harness;
beforeAll(async () => { h = await start(); });
afterAll(async () => { await h.emu.close(); });

describe('clone, dependencies, template, invoke', () => {
  it('clones an integration with its flows, exports and imports', async () => {
    const src = byName(h, 'integrations', 'Stripe Payments to NetSuite');
    const r = await h.api('POST', `/integrations/${src._id}/clone`, { name: 'Stripe (copy)' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Stripe (copy)', _registeredConnectionIds: src._registeredConnectionIds });
    expect(r.body._id).not.toBe(src._id);
    const flows = (await h.get(`/integrations/${r.body._id}/flows`)).body;
    expect(flows.map((f: any) => f.name).sort()).toEqual(['Stripe Charges to NetSuite Customer Payments', 'Stripe Payouts to NetSuite Deposits']);
    for (const f of flows) expect(f.disabled).toBe(true);
    const srcExports = (await h.get(`/integrations/${src._id}/exports`)).body.map((e: any) => e._id);
    for (const e of (await h.get(`/integrations/${r.body._id}/exports`)).body) expect(srcExports).not.toContain(e._id);
  });

  it('clones a flow: _integrationId required, connectionMap must cover its connections', async () => {
    const flow = byName(h, 'flows', 'HubSpot Contacts to Salesforce Leads');
    const target = byName(h, 'integrations', 'Amazon S3 Archive');
    expect((await h.api('POST', `/flows/${flow._id}/clone`, {})).body.errors[0]).toMatchObject({ code: 'invalid_field', field: '_integrationId' });
    const unknown = await h.api('POST', `/flows/${flow._id}/clone`, { _integrationId: '665f00000000000000000000' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toEqual({ code: 'invalid_ref', message: 'Integration not found for the given id', field: '_integrationId' });
    const noMap = await h.api('POST', `/flows/${flow._id}/clone`, { _integrationId: target._id });
    expect(noMap.status).toBe(400);
    expect(noMap.body.errors[0].code).toBe('invalid_connectionMap');
    const hub = byName(h, 'connections', 'HubSpot');
    const sf = byName(h, 'connections', 'Salesforce Production');
    const sf2 = byName(h, 'connections', 'Salesforce - Integration User');
    const ok = await h.api('POST', `/flows/${flow._id}/clone`, { _integrationId: target._id, name: 'Leads copy', connectionMap: { [hub._id]: hub._id, [sf._id]: sf2._id } });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ name: 'Leads copy', _integrationId: target._id, disabled: true });
    const imp = (await h.get(`/imports/${ok.body.pageProcessors[0]._importId}`)).body;
    expect(imp._connectionId).toBe(sf2._id);
  });

  it('dependencies list who uses what', async () => {
    const conn = byName(h, 'connections', 'Zendesk - acme.zendesk.com');
    const d = (await h.get(`/connections/${conn._id}/dependencies`)).body;
    expect(Object.keys(d)).toEqual(['integrations', 'flows', 'exports', 'imports', 'connections']);
    expect(d.integrations.map((x: any) => x.name)).toEqual(['HTTP Webhooks - Zendesk to Salesforce']);
    expect(d.flows.map((x: any) => x.name).sort()).toEqual(['Salesforce Case Comments to Zendesk', 'Zendesk Tickets to Salesforce Cases', 'Zendesk Users to Salesforce Contacts']);
    const exp = byName(h, 'exports', 'Get Shopify orders');
    // Entries carry `id`, not `_id` (celigo-api.md W7).
    expect((await h.get(`/exports/${exp._id}/dependencies`)).body.flows).toEqual([{ id: expect.any(String), name: 'Shopify Orders to NetSuite Sales Orders' }]);
    const integ = byName(h, 'integrations', 'NetSuite - FTP Inventory Export');
    const di = (await h.get(`/integrations/${integ._id}/dependencies`)).body;
    expect(di.connections.map((c: any) => c.name).sort()).toEqual(['3PL Partner SFTP', 'Acme Warehouse SFTP', 'NetSuite Production']);
    expect(di.flows).toHaveLength(4);
    expect(di.integrations).toEqual([]);
  });

  it('template answers a signed URL serving a JSON description with masked secrets', async () => {
    const integ = byName(h, 'integrations', 'Shopify - NetSuite Orders');
    const r = await h.get(`/integrations/${integ._id}/template`);
    expect(r.body.signedURL).toMatch(new RegExp(`^${h.emu.url}/__emulator/downloads/`));
    const doc = await (await fetch(r.body.signedURL)).json();
    expect(doc.integration._id).toBe(integ._id);
    expect(doc.flows).toHaveLength(5);
    expect(JSON.stringify(doc)).not.toContain('shpat_');
    const flow = byName(h, 'flows', 'Shopify Orders to NetSuite Sales Orders');
    const ft = await (await fetch((await h.get(`/flows/${flow._id}/template`)).body.signedURL)).json();
    expect(ft.flows[0]._id).toBe(flow._id);
  });

  it('invoke returns deterministic sample records shaped like the record type', async () => {
    const exp = byName(h, 'exports', 'Get Shopify orders');
    const a = await h.api('POST', `/exports/${exp._id}/invoke`, {});
    expect(a.status).toBe(200);
    expect(a.body.data.length).toBeGreaterThanOrEqual(3);
    expect(a.body.data[0]).toMatchObject({ order_number: expect.any(Number), line_items: expect.any(Array), email: expect.stringContaining('@') });
    expect((await h.api('POST', `/exports/${exp._id}/invoke`, {})).body).toEqual(a.body);
    const contacts = byName(h, 'exports', 'Get Salesforce contacts');
    const c = await h.api('POST', `/exports/${contacts._id}/invoke`, {});
    expect(c.status).toBe(422);
    expect(c.body.errors[0].code).toBe('invalid_credentials');
    const items = byName(h, 'exports', 'NetSuite item master');
    expect((await h.api('POST', `/exports/${items._id}/invoke`)).body.data[0]).toHaveProperty('sku');
  });
});
