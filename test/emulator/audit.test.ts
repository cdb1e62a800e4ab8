import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, START, byName, start } from '../helpers/emulator.js';

let h: Harness;
beforeAll(async () => { h = await start(); });
afterAll(async () => { await h.emu.close(); });

describe('audit', () => {
  it('every write appends an entry with field changes, newest first', async () => {
    const created = (await h.api('POST', '/integrations', { name: 'Audited', description: 'v1' })).body;
    h.clock.advance(1000);
    await h.api('PATCH', `/integrations/${created._id}`, { description: 'v2' });
    h.clock.advance(1000);
    await h.api('DELETE', `/integrations/${created._id}`);
    const entries = (await h.get(`/audit?resourceType=integration&_resourceId=${created._id}`)).body;
    expect(entries.map((e: any) => e.event)).toEqual(['delete', 'update', 'create']);
    // The web app's entry shape (celigo-api.md W4): `event` and `byUser {_id, name, email}`.
    expect(entries[1]).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/), resourceType: 'integration', _resourceId: created._id,
      byUser: { _id: '65f1c0de00000000000000a1', name: 'Dana Whitfield', email: 'dana.whitfield@acme.example' },
      source: 'api', event: 'update', time: new Date(START + 1000).toISOString(),
      fieldChanges: [{ fieldPath: 'description', oldValue: 'v1', newValue: 'v2' }],
    });
    expect(entries[2].fieldChanges).toEqual(expect.arrayContaining([{ fieldPath: 'name', newValue: 'Audited' }]));
    expect((await h.get(`/audit?resourceType=integrations&_resourceId=${created._id}&action=create`)).body).toHaveLength(1);
  });

  it('masks secrets in field changes', async () => {
    const c = byName(h, 'connections', 'Acme Warehouse SFTP');
    const read = (await h.get(`/connections/${c._id}`)).body;
    await h.api('PUT', `/connections/${c._id}`, { ...read, ftp: { ...read.ftp, password: 'new-password-1' } });
    const [e] = (await h.get(`/connections/${c._id}/audit`)).body;
    expect(e.fieldChanges).toEqual([{ fieldPath: 'ftp.password', oldValue: '******', newValue: '******' }]);
    expect(JSON.stringify((await h.get('/audit')).body)).not.toContain('new-password-1');
  });

  it('the seeded mapping edit happened 7 minutes before the first REQUIRED_FIELD_MISSING error', async () => {
    const flow = byName(h, 'flows', 'Zendesk Users to Salesforce Contacts');
    const imp = flow.pageProcessors[0]._importId;
    const audit = (await h.get(`/imports/${imp}/audit`)).body;
    const edit = audit.find((e: any) => e.event === 'update');
    expect(edit).toMatchObject({ source: 'ui', byUser: { _id: '65f1c0de00000000000000a3', name: 'Priya Natarajan' } });
    expect(edit.fieldChanges[0].fieldPath).toBe('mapping.fields');
    expect(JSON.stringify(edit.fieldChanges[0].oldValue)).toContain('LastName');
    expect(JSON.stringify(edit.fieldChanges[0].newValue)).not.toContain('LastName');
    const errs = (await h.get(`/flows/${flow._id}/${imp}/errors`)).body.errors;
    const first = Math.min(...errs.map((e: any) => Date.parse(e.occurredAt)));
    const gap = first - Date.parse(edit.time);
    expect(gap).toBeGreaterThan(7 * 60_000);
    expect(gap).toBeLessThan(8 * 60_000);
    const window = (await h.get(`/audit?from=${new Date(Date.parse(edit.time) - 1).toISOString()}&to=${edit.time}`)).body;
    expect(window.map((e: any) => e._id)).toContain(edit._id);
  });

  it('is Link-paged: the seeded mapping edit is on the second page of the last week', async () => {
    const from = new Date(START - 7 * 86_400_000).toISOString();
    const first = await h.get(`/audit?from=${from}`);
    expect(first.body).toHaveLength(100);
    const next = /<([^>]+)>;\s*rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBeDefined();
    const isEdit = (e: any) => e.source === 'ui' && e.fieldChanges?.[0]?.fieldPath === 'mapping.fields';
    expect(first.body.some(isEdit)).toBe(false);
    const second = await h.get(next!.replace(/^.*\/v1/, ''));
    expect(second.body.some(isEdit)).toBe(true);
  });
});
