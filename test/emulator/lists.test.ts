import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, byName, start } from '../helpers/emulator.js';

let h: Harness;
beforeAll(async () => { h = await start(); });
afterAll(async () => { await h.emu.close(); });

function links(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part);
    if (m) out[m[2]] = m[1];
  }
  return out;
}

describe('Link-paged lists', () => {
  it('pages with limit/skip and absolute next/prev links until there is no next', async () => {
    const all = (await h.get('/flows')).body;
    expect(all).toHaveLength(23);
    const seen: string[] = [];
    let url: string | undefined = `${h.emu.baseUrl}/flows?limit=5`;
    let pages = 0;
    while (url) {
      const r = await h.get(url);
      expect(r.status).toBe(200);
      pages++;
      seen.push(...r.body.map((f: any) => f._id));
      const l = links(r.headers.get('link'));
      if (pages > 1) expect(l.prev).toMatch(new RegExp(`^${h.emu.baseUrl}/flows\\?`));
      url = l.next;
      if (url) expect(url.startsWith('http://127.0.0.1:')).toBe(true);
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(all.map((f: any) => f._id));
    const mid = await h.get('/flows?limit=5&skip=10');
    expect(links(mid.headers.get('link'))).toEqual({
      next: `${h.emu.baseUrl}/flows?limit=5&skip=15`,
      prev: `${h.emu.baseUrl}/flows?limit=5&skip=5`,
    });
  });

  it('uses the configured default page size', async () => {
    const small = await start({ pageSize: 10 });
    try {
      const r = await small.get('/flows');
      expect(r.body).toHaveLength(10);
      expect(links(r.headers.get('link')).next).toBe(`${small.emu.baseUrl}/flows?skip=10&limit=10`);
    } finally {
      await small.emu.close();
    }
  });

  it('filters on top-level fields, booleans as strings', async () => {
    const disabled = (await h.get('/flows?disabled=true')).body.map((f: any) => f.name).sort();
    expect(disabled).toEqual(['Salesforce Lead Status to HubSpot', 'Shopify Refunds to NetSuite Credit Memos', 'Warehouse Receipts from 3PL SFTP']);
    expect((await h.get('/flows?disabled=false')).body).toHaveLength(20);
    const integ = byName(h, 'integrations', 'HTTP Webhooks - Zendesk to Salesforce');
    expect((await h.get(`/flows?_integrationId=${integ._id}`)).body).toHaveLength(3);
    expect((await h.get('/connections?type=ftp')).body.map((c: any) => c.name).sort()).toEqual(['3PL Partner SFTP', 'Acme Warehouse SFTP']);
    const ns = byName(h, 'connections', 'NetSuite Production');
    const exps = (await h.get(`/exports?adaptorType=NetSuiteExport&_connectionId=${ns._id}`)).body;
    expect(exps.length).toBe(6);
    for (const e of exps) expect(e).toMatchObject({ adaptorType: 'NetSuiteExport', _connectionId: ns._id });
    expect((await h.get('/integrations/' + integ._id + '/flows?disabled=true')).status).toBe(204);
  });

  it('projects with include (plus _id, name and defaults) or exclude, never both', async () => {
    const inc = (await h.get('/exports?include=ftp.directoryPath&adaptorType=FTPExport')).body;
    expect(inc).toEqual(expect.arrayContaining([
      { _id: expect.any(String), name: 'Get price files from SFTP', adaptorType: 'FTPExport', ftp: { directoryPath: '/outbound/prices' } },
    ]));
    const exc = (await h.get('/connections?exclude=http,netsuite,salesforce,ftp,s3,queues')).body;
    for (const c of exc) {
      expect(c).not.toHaveProperty('http');
      expect(c).toHaveProperty('type');
    }
    const both = await h.get('/flows?include=name&exclude=schedule');
    expect(both.status).toBe(400);
    expect(both.body.errors[0]).toEqual({ code: 'invalid_query_params', message: 'Please provide either include or exclude param in the request query and not both.' });
    expect((await h.get('/flows?include=name;drop')).status).toBe(400);
  });

  it('integration sub-lists', async () => {
    const integ = byName(h, 'integrations', 'Shopify - NetSuite Orders');
    expect((await h.get(`/integrations/${integ._id}/flows`)).body).toHaveLength(5);
    expect((await h.get(`/integrations/${integ._id}/connections`)).body.map((c: any) => c.name).sort()).toEqual(['NetSuite Production', 'Shopify - acme-store']);
    expect((await h.get(`/integrations/${integ._id}/exports`)).body).toHaveLength(5);
    expect((await h.get(`/integrations/${integ._id}/imports`)).body).toHaveLength(5);
  });

  it('an empty list answers 204 with no body, or [] when switched', async () => {
    const empty = await start({ seed: 'empty' });
    try {
      const r = await empty.get('/integrations');
      expect(r.status).toBe(204);
      expect(r.text).toBe('');
      const cfg = await empty.api('POST', '/__emulator/config', { emptyListStatus: 200 });
      expect(cfg.body.emptyListStatus).toBe(200);
      const r2 = await empty.get('/integrations');
      expect(r2.status).toBe(200);
      expect(r2.body).toEqual([]);
    } finally {
      await empty.emu.close();
    }
    const two = await start({ seed: 'empty', emptyListStatus: 200 });
    try {
      expect((await two.get('/flows')).body).toEqual([]);
    } finally {
      await two.emu.close();
    }
  });
});
