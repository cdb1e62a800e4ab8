import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { flowErrorSummary, flowStepErrorsPage, flowStepResolvedPage, integrationErrorSummary } from '../../src/core/schemas.js';
import { type Harness, byName, start } from '../helpers/emulator.js';

let h: Harness;
beforeEach(async () => {
  if (h) await h.emu.close();
  h = await start({ errorsPageSize: 50 });
});
afterAll(async () => { await h.emu.close(); });

async function allErrors(path: string): Promise<any[]> {
  const out: any[] = [];
  let url: string | undefined = path;
  while (url) {
    const r = await h.get(url);
    expect(r.status).toBe(200);
    const page = path.split('?')[0].endsWith('/resolved') ? { ...flowStepResolvedPage.parse(r.body), errors: r.body.resolved } : flowStepErrorsPage.parse(r.body);
    out.push(...page.errors);
    url = page.nextPageURL;
    if (url) expect(url).toMatch(/^\/v1\/flows\/[0-9a-f]{24}\/[0-9a-f]{24}\/(errors|resolved)\?.*cursor=/);
  }
  return out;
}

describe('error summaries', () => {
  it('per integration: a bare array with every flow, lastErrorAt only when numError > 0', async () => {
    const integ = byName(h, 'integrations', 'HTTP Webhooks - Zendesk to Salesforce');
    const rows = integrationErrorSummary.parse((await h.get(`/integrations/${integ._id}/errors`)).body);
    expect(rows).toHaveLength(3);
    const users = byName(h, 'flows', 'Zendesk Users to Salesforce Contacts');
    expect(rows.find((r) => r._flowId === users._id)).toMatchObject({ numError: 127, lastErrorAt: expect.any(String) });
    const healthy = byName(h, 'integrations', 'Stripe Payments to NetSuite');
    const none = (await h.get(`/integrations/${healthy._id}/errors`)).body;
    expect(none).toHaveLength(2);
    for (const r of none) expect(r).toEqual({ _flowId: expect.any(String), numError: 0 });
  });

  it('per flow: every step', async () => {
    const flow = byName(h, 'flows', 'Zendesk Tickets to Salesforce Cases');
    const s = flowErrorSummary.parse((await h.get(`/flows/${flow._id}/errors`)).body);
    expect(s.flowErrors.map((x) => x._expOrImpId)).toEqual([flow.pageGenerators[0]._exportId, flow.pageProcessors[0]._exportId, flow.pageProcessors[1]._importId]);
    expect(s.flowErrors[0]).toEqual({ _expOrImpId: flow.pageGenerators[0]._exportId, numError: 0 });
    expect(s.flowErrors[1].numError).toBe(16);
  });
});

