import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connection, flow, integration, tag } from '../../src/core/schemas.js';
import { HEX24, type Harness, ISO_MS, START, byName, start } from '../helpers/emulator.js';

let h: Harness;
beforeAll(async () => { h = await start(); });
afterAll(async () => { await h.emu.close(); });

describe('create, replace, patch, delete', () => {
  it('POST answers 201 with server fields', async () => {
    const r = await h.api('POST', '/integrations', { name: 'Test integration', description: 'made by a test' });
    expect(r.status).toBe(201);
    const i = integration.parse(r.body);
    expect(i._id).toMatch(HEX24);
    expect(i.createdAt).toMatch(ISO_MS);
    expect(i.createdAt).toBe(new Date(START).toISOString());
    expect(i.lastModified).toBe(i.createdAt);
    expect(r.body.lastModifiedBy).toBe('65f1c0de00000000000000a1');
    expect((await h.get(`/integrations/${i._id}`)).body).toEqual(r.body);
  });

  it('ids are deterministic across runs of the same seed', async () => {
    const other = await start();
    try {
      expect([...h.emu.store.flows.keys()]).toEqual([...other.emu.store.flows.keys()]);
      expect([...h.emu.store.connections.keys()]).toEqual([...other.emu.store.connections.keys()]);
      const fresh1 = await start();
      try {
        const a = await fresh1.api('POST', '/tags', { tag: 'one' });
        const b = await other.api('POST', '/tags', { tag: 'one' });
        expect(a.body._id).toMatch(HEX24);
        expect(a.body._id).toBe(b.body._id);
      } finally {
        await fresh1.emu.close();
      }
    } finally {
      await other.emu.close();
    }
  });

  it('PUT replaces the whole object: omitted fields are gone, _id and createdAt stay, lastModified moves', async () => {
    const created = (await h.api('POST', '/integrations', { name: 'Replace me', description: 'will vanish', readme: 'also' })).body;
    h.clock.advance(60_000);
    const r = await h.api('PUT', `/integrations/${created._id}`, { name: 'Replaced', _id: 'ignored', createdAt: '1999-01-01T00:00:00.000Z' });
    expect(r.status).toBe(200);
    expect(r.body.name).toBe('Replaced');
    expect(r.body).not.toHaveProperty('description');
    expect(r.body).not.toHaveProperty('readme');
    expect(r.body._id).toBe(created._id);
    expect(r.body.createdAt).toBe(created.createdAt);
    expect(Date.parse(r.body.lastModified) - Date.parse(created.lastModified)).toBe(60_000);
    expect((await h.get(`/integrations/${created._id}`)).body).toEqual(r.body);
  });

  it('PUT on a flow keeps server-owned lastExecutedAt but wipes omitted pageProcessors', async () => {
    const f = byName(h, 'flows', 'NetSuite Fulfillments to Shopify');
    const { pageProcessors: _drop, ...rest } = f;
    const r = await h.api('PUT', `/flows/${f._id}`, { ...rest, lastExecutedAt: '2000-01-01T00:00:00.000Z' });
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty('pageProcessors');
    expect(r.body.pageGenerators).toEqual(f.pageGenerators);
    expect(r.body.lastExecutedAt).toBe(f.lastExecutedAt);
    flow.parse(r.body);
  });

  it('PATCH accepts JSON Patch and plain objects on whitelisted paths only', async () => {
    const f = byName(h, 'flows', 'Shopify Customers to NetSuite');
    const a = await h.api('PATCH', `/flows/${f._id}`, [{ op: 'replace', path: '/name', value: 'Customers (patched)' }, { op: 'replace', path: '/pageGenerators/0/skipRetries', value: true }]);
    expect(a.status).toBe(204);
    expect(a.text).toBe('');
    const b = await h.api('PATCH', `/flows/${f._id}`, { disabled: true, schedule: '? 0 3 ? * *' });
    expect(b.status).toBe(204);
    const now = (await h.get(`/flows/${f._id}`)).body;
    expect(now).toMatchObject({ name: 'Customers (patched)', disabled: true, schedule: '? 0 3 ? * *' });
    expect(now.pageGenerators[0].skipRetries).toBe(true);
    expect(now.pageProcessors).toEqual(f.pageProcessors);

    const bad = await h.api('PATCH', `/flows/${f._id}`, [{ op: 'replace', path: '/pageGenerators/0/_exportId', value: 'x' }, { op: 'replace', path: '/_integrationId', value: 'y' }]);
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(['pageGenerators.0._exportId', '_integrationId']);
    expect((await h.api('PATCH', `/flows/${f._id}`, { schedule: '0 3 * * *' })).body.errors[0]).toMatchObject({ code: 'invalid_field', field: 'schedule' });
    expect((await h.api('PATCH', `/flows/${f._id}`, [{ op: 'move', from: '/name', path: '/description' }])).status).toBe(400);
    const noName = await h.api('PATCH', `/flows/${f._id}`, [{ op: 'remove', path: '/name' }]);
    expect([noName.status, noName.body.errors[0].field]).toEqual([422, 'name']);
    expect((await h.api('PATCH', `/tags/${byName(h, 'tags', 'investigating')._id}`, { tag: 'x' })).status).toBe(405);
  });

  it('an integration carries one `tag`: set with a JSON-Patch replace, cleared with remove (W5)', async () => {
    const i = byName(h, 'integrations', 'HubSpot - Salesforce Leads');
    expect(i).not.toHaveProperty('tag');
    const set = await h.api('PATCH', `/integrations/${i._id}`, [{ op: 'replace', path: '/tag', value: 'marketing' }]);
    expect([set.status, set.text]).toEqual([204, '']);
    expect((await h.get(`/integrations/${i._id}`)).body.tag).toBe('marketing');
    expect((await h.get('/integrations')).body.find((x: any) => x._id === i._id).tag).toBe('marketing');
    await h.api('PATCH', `/integrations/${i._id}`, [{ op: 'replace', path: '/tag', value: 'sales' }]);
    expect((await h.get(`/integrations/${i._id}`)).body.tag).toBe('sales');
    expect((await h.api('PATCH', `/integrations/${i._id}`, [{ op: 'remove', path: '/tag' }])).status).toBe(204);
    expect((await h.get(`/integrations/${i._id}`)).body).not.toHaveProperty('tag');
    // Removing a tag that is not there changes nothing.
    expect((await h.api('PATCH', `/integrations/${i._id}`, [{ op: 'remove', path: '/tag' }])).status).toBe(204);
    // A merge-style body: a string sets it, null clears it; anything but a string is refused.
    await h.api('PATCH', `/integrations/${i._id}`, { tag: 'leads' });
    expect((await h.get(`/integrations/${i._id}`)).body.tag).toBe('leads');
    await h.api('PATCH', `/integrations/${i._id}`, { tag: null });
    expect((await h.get(`/integrations/${i._id}`)).body).not.toHaveProperty('tag');
    const bad = await h.api('PATCH', `/integrations/${i._id}`, [{ op: 'replace', path: '/tag', value: ['a', 'b'] }]);
    expect([bad.status, bad.body.errors[0].field]).toEqual([422, 'tag']);
    // Created with a tag, and a full PUT keeps or drops it like any other field.
    const made = await h.api('POST', '/integrations', { name: 'Tagged on create', tag: 'pilot' });
    expect([made.status, made.body.tag]).toEqual([201, 'pilot']);
    const put = await h.api('PUT', `/integrations/${made.body._id}`, { name: 'Tagged on create' });
    expect(put.body).not.toHaveProperty('tag');
    integration.parse(made.body);
  });

  it('DELETE answers 204, then the id is gone', async () => {
    const t = (await h.api('POST', '/tags', { tag: 'temporary' })).body;
    tag.parse(t);
    expect(Object.keys(t)).toEqual(['_id', 'tag', 'tagId']);
    expect(t.tagId).toMatch(/^[0-9a-f]{8}$/);
    const put = await h.api('PUT', `/tags/${t._id}`, { _id: t._id, tag: 'renamed', tagId: 'tmp001' });
    expect(put.body).toEqual({ _id: t._id, tag: 'renamed', tagId: 'tmp001' });
    const d = await h.api('DELETE', `/tags/${t._id}`);
    expect(d.status).toBe(204);
    expect((await h.get(`/tags/${t._id}`)).status).toBe(404);
    expect((await h.api('DELETE', `/tags/${t._id}`)).status).toBe(404);
  });
});

