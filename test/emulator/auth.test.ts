import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorEnvelope } from '../../src/core/schemas.js';
import { DEMO_SCOPED_TOKEN, DEMO_TOKEN } from '../../src/emulator/index.js';
import { type Harness, byName, start } from '../helpers/emulator.js';

let h: Harness;
beforeAll(async () => { h = await start(); });
afterAll(async () => { await h.emu.close(); });

describe('auth and scope', () => {
  it('exposes fixed 32-hex tokens', () => {
    expect(DEMO_TOKEN).toMatch(/^[0-9a-f]{32}$/);
    expect(DEMO_SCOPED_TOKEN).toMatch(/^[0-9a-f]{32}$/);
    expect(DEMO_TOKEN).not.toBe(DEMO_SCOPED_TOKEN);
  });

  it('answers 401 with the envelope without a token or with an unknown one', async () => {
    for (const token of [null, 'ffffffffffffffffffffffffffffffff']) {
      const r = await h.get('/integrations', token);
      expect(r.status).toBe(401);
      expect(errorEnvelope.parse(r.body).errors[0].code).toBe('unauthorized');
    }
    const malformed = await fetch(`${h.emu.baseUrl}/integrations`, { headers: { Authorization: `Basic ${DEMO_TOKEN}` } });
    expect(malformed.status).toBe(401);
  });

  it('tokenInfo tells the user and scope', async () => {
    expect((await h.get('/tokenInfo')).body).toEqual({ _userId: '65f1c0de00000000000000a1', scope: '*' });
    expect((await h.get('/tokenInfo', DEMO_SCOPED_TOKEN)).body).toEqual({ _userId: '65f1c0de00000000000000a2', scope: 'custom' });
  });

  it('the scoped token sees only its two connections and their exports/imports', async () => {
    const conns = await h.get('/connections', DEMO_SCOPED_TOKEN);
    expect(conns.status).toBe(200);
    expect(conns.body.map((c: any) => c.name).sort()).toEqual(['Acme Warehouse SFTP', 'Amazon S3 - acme-archive']);
    const ids = new Set(conns.body.map((c: any) => c._id));
    const exps = await h.get('/exports', DEMO_SCOPED_TOKEN);
    expect(exps.body.map((e: any) => e.name)).toEqual(['Get price files from SFTP']);
    const imps = await h.get('/imports', DEMO_SCOPED_TOKEN);
    expect(imps.body).toHaveLength(4);
    for (const x of [...exps.body, ...imps.body]) expect(ids.has(x._connectionId)).toBe(true);
    const sftp = byName(h, 'connections', 'Acme Warehouse SFTP');
    expect((await h.get(`/connections/${sftp._id}`, DEMO_SCOPED_TOKEN)).status).toBe(200);
    expect((await h.api('POST', `/connections/${sftp._id}/ping`, {}, { token: DEMO_SCOPED_TOKEN })).body).toEqual({ code: 200 });
  });

  it('the scoped token gets 403 everywhere else', async () => {
    const ns = byName(h, 'connections', 'NetSuite Production');
    const flow = byName(h, 'flows', 'Shopify Orders to NetSuite Sales Orders');
    for (const path of ['/integrations', '/flows', `/flows/${flow._id}`, '/jobs?createdAt_gte=2026-01-01', '/state', '/tags', '/audit', `/connections/${ns._id}`]) {
      const r = await h.get(path, DEMO_SCOPED_TOKEN);
      expect(r.status, path).toBe(403);
      expect(r.body.errors[0].code).toBe('forbidden');
    }
    const create = await h.api('POST', '/connections', { name: 'x', type: 'http' }, { token: DEMO_SCOPED_TOKEN });
    expect(create.status).toBe(403);
  });

  it('unknown ids and unknown routes answer 404 with the envelope; a wrong method 405', async () => {
    const r = await h.get('/flows/665f00000000000000000000');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ errors: [{ code: 'not_found', message: 'Flow not found.' }] });
    expect((await h.get('/nothing-here')).body.errors[0].code).toBe('not_found');
    expect((await fetch(`${h.emu.url}/api/flows`)).status).toBe(404);
    const m = await h.api('POST', '/tokenInfo', {});
    expect(m.status).toBe(405);
    expect(m.headers.get('allow')).toBe('GET');
  });
});
