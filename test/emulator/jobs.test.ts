import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { job } from '../../src/core/schemas.js';
import { type Harness, START, byName, start } from '../helpers/emulator.js';

let h: Harness;
beforeAll(async () => { h = await start({ jobsPageSize: 100 }); });
afterAll(async () => { await h.emu.close(); });

const isDesc = (rows: any[]): boolean => rows.every((r, i) => i === 0 || Date.parse(rows[i - 1].createdAt) >= Date.parse(r.createdAt));

describe('GET /jobs', () => {
  it('enforces the parent/child filter rule with 400 invalid_query', async () => {
    const a = await h.get('/jobs');
    expect(a.status).toBe(400);
    expect(a.body.errors[0]).toEqual({ code: 'invalid_query', message: 'For parent jobs, query parameters must contain either "_integrationId" or "_jobId" or "createdAt"' });
    const b = await h.get('/jobs?type=import&status=completed');
    expect(b.status).toBe(400);
    expect(b.body.errors[0].message).toBe('For child jobs, query parameters must contain either "_flowJobId" or "resourceId"');
    expect((await h.get('/jobs?type=flow&status=failed')).status).toBe(400);
  });

  it('answers newest first, capped at jobsPageSize, without a Link header; createdAt_lte pages on', async () => {
    const r = await h.get('/jobs?createdAt_gte=2026-01-01');
    expect(r.status).toBe(200);
    expect(r.headers.get('link')).toBeNull();
    expect(r.body).toHaveLength(100);
    expect(isDesc(r.body)).toBe(true);
    // Without `type`, flow jobs come with their export/import children (celigo-api.md W14).
    const types = new Set(r.body.map((j: any) => job.parse(j).type));
    expect([...types].every((t) => ['flow', 'retry', 'bulk_retry', 'export', 'import'].includes(t as string))).toBe(true);
    expect(types.has('export') || types.has('import')).toBe(true);
    const last = r.body[99];
    const next = await h.get(`/jobs?createdAt_gte=2026-01-01&createdAt_lte=${new Date(Date.parse(last.createdAt) - 1).toISOString()}`);
    expect(next.body).toHaveLength(100);
    const ids = new Set(r.body.map((j: any) => j._id));
    for (const j of next.body) expect(ids.has(j._id)).toBe(false);
    expect(Date.parse(next.body[0].createdAt)).toBeLessThan(Date.parse(last.createdAt));
  });

  it('pages through a whole flow history with createdAt_lte', async () => {
    const flow = byName(h, 'flows', 'Shopify Orders to NetSuite Sales Orders');
    const all: any[] = [];
    let lte: string | undefined;
    for (;;) {
      const r = await h.get(`/jobs?_flowId=${flow._id}${lte ? `&createdAt_lte=${lte}` : ''}`);
      all.push(...r.body);
      if (r.body.length < 100) break;
      lte = new Date(Date.parse(r.body[r.body.length - 1].createdAt) - 1).toISOString();
    }
    expect(all).toHaveLength(84);
    expect(new Set(all.map((j) => j._id)).size).toBe(84);
    expect(isDesc(all)).toBe(true);
  });

  it('filters: status, type_in, counts, _flowId_in, retriable, children of a flow job', async () => {
    const failed = (await h.get('/jobs?createdAt_gte=2026-01-01&type_in[0]=flow&type_in[1]=retry&type_in[2]=bulk_retry&status=failed')).body;
    expect(failed.length).toBe(37);
    for (const j of failed) expect(j.status).toBe('failed');
    const canceled = (await h.get('/jobs?createdAt_gte=2026-01-01&type=flow&status=canceled')).body;
    expect(canceled).toHaveLength(3);
    for (const j of canceled) expect(j.canceledBy).toBe('65f1c0de00000000000000a3');
    // Bracket arrays and repeated keys are multi-value filters; a comma list is one literal value (W1).
    const retries = (await h.get('/jobs?createdAt_gte=2026-01-01&type_in[0]=retry&type_in[1]=bulk_retry')).body;
    expect(retries.map((j: any) => j.type).sort()).toEqual(['bulk_retry', 'retry', 'retry']);
    expect((await h.get('/jobs?createdAt_gte=2026-01-01&type_in=retry&type_in=bulk_retry')).body).toHaveLength(3);
    expect((await h.get('/jobs?createdAt_gte=2026-01-01&type_in=retry,bulk_retry')).body).toEqual([]);
    expect((await h.get('/jobs?createdAt_gte=2026-01-01&type=flow&status=failed&status=canceled')).body).toHaveLength(40);
    const withErrors = (await h.get('/jobs?createdAt_gte=2026-01-01&type=flow&numError_gte=3&numError_lte=5')).body;
    expect(withErrors.length).toBeGreaterThan(0);
    for (const j of withErrors) expect(j.numError >= 3 && j.numError <= 5).toBe(true);
    const f1 = byName(h, 'flows', 'Stripe Payouts to NetSuite Deposits');
    const f2 = byName(h, 'flows', 'Daily Exchange Rates to NetSuite');
    const both = (await h.get(`/jobs?type=flow&_flowId_in[0]=${f1._id}&_flowId_in[1]=${f2._id}`)).body;
    expect(both).toHaveLength(14);
    expect((await h.get(`/jobs?type=flow&_flowId_in=${f1._id},${f2._id}`)).body).toEqual([]);
    const parent = both[0];
    const children = (await h.get(`/jobs?_flowJobId=${parent._id}`)).body;
    expect(children.map((c: any) => [c.type, c.oIndex])).toEqual(expect.arrayContaining([['export', 0], ['import', 1]]));
    const users = byName(h, 'flows', 'Zendesk Users to Salesforce Contacts');
    const imp = users.pageProcessors[0]._importId;
    const retriable = (await h.get(`/jobs?type=import&_importId=${imp}&retriable=true`)).body;
    expect(retriable.length).toBeGreaterThan(30);
    for (const c of retriable) expect(c).toMatchObject({ type: 'import', _importId: imp, retriable: true });
  });

  it('accepts ISO with or without ms, plain dates and epoch ms', async () => {
    const base = '/jobs?type=flow&createdAt_gte=';
    const day = (await h.get(`${base}2026-01-15`)).body.length;
    expect(day).toBeGreaterThan(0);
    expect((await h.get(`${base}2026-01-15T00:00:00Z`)).body.length).toBe(day);
    expect((await h.get(`${base}2026-01-15T00:00:00.000Z`)).body.length).toBe(day);
    expect((await h.get(`${base}${Date.UTC(2026, 0, 15)}`)).body.length).toBe(day);
    const gt = (await h.get(`/jobs?createdAt_gt=${START - 3 * 3600_000}`)).body;
    for (const j of gt) expect(Date.parse(j.createdAt)).toBeGreaterThan(START - 3 * 3600_000);
    expect((await h.get('/jobs?createdAt_gte=yesterday')).status).toBe(400);
  });

  it('GET /jobs/{id}, joberrors, 404', async () => {
    const failed = (await h.get('/jobs?createdAt_gte=2026-01-14&status=failed&type=flow')).body[0];
    const one = await h.get(`/jobs/${failed._id}`);
    expect(one.body).toEqual(failed);
    const errs = (await h.get(`/jobs/${failed._id}/joberrors`)).body;
    expect(errs.length).toBe(failed.numError);
    expect(errs[0]).toMatchObject({ resolve: false, code: expect.any(String), _jobId: failed._id });
    expect((await h.get('/jobs/665f00000000000000000000')).status).toBe(404);
  });
});
