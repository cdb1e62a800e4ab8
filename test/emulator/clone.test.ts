import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, byName, start } from '../helpers/emulator.js';

let h: Harness;
beforeAll(async () => { h = await start(); });
afterAll(async () => { await h.emu.close(); });

describe('clone, dependencies, template, invoke', () => {
  it('previews an integration clone: the integration, its flows, their steps and every connection to map', async () => {
    const src = byName(h, 'integrations', 'Stripe Payments to NetSuite');
    const r = await h.get(`/integrations/${src._id}/clone/preview`);
    expect(r.status).toBe(200);
    const models = r.body.objects.map((o: any) => o.model);
    expect(models.filter((m: string) => m === 'Integration')).toHaveLength(1);
    expect(models.filter((m: string) => m === 'Flow')).toHaveLength(2);
    const flows = (await h.get(`/integrations/${src._id}/flows`)).body;
    expect(r.body.objects.filter((o: any) => o.model === 'Flow').map((o: any) => o.doc._id).sort()).toEqual(flows.map((f: any) => f._id).sort());
    const conns = r.body.objects.filter((o: any) => o.model === 'Connection').map((o: any) => o.doc);
    expect(conns.map((c: any) => c._id).sort()).toEqual([...src._registeredConnectionIds].sort());
    for (const c of conns) expect(c).toMatchObject({ _id: expect.any(String), name: expect.any(String), type: expect.any(String) });
    expect(r.text).not.toContain('shpat_');
    expect((await h.get('/integrations/665f00000000000000000000/clone/preview')).status).toBe(404);
  });

  it('clones an integration with a full connectionMap: 201 and the list of created components', async () => {
    const src = byName(h, 'integrations', 'Stripe Payments to NetSuite');
    const preview = (await h.get(`/integrations/${src._id}/clone/preview`)).body.objects;
    const connectionMap = Object.fromEntries(preview.filter((o: any) => o.model === 'Connection').map((o: any) => [o.doc._id, o.doc._id]));
    const r = await h.api('POST', `/integrations/${src._id}/clone`, { name: 'Stripe (copy)', tag: 'finance', connectionMap });
    expect(r.status).toBe(201);
    expect(Array.isArray(r.body)).toBe(true);
    const byModel = (m: string) => r.body.filter((c: any) => c.model === m);
    expect(byModel('Integration')).toHaveLength(1);
    expect(byModel('Flow')).toHaveLength(2);
    expect(byModel('Export').length).toBeGreaterThan(0);
    expect(byModel('Import').length).toBeGreaterThan(0);
    expect(byModel('Connection')).toHaveLength(0);
    const newId = byModel('Integration')[0]._id;
    expect(newId).not.toBe(src._id);
    const integ = (await h.get(`/integrations/${newId}`)).body;
    expect(integ).toMatchObject({ name: 'Stripe (copy)', tag: 'finance', _registeredConnectionIds: src._registeredConnectionIds });
    const flows = (await h.get(`/integrations/${newId}/flows`)).body;
    expect(flows.map((f: any) => f.name).sort()).toEqual(['Stripe Charges to NetSuite Customer Payments', 'Stripe Payouts to NetSuite Deposits']);
    expect(flows.map((f: any) => f._id).sort()).toEqual(byModel('Flow').map((c: any) => c._id).sort());
    for (const f of flows) expect(f.disabled).toBe(true);
    const srcExports = (await h.get(`/integrations/${src._id}/exports`)).body.map((e: any) => e._id);
    const newExports = (await h.get(`/integrations/${newId}/exports`)).body.map((e: any) => e._id);
    for (const e of newExports) expect(srcExports).not.toContain(e);
    expect(newExports.sort()).toEqual(byModel('Export').map((c: any) => c._id).sort());
    // Every component named exists.
    for (const c of r.body) expect((await h.get(`/${c.model.toLowerCase()}s/${c._id}`)).status).toBe(200);
  });

  it('integration clone: 400 invalid_connectionMap when the map misses a previewed connection or names an unknown one', async () => {
    const src = byName(h, 'integrations', 'Stripe Payments to NetSuite');
    const [first, ...rest] = src._registeredConnectionIds as string[];
    const count = h.emu.store.integrations.size;
    const noMap = await h.api('POST', `/integrations/${src._id}/clone`, { name: 'No map' });
    expect(noMap.status).toBe(400);
    expect(noMap.body.errors[0]).toMatchObject({ code: 'invalid_connectionMap', field: 'connectionMap' });
    const partial = await h.api('POST', `/integrations/${src._id}/clone`, { name: 'Partial', connectionMap: Object.fromEntries(rest.map((c) => [c, c])) });
    expect(partial.status).toBe(400);
    expect(partial.body.errors[0].message).toContain(first);
    const unknown = await h.api('POST', `/integrations/${src._id}/clone`, { name: 'Unknown', connectionMap: { ...Object.fromEntries(rest.map((c) => [c, c])), [first]: '665f00000000000000000000' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ code: 'invalid_connectionMap', field: `connectionMap.${first}` });
    expect(h.emu.store.integrations.size).toBe(count);
  });

  it('clones a flow: preview, _integrationId required, connectionMap must cover its connections', async () => {
    const flow = byName(h, 'flows', 'HubSpot Contacts to Salesforce Leads');
    const target = byName(h, 'integrations', 'Amazon S3 Archive');
    const preview = (await h.get(`/flows/${flow._id}/clone/preview`)).body.objects;
    expect(preview.filter((o: any) => o.model === 'Flow').map((o: any) => o.doc._id)).toEqual([flow._id]);
    expect(preview.some((o: any) => o.model === 'Integration')).toBe(false);
    const hub = byName(h, 'connections', 'HubSpot');
    const sf = byName(h, 'connections', 'Salesforce Production');
    const sf2 = byName(h, 'connections', 'Salesforce - Integration User');
    expect(preview.filter((o: any) => o.model === 'Connection').map((o: any) => o.doc._id).sort()).toEqual([hub._id, sf._id].sort());
    expect((await h.api('POST', `/flows/${flow._id}/clone`, {})).body.errors[0]).toMatchObject({ code: 'invalid_field', field: '_integrationId' });
    const unknown = await h.api('POST', `/flows/${flow._id}/clone`, { _integrationId: '665f00000000000000000000' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toEqual({ code: 'invalid_ref', message: 'Integration not found for the given id', field: '_integrationId' });
    const noMap = await h.api('POST', `/flows/${flow._id}/clone`, { _integrationId: target._id });
    expect(noMap.status).toBe(400);
    expect(noMap.body.errors[0].code).toBe('invalid_connectionMap');
    const missing = await h.api('POST', `/flows/${flow._id}/clone`, { _integrationId: target._id, connectionMap: { [hub._id]: hub._id } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].message).toContain(sf._id);
    const ok = await h.api('POST', `/flows/${flow._id}/clone`, { _integrationId: target._id, name: 'Leads copy', _flowGroupingId: null, connectionMap: { [hub._id]: hub._id, [sf._id]: sf2._id } });
    expect(ok.status).toBe(201);
    expect(ok.body.map((c: any) => c.model).sort()).toEqual(['Export', 'Flow', 'Import']);
    const copy = (await h.get(`/flows/${ok.body.find((c: any) => c.model === 'Flow')._id}`)).body;
    expect(copy).toMatchObject({ name: 'Leads copy', _integrationId: target._id, disabled: true });
    const imp = (await h.get(`/imports/${copy.pageProcessors[0]._importId}`)).body;
    expect(imp._id).toBe(ok.body.find((c: any) => c.model === 'Import')._id);
    expect(imp._connectionId).toBe(sf2._id);
    // W12: "none" clones it as a standalone flow.
    const standalone = await h.api('POST', `/flows/${flow._id}/clone`, { _integrationId: 'none', connectionMap: { [hub._id]: hub._id, [sf._id]: sf._id } });
    expect(standalone.status).toBe(201);
    const lone = (await h.get(`/flows/${standalone.body.find((c: any) => c.model === 'Flow')._id}`)).body;
    expect(lone._integrationId).toBeUndefined();
    expect(lone.name).toBe('Clone - HubSpot Contacts to Salesforce Leads');
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