describe('validation', () => {
  it('415 when the body is not JSON, 400 when the JSON is malformed', async () => {
    const a = await h.api('POST', '/integrations', undefined, { raw: 'name=x', contentType: 'application/x-www-form-urlencoded' });
    expect(a.status).toBe(415);
    expect(a.body.errors[0].code).toBe('unsupported_media_type');
    const b = await h.api('POST', '/integrations', undefined, { raw: '{"name":' });
    expect(b.status).toBe(400);
    expect(b.body.errors[0].code).toBe('invalid_json');
  });

  it('422 lists one entry per invalid field', async () => {
    const r = await h.api('POST', '/exports', { adaptorType: 'httpexport', _connectionId: 'nope' });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([
      { code: 'invalid_field', message: '`name` is required', field: 'name' },
      { code: 'invalid_field', message: '`adaptorType`: Invalid adaptorType', field: 'adaptorType' },
      { code: 'invalid_field', message: '`_connectionId` must be a 24-character hex id', field: '_connectionId' },
    ]);
  });

  it('unknown references answer 422 Invalid reference', async () => {
    const r = await h.api('POST', '/flows', {
      name: 'Broken refs', _integrationId: '665f00000000000000000000',
      pageGenerators: [{ _exportId: '665f00000000000000000001' }], pageProcessors: [{ type: 'import', _importId: '665f00000000000000000002' }],
    });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([
      { code: 'invalid_ref', message: 'Invalid reference: _integrationId', field: '_integrationId' },
      { code: 'invalid_ref', message: 'Invalid reference: _exportId', field: 'pageGenerators.0._exportId' },
      { code: 'invalid_ref', message: 'Invalid reference: _importId', field: 'pageProcessors.0._importId' },
    ]);
    const e = await h.api('POST', '/imports', { name: 'x', adaptorType: 'HTTPImport', _connectionId: '665f00000000000000000003' });
    expect(e.body.errors).toEqual([{ code: 'invalid_ref', message: 'Invalid reference: _connectionId', field: '_connectionId' }]);
  });

  it('a flow built from valid references is created', async () => {
    const exp = byName(h, 'exports', 'Get Shopify orders');
    const imp = byName(h, 'imports', 'Create NetSuite sales orders');
    const r = await h.api('POST', '/flows', { name: 'New flow', pageGenerators: [{ _exportId: exp._id }], pageProcessors: [{ type: 'import', _importId: imp._id }] });
    expect(r.status).toBe(201);
    expect(r.body.disabled).toBe(false);
  });
});