describe('step errors', () => {
  it('pages with a relative nextPageURL only while more exist, newest first, no duplicates', async () => {
    const flow = byName(h, 'flows', 'Zendesk Users to Salesforce Contacts');
    const imp = flow.pageProcessors[0]._importId;
    const first = (await h.get(`/flows/${flow._id}/${imp}/errors`)).body;
    expect(first.errors).toHaveLength(50);
    expect(first.nextPageURL).toBeDefined();
    const all = await allErrors(`/flows/${flow._id}/${imp}/errors`);
    expect(all).toHaveLength(127);
    expect(new Set(all.map((e) => e.errorId)).size).toBe(127);
    for (let i = 1; i < all.length; i++) expect(Date.parse(all[i - 1].occurredAt)).toBeGreaterThanOrEqual(Date.parse(all[i].occurredAt));
    expect(all[0]).toEqual({
      occurredAt: expect.stringMatching(/Z$/), source: 'application', code: 'REQUIRED_FIELD_MISSING',
      message: 'REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]', traceKey: expect.any(String), oIndex: '1',
      retryDataKey: expect.stringMatching(/^[0-9a-f]{32}$/), errorId: expect.stringMatching(/^\d+$/), _flowJobId: expect.stringMatching(/^[0-9a-f]{24}$/),
      classification: 'missing', classifiedBy: 'autopilot',
    });
    const last = (await h.get(`/flows/${flow._id}/${imp}/errors?limit=200`)).body;
    expect(last.errors).toHaveLength(50);
  });

  it('filters on occurredAt and source', async () => {
    const flow = byName(h, 'flows', 'Salesforce Opportunities to NetSuite Sales Orders');
    const exp = flow.pageGenerators[0]._exportId;
    const all = await allErrors(`/flows/${flow._id}/${exp}/errors`);
    expect(all).toHaveLength(9);
    const cut = all[4].occurredAt;
    const newer = await allErrors(`/flows/${flow._id}/${exp}/errors?occurredAt_gte=${cut}`);
    expect(newer).toHaveLength(5);
    const older = await allErrors(`/flows/${flow._id}/${exp}/errors?occurredAt_lte=${cut}`);
    expect(older).toHaveLength(5);
    expect(await allErrors(`/flows/${flow._id}/${exp}/errors?source=connection`)).toHaveLength(9);
    expect(await allErrors(`/flows/${flow._id}/${exp}/errors?source=application`)).toHaveLength(0);
  });

  it('unknown step is 404; the exports/ or imports/ segment does not exist', async () => {
    const flow = byName(h, 'flows', 'Zendesk Users to Salesforce Contacts');
    const other = byName(h, 'imports', 'Create NetSuite sales orders');
    expect((await h.get(`/flows/${flow._id}/${other._id}/errors`)).status).toBe(404);
    expect((await h.get(`/flows/${flow._id}/imports/${flow.pageProcessors[0]._importId}/errors`)).status).toBe(404);
  });

  it('resolve moves errors to resolved and keeps job counters true', async () => {
    const flow = byName(h, 'flows', 'Salesforce Case Comments to Zendesk');
    const imp = flow.pageProcessors[0]._importId;
    const open = await allErrors(`/flows/${flow._id}/${imp}/errors`);
    expect(open).toHaveLength(47);
    const target = open.slice(0, 3);
    const jobBefore = (await h.get(`/jobs/${target[0]._flowJobId}`)).body;
    const r = await h.api('PUT', `/flows/${flow._id}/${imp}/resolved`, { errors: target.map((e) => e.errorId) });
    expect(r.status).toBe(204);
    expect(await allErrors(`/flows/${flow._id}/${imp}/errors`)).toHaveLength(44);
    const resolved = await allErrors(`/flows/${flow._id}/${imp}/resolved`);
    expect(resolved).toHaveLength(19);
    const mine = resolved.filter((e) => target.some((t) => t.errorId === e.errorId));
    expect(mine).toHaveLength(3);
    for (const e of mine) expect(e).toMatchObject({ resolvedBy: '65f1c0de00000000000000a1', resolvedAt: new Date(h.clock.now()).toISOString() });
    const n = target.filter((e) => e._flowJobId === jobBefore._id).length;
    const jobAfter = (await h.get(`/jobs/${jobBefore._id}`)).body;
    expect(jobAfter.numOpenError).toBe(jobBefore.numOpenError - n);
    expect(jobAfter.numResolved).toBe(jobBefore.numResolved + n);
    expect(jobAfter.numError).toBe(jobBefore.numError);
    expect((await h.get(`/flows/${flow._id}/errors`)).body.flowErrors[1].numError).toBe(44);
    expect((await h.api('PUT', `/flows/${flow._id}/${imp}/resolved`, { errorIds: ['1'] })).status).toBe(422);
  });

  it('retry: a retry job resolves transient errors when it completes', async () => {
    const flow = byName(h, 'flows', 'Salesforce Case Comments to Zendesk');
    const imp = flow.pageProcessors[0]._importId;
    const open = await allErrors(`/flows/${flow._id}/${imp}/errors`);
    const keys = open.slice(0, 5).map((e) => e.retryDataKey);
    const r = await h.api('POST', `/flows/${flow._id}/${imp}/retry`, { retryDataKeys: keys });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ type: 'retry', status: 'queued', _flowId: flow._id, _importId: imp });
    h.clock.advance(10_000);
    const job = (await h.get(`/jobs/${r.body._id}`)).body;
    expect(job).toMatchObject({ status: 'completed', numSuccess: 5, numError: 0 });
    expect(await allErrors(`/flows/${flow._id}/${imp}/errors`)).toHaveLength(42);
    const again = await h.api('POST', `/flows/${flow._id}/${imp}/retry`, { retryDataKeys: keys });
    h.clock.advance(10_000);
    expect((await h.get(`/jobs/${again.body._id}`)).body).toMatchObject({ status: 'completed', numSuccess: 0, numError: 0 });
  });

  it('retry: non-fixable errors stay open, now on the retry job; fixing the mapping makes them fixable', async () => {
    const flow = byName(h, 'flows', 'Zendesk Users to Salesforce Contacts');
    const imp = flow.pageProcessors[0]._importId;
    const open = await allErrors(`/flows/${flow._id}/${imp}/errors`);
    const ids = open.slice(0, 4).map((e) => e.errorId);
    const oldJob = (await h.get(`/jobs/${open[0]._flowJobId}`)).body;
    const r = await h.api('POST', `/flows/${flow._id}/${imp}/retry`, { errorIds: ids });
    h.clock.advance(10_000);
    const job = (await h.get(`/jobs/${r.body._id}`)).body;
    expect(job).toMatchObject({ status: 'completed', numSuccess: 0, numError: 4, numOpenError: 4 });
    const still = (await allErrors(`/flows/${flow._id}/${imp}/errors`)).filter((e) => ids.includes(e.errorId));
    expect(still).toHaveLength(4);
    for (const e of still) expect(e).toMatchObject({ _flowJobId: r.body._id, occurredAt: job.endedAt });
    const oldAfter = (await h.get(`/jobs/${oldJob._id}`)).body;
    expect(oldAfter.numOpenError).toBeLessThan(oldJob.numOpenError);

    const current = (await h.get(`/imports/${imp}`)).body;
    const fields = [...current.mapping.fields, { extract: 'last_name', generate: 'LastName' }];
    expect((await h.api('PUT', `/imports/${imp}`, { ...current, mapping: { fields, lists: [] } })).status).toBe(200);
    const r2 = await h.api('POST', `/flows/${flow._id}/${imp}/retry`, { errorIds: ids });
    h.clock.advance(10_000);
    expect((await h.get(`/jobs/${r2.body._id}`)).body).toMatchObject({ numSuccess: 4, numError: 0 });
    expect((await h.get(`/jobs/${r.body._id}`)).body).toMatchObject({ numError: 4, numOpenError: 0, numResolved: 4 });
    const run = (await h.api('POST', `/flows/${flow._id}/run`)).body._jobId;
    h.clock.advance(30_000);
    expect((await h.get(`/jobs/${run}`)).body).toMatchObject({ status: 'completed', numError: 0 });
  });

  it('auth errors are fixed by a retry once the connection has new credentials', async () => {
    const flow = byName(h, 'flows', 'Salesforce Accounts to NetSuite Customers');
    const exp = flow.pageGenerators[0]._exportId;
    const open = await allErrors(`/flows/${flow._id}/${exp}/errors`);
    expect(open).toHaveLength(17);
    const keys = open.map((e) => e.retryDataKey);
    const conn = byName(h, 'connections', 'Salesforce - Integration User');
    const read = (await h.get(`/connections/${conn._id}`)).body;
    await h.api('PUT', `/connections/${conn._id}`, { ...read, salesforce: { ...read.salesforce, password: 'Spring2026!' } });
    const r = await h.api('POST', `/flows/${flow._id}/${exp}/retry`, { retryDataKeys: keys });
    h.clock.advance(10_000);
    expect((await h.get(`/jobs/${r.body._id}`)).body.numSuccess).toBe(17);
    expect((await h.get(`/flows/${flow._id}/${exp}/errors`)).body.errors).toEqual([]);
  });
});
