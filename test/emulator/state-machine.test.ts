import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, byName, start } from '../helpers/emulator.js';

let h: Harness;
beforeEach(async () => {
  if (h) await h.emu.close();
  h = await start();
});
afterAll(async () => { await h.emu.close(); });

const children = async (jobId: string) => (await h.get(`/jobs?_flowJobId=${jobId}`)).body ?? [];

describe('job state machine', () => {
  it('queued -> running -> completed, with child jobs and counts', async () => {
    const flow = byName(h, 'flows', 'Shopify Orders to NetSuite Sales Orders');
    const r = await h.api('POST', `/flows/${flow._id}/run`);
    expect(r.status).toBe(201);
    expect(Object.keys(r.body)).toEqual(['_jobId']);
    const id = r.body._jobId;

    let j = (await h.get(`/jobs/${id}`)).body;
    expect(j).toMatchObject({ type: 'flow', status: 'queued', _flowId: flow._id, _integrationId: flow._integrationId, _exportId: flow.pageGenerators[0]._exportId, doneExporting: false, numExport: 0 });
    expect(j).not.toHaveProperty('startedAt');
    expect(j).not.toHaveProperty('lastExecutedAt');
    expect(await children(id)).toEqual([]);

    h.clock.advance(499);
    expect((await h.get(`/jobs/${id}`)).body.status).toBe('queued');
    h.clock.advance(1);
    j = (await h.get(`/jobs/${id}`)).body;
    expect(j.status).toBe('running');
    expect(j.startedAt).toBe(new Date(h.clock.now()).toISOString());
    const kids = await children(id);
    expect(kids).toHaveLength(1);
    expect(kids[0]).toMatchObject({ type: 'export', oIndex: 0, status: 'running', _flowJobId: id, _exportId: flow.pageGenerators[0]._exportId });
    expect(kids[0]).not.toHaveProperty('_flowId');

    h.clock.advance(60_000);
    j = (await h.get(`/jobs/${id}`)).body;
    expect(j.status).toBe('completed');
    expect(j.doneExporting).toBe(true);
    expect(j.numExport).toBeGreaterThan(0);
    expect(j.numSuccess + j.numError + j.numIgnore).toBe(j.numExport);
    expect(j.endedAt).toBe(j.lastExecutedAt);
    const done = await children(id);
    expect(done.map((c: any) => [c.type, c.oIndex, c.status])).toEqual([['import', 1, 'completed'], ['export', 0, 'completed']]);
    expect(done[1].numExport).toBe(j.numExport);
    expect(done[0]).toMatchObject({ _importId: flow.pageProcessors[0]._importId, retriable: false, numSuccess: j.numSuccess });
    expect((await h.get(`/flows/${flow._id}`)).body.lastExecutedAt).toBe(j.endedAt);
    const latest = (await h.get(`/flows/${flow._id}/jobs/latest`)).body;
    expect(latest).toHaveLength(1);
    expect(latest[0]._id).toBe(id);
  });

  it('a flow on a broken connection fails at the export with an open auth error', async () => {
    const flow = byName(h, 'flows', 'Salesforce Contacts to NetSuite Contacts');
    const exportId = flow.pageGenerators[0]._exportId;
    const before = (await h.get(`/flows/${flow._id}/errors`)).body.flowErrors[0].numError;
    const id = (await h.api('POST', `/flows/${flow._id}/run`)).body._jobId;
    h.clock.advance(30_000);
    const j = (await h.get(`/jobs/${id}`)).body;
    expect(j).toMatchObject({ status: 'failed', numPagesGenerated: 0, numError: 1, numOpenError: 1, numSuccess: 0 });
    expect((await children(id)).map((c: any) => [c.type, c.status, c.numError])).toEqual([['export', 'failed', 1]]);
    const errs = (await h.get(`/flows/${flow._id}/${exportId}/errors`)).body.errors;
    expect(errs).toHaveLength(before + 1);
    expect(errs[0]).toMatchObject({ code: 'INVALID_LOGIN', source: 'connection', oIndex: '0', _flowJobId: id });
  });

  it('a broken mapping creates errors on the import step tied to the flow job', async () => {
    const flow = byName(h, 'flows', 'Zendesk Users to Salesforce Contacts');
    const imp = flow.pageProcessors[0]._importId;
    const id = (await h.api('POST', `/flows/${flow._id}/run`)).body._jobId;
    h.clock.advance(30_000);
    const j = (await h.get(`/jobs/${id}`)).body;
    expect(j.status).toBe('completed');
    expect(j.numError).toBeGreaterThan(0);
    expect(j.numOpenError).toBe(j.numError);
    const mine = (await h.get(`/flows/${flow._id}/${imp}/errors`)).body.errors.filter((e: any) => e._flowJobId === id);
    expect(mine).toHaveLength(j.numError);
    for (const e of mine) expect(e).toMatchObject({ code: 'REQUIRED_FIELD_MISSING', oIndex: '1', retryDataKey: expect.stringMatching(/^[0-9a-f]{32}$/), errorId: expect.stringMatching(/^\d+$/) });
    const child = (await children(id)).find((c: any) => c.type === 'import');
    expect(child).toMatchObject({ numError: j.numError, retriable: true });
  });

  it('disabled flows answer 422 flow_disabled; _exportIds must be page generators', async () => {
    const off = byName(h, 'flows', 'Shopify Refunds to NetSuite Credit Memos');
    const r = await h.api('POST', `/flows/${off._id}/run`, {});
    expect(r.status).toBe(422);
    expect(r.body.errors[0].code).toBe('flow_disabled');
    const on = byName(h, 'flows', 'Stripe Payouts to NetSuite Deposits');
    const bad = await h.api('POST', `/flows/${on._id}/run`, { _exportIds: ['665f00000000000000000000'] });
    expect(bad.status).toBe(422);
    const good = await h.api('POST', `/flows/${on._id}/run`, { _exportIds: [on.pageGenerators[0]._exportId], export: { startDate: '2026-01-01T00:00:00Z' } });
    expect(good.status).toBe(201);
  });

  it('cancel: PUT /jobs/{id}/cancel and DELETE /jobs/{id} (flow jobs only)', async () => {
    const flow = byName(h, 'flows', 'NetSuite Item Master to FTP');
    const id = (await h.api('POST', `/flows/${flow._id}/run`)).body._jobId;
    h.clock.advance(1000);
    const c = await h.api('PUT', `/jobs/${id}/cancel`);
    expect(c.status).toBe(200);
    // A running job is `canceling` (celigo-api.md W2) until its current page is done, then `canceled`.
    expect(c.body).toMatchObject({ _id: id, status: 'canceling', canceledBy: '65f1c0de00000000000000a1' });
    expect((await h.api('POST', '/jobs/current', {})).body.jobs.map((j: any) => [j._id, j.status])).toContainEqual([id, 'canceling']);
    expect((await h.api('PUT', `/jobs/${id}/cancel`)).status).toBe(200);
    h.clock.advance(1000);
    expect((await h.get(`/jobs/${id}`)).body).toMatchObject({ status: 'canceled', endedAt: new Date(h.clock.now()).toISOString() });
    h.clock.advance(60_000);
    expect((await h.get(`/jobs/${id}`)).body.status).toBe('canceled');
    expect((await children(id)).every((k: any) => k.status === 'canceled')).toBe(true);

    const id2 = (await h.api('POST', `/flows/${flow._id}/run`)).body._jobId;
    const kid = async () => (await children(id2))[0];
    h.clock.advance(600);
    const k = await kid();
    expect((await h.api('DELETE', `/jobs/${k._id}`)).status).toBe(422);
    expect((await h.api('DELETE', `/jobs/${id2}`)).status).toBe(204);
    h.clock.advance(1000);
    expect((await h.get(`/jobs/${id2}`)).body.status).toBe('canceled');
    const done = (await h.get('/jobs?createdAt_gte=2026-01-10&type=flow&status=completed')).body[0];
    expect((await h.api('PUT', `/jobs/${done._id}/cancel`)).status).toBe(422);
  });
});
