import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, byName, start } from '../helpers/emulator.js';

let h: Harness;
beforeAll(async () => { h = await start(); });
afterAll(async () => { await h.emu.close(); });

describe('state API', () => {
  it('global keys: PUT Created/OK as text, GET value, list, DELETE', async () => {
    expect((await h.get('/state')).body).toEqual({ keys: [] });
    const a = await h.api('PUT', '/state/apple', { message: "Don't slip!" });
    expect(a.status).toBe(201);
    expect(a.text).toBe('Created');
    expect(a.headers.get('content-type')).toMatch(/^text\/plain/);
    const b = await h.api('PUT', '/state/apple', { message: 'again' });
    expect([b.status, b.text]).toEqual([200, 'OK']);
    expect((await h.get('/state/apple')).body).toEqual({ message: 'again' });
    expect((await h.api('PUT', '/state/a%20b%2Fc', [1, 2])).status).toBe(201);
    expect((await h.get('/state')).body.keys).toEqual(['apple', 'a b/c']);
    expect((await h.get('/state/a%20b%2Fc')).body).toEqual([1, 2]);
    expect((await h.api('DELETE', '/state/apple')).status).toBe(204);
    expect((await h.get('/state/apple')).status).toBe(404);
    expect((await h.api('PUT', '/state/x', undefined, { raw: 'plain', contentType: 'text/plain' })).status).toBe(415);
  });

  it('the demo keeps no integration tags in state: each integration carries its one tag in `tag` (W5)', async () => {
    expect((await h.get('/state/celigo-manage.integration-tags')).status).toBe(404);
    expect(byName(h, 'integrations', 'Shopify - NetSuite Orders').tag).toBe('critical');
  });

  it('resource-scoped state; DELETE answers 200', async () => {
    const imp = byName(h, 'imports', 'Write inventory file to SFTP');
    expect((await h.get(`/imports/${imp._id}/state`)).body).toEqual({ keys: ['lastFileSequence'] });
    expect((await h.get(`/imports/${imp._id}/state/lastFileSequence`)).body).toBe(1042);
    const flow = byName(h, 'flows', 'Shopify Orders to NetSuite Sales Orders');
    expect((await h.api('PUT', `/flows/${flow._id}/state/cursor`, { since: '2026-01-01' })).status).toBe(201);
    expect((await h.get(`/flows/${flow._id}/state`)).body).toEqual({ keys: ['cursor'] });
    expect((await h.api('DELETE', `/flows/${flow._id}/state/cursor`)).status).toBe(200);
    expect((await h.get(`/flows/${flow._id}/state/cursor`)).status).toBe(404);
    expect((await h.api('DELETE', `/imports/${imp._id}/state`)).status).toBe(200);
    expect((await h.get(`/imports/${imp._id}/state`)).body).toEqual({ keys: [] });
    expect((await h.get('/flows/665f00000000000000000000/state')).status).toBe(404);
    expect((await h.api('DELETE', '/state')).status).toBe(204);
    expect((await h.get('/state')).body).toEqual({ keys: [] });
  });
});