describe('connections and secrets', () => {
  it('masks every secret on read and keeps the stored one when a PUT sends the mask', async () => {
    const c = byName(h, 'connections', 'Shopify - acme-store');
    const read = (await h.get(`/connections/${c._id}`)).body;
    connection.parse(read);
    expect(read.http.auth.token).toEqual({ token: '******', location: 'header', headerName: 'X-Shopify-Access-Token', scheme: ' ' });
    expect(JSON.stringify((await h.get('/connections')).body)).not.toContain('shpat_');
    const put = await h.api('PUT', `/connections/${c._id}`, { ...read, name: 'Shopify (renamed)' });
    expect(put.status).toBe(200);
    expect(put.body.http.auth.token.token).toBe('******');
    const stored = h.emu.store.connections.get(c._id) as any;
    expect(stored.http.auth.token.token).toBe('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');
    expect(stored.name).toBe('Shopify (renamed)');
  });

  it('ping: healthy 200, broken credentials 401, offline 503; new credentials repair', async () => {
    const ok = byName(h, 'connections', 'NetSuite Production');
    const broken = byName(h, 'connections', 'Salesforce - Integration User');
    const offline = byName(h, 'connections', '3PL Partner SFTP');
    expect((await h.get(`/connections/${ok._id}/ping`)).body).toEqual({ code: 200 });
    const b = await h.api('POST', `/connections/${broken._id}/ping`, {});
    expect(b.status).toBe(200);
    // A failed ping: HTTP 200, the remote status as a number in errors[0].code (celigo-api.md W10).
    expect(b.body).toEqual({ errors: [{ code: 401, message: 'INVALID_LOGIN: Invalid username, password, security token; or user locked out.' }] });
    expect((await h.api('POST', `/connections/${offline._id}/test`, {})).body.errors[0].code).toBe(503);
    expect((await h.api('POST', `/connections/${offline._id}/ping`, {})).body.errors[0].message).toMatch(/offline/);

    const read = (await h.get(`/connections/${broken._id}`)).body;
    await h.api('PUT', `/connections/${broken._id}`, read);
    expect((await h.api('POST', `/connections/${broken._id}/ping`, {})).body.errors[0].code).toBe(401);
    await h.api('PUT', `/connections/${broken._id}`, { ...read, salesforce: { ...read.salesforce, password: 'Spring2026!' } });
    expect((await h.api('POST', `/connections/${broken._id}/ping`, {})).body).toEqual({ code: 200 });
    // `offline` is not on the connection PATCH whitelist (celigo-api.md W15): PUT it back online.
    expect((await h.api('PATCH', `/connections/${offline._id}`, { offline: false })).status).toBe(422);
    const off = (await h.get(`/connections/${offline._id}`)).body;
    expect((await h.api('PUT', `/connections/${offline._id}`, { ...off, offline: false })).status).toBe(200);
    expect((await h.get(`/connections/${offline._id}/ping`)).body).toEqual({ code: 200 });
  });
});
