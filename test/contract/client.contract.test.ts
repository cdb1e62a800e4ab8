// Contract tests: the core client against the emulator, one case per endpoint and per trap of
// design.md §2. The last test checks that every implemented route was exercised.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startEmulator, listRoutes, DEMO_TOKEN, DEMO_SCOPED_TOKEN, ManualClock, type RunningEmulator } from '../../src/emulator/index.js';
import { CeligoClient } from '../../src/core/client.js';
import { CeligoApiError, ConflictError, UsageError } from '../../src/core/errors.js';
import { flowSteps } from '../../src/core/flows.js';
import { MASKED, type Flow } from '../../src/core/schemas.js';

let emu: RunningEmulator;
let api: CeligoClient;
const clock = new ManualClock(Date.parse('2026-11-27T12:00:00.000Z'));
const hits: { method: string; path: string }[] = [];

function client(extra: Partial<ConstructorParameters<typeof CeligoClient>[0]> = {}) {
  return new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN, backoffMs: 1, sleep: async () => {}, ...extra });
}

async function raw(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(emu.baseUrl + path, {
    method,
    body,
    headers: { authorization: `Bearer ${DEMO_TOKEN}`, ...headers },
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? (() => { try { return JSON.parse(text); } catch { return undefined; } })() : undefined, headers: res.headers };
}

/** Flow with at least one import step and one export source. */
async function someFlow(): Promise<Flow> {
  const flows = await api.flows.list();
  const f = flows.find((x) => !x.disabled && flowSteps(x).some((s) => s.kind === 'import'));
  if (!f) throw new Error('demo seed has no enabled flow with an import');
  return f;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 'demo', clock, quiet: true });
  api = client();
});

afterAll(async () => {
  await emu?.close();
});

// Collect the request log after every test (reset clears it).
const collect = () => {
  for (const e of emu.requestLog()) hits.push({ method: e.method, path: e.path });
  emu.clearRequestLog();
};

describe('tokenInfo and auth', () => {
  it('tokenInfo answers for the demo token', async () => {
    const t = await api.tokenInfo();
    expect(t.scope).toBe('*');
    expect(t._userId).toMatch(/^[0-9a-f]{24}$/);
    collect();
  });

  it('401 for an unknown token, with a remedy naming CELIGO_API_TOKEN', async () => {
    const bad = new CeligoClient({ baseUrl: emu.baseUrl, token: 'nope' });
    const err: CeligoApiError = await bad.integrations.list().catch((e) => e);
    expect(err.status).toBe(401);
    expect(err.code).toBe('unauthorized');
    expect(err.remedy).toMatch(/CELIGO_API_TOKEN/);
    expect(err.summary).not.toContain('nope');
    collect();
  });

  it('403 for the scoped token outside its resources', async () => {
    const scoped = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_SCOPED_TOKEN });
    const err: CeligoApiError = await scoped.integrations.list().catch((e) => e);
    expect(err.status).toBe(403);
    expect(err.remedy).toMatch(/scope/);
    const conns = await scoped.connections.list();
    expect(conns.length).toBeGreaterThan(0);
    expect(conns.length).toBeLessThan((await api.connections.list()).length);
    collect();
  });
});

describe('integrations', () => {
  it('lists, gets, creates, updates, patches, deletes', async () => {
    const all = await api.integrations.list();
    expect(all.length).toBeGreaterThanOrEqual(5);
    const one = await api.integrations.get(all[0]._id);
    expect(one.name).toBe(all[0].name);

    const created = await api.integrations.create({ name: 'Contract test integration', description: 'd' });
    expect(created._id).toMatch(/^[0-9a-f]{24}$/);
    clock.advance(10);
    const updated = await api.integrations.update(created._id, (i) => {
      i.description = 'changed';
    });
    expect(updated.description).toBe('changed');
    expect(updated.name).toBe('Contract test integration');
    await api.integrations.patch(created._id, { name: 'Patched name' });
    expect((await api.integrations.get(created._id)).name).toBe('Patched name');
    await api.integrations.delete(created._id);
    const gone: CeligoApiError = await api.integrations.get(created._id).catch((e) => e);
    expect(gone.status).toBe(404);
    expect(gone.remedy).toMatch(/list the integrations to find valid ids/);
    collect();
  });

  it('sub-resources: flows, connections, exports, imports, errors, audit, dependencies, template, latest jobs', async () => {
    const f = await someFlow();
    const id = f._integrationId!;
    const flows = await api.integrations.flows(id);
    expect(flows.some((x) => x._id === f._id)).toBe(true);
    expect((await api.integrations.connections(id)).length).toBeGreaterThan(0);
    expect((await api.integrations.exports(id)).length).toBeGreaterThan(0);
    expect((await api.integrations.imports(id)).length).toBeGreaterThan(0);
    const summary = await api.integrations.errorSummary(id);
    expect(summary.map((s) => s._flowId).sort()).toEqual(flows.map((x) => x._id).sort());
    expect(Array.isArray(await api.integrations.audit(id))).toBe(true);
    const deps = await api.integrations.dependencies(id);
    expect(deps.some((d) => d.type === 'flow')).toBe(true);
    expect(await api.integrations.template(id)).toBeTruthy();
    expect(Array.isArray(await api.integrations.latestJobs(id))).toBe(true);
    collect();
  });

  it('previews an integration clone (W6): the integration, its flows and steps, every connection with its type', async () => {
    const f = await someFlow();
    const p = await api.integrations.clonePreview(f._integrationId!);
    expect(p.objects.Integration?.map((d) => d._id)).toEqual([f._integrationId]);
    expect(p.objects.Flow?.map((d) => d._id)).toContain(f._id);
    expect(p.objects.Export?.length).toBeGreaterThan(0);
    expect(p.objects.Import?.length).toBeGreaterThan(0);
    const conns = p.objects.Connection ?? [];
    expect(conns.length).toBeGreaterThan(0);
    for (const c of conns) expect(c).toMatchObject({ _id: expect.any(String), name: expect.any(String), type: expect.any(String) });
    collect();
  });

  it('clones an integration with a connectionMap covering the preview: the answer lists every created component', async () => {
    const f = await someFlow();
    const src = await api.integrations.get(f._integrationId!);
    const p = await api.integrations.clonePreview(src._id);
    const connectionMap = Object.fromEntries((p.objects.Connection ?? []).map((c) => [c._id, c._id]));
    const made = await api.integrations.clone(src._id, { name: 'Cloned by contract test', connectionMap });
    const newId = made.find((m) => m.model === 'Integration')!._id;
    const srcFlows = await api.integrations.flows(src._id);
    const newFlows = await api.integrations.flows(newId);
    expect(newFlows.length).toBe(srcFlows.length);
    expect(made.filter((m) => m.model === 'Flow').map((m) => m._id).sort()).toEqual(newFlows.map((x) => x._id).sort());
    const steps = new Set(newFlows.flatMap((x) => flowSteps(x).map((st) => st.id)));
    expect(made.filter((m) => m.model === 'Export' || m.model === 'Import').every((m) => steps.has(m._id))).toBe(true);
    expect(made.filter((m) => m.model === 'Export' || m.model === 'Import').length).toBe(steps.size);
    collect();
  });

  it('clone with a connectionMap missing a previewed connection: 400 invalid_connectionMap, nothing created', async () => {
    const f = await someFlow();
    const p = await api.integrations.clonePreview(f._integrationId!);
    const [, ...rest] = p.objects.Connection ?? [];
    const before = (await api.integrations.list()).length;
    const err: CeligoApiError = await api.integrations.clone(f._integrationId!, { name: 'Half mapped', connectionMap: Object.fromEntries(rest.map((c) => [c._id, c._id])) }).catch((e) => e);
    expect(err).toBeInstanceOf(CeligoApiError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid_connectionMap');
    expect((await api.integrations.list()).length).toBe(before);
    collect();
  });
});

describe('flows', () => {
  it('CRUD with read-modify-write keeping every other field', async () => {
    const f = await someFlow();
    const before = await api.flows.get(f._id);
    clock.advance(10);
    const after = await api.flows.update(f._id, (x) => {
      x.description = 'set by contract test';
    });
    expect(after.pageGenerators).toEqual(before.pageGenerators);
    expect(after.pageProcessors).toEqual(before.pageProcessors);
    expect(after.schedule).toEqual(before.schedule);
    await api.flows.patch(f._id, { description: 'patched' });
    expect((await api.flows.get(f._id)).description).toBe('patched');

    const created = await api.flows.create({ name: 'Contract flow', _integrationId: f._integrationId, disabled: true, pageGenerators: before.pageGenerators, pageProcessors: before.pageProcessors });
    expect(created.disabled).toBe(true);
    const replaced = await api.flows.replace(created._id, { name: 'Only a name' });
    expect(replaced.pageGenerators ?? []).toEqual([]); // PUT is a full replace: omitted fields are gone
    await api.flows.delete(created._id);
    collect();
  });

  it('PATCH outside the whitelist is refused with 422', async () => {
    const f = await someFlow();
    const err: CeligoApiError = await api.flows.patch(f._id, { pageProcessors: [] }).catch((e) => e);
    expect(err.status).toBe(422);
    collect();
  });

  it('runs a flow: 201 with a job that moves queued -> running -> done', async () => {
    const f = await someFlow();
    const { _jobId } = await api.flows.run(f._id);
    const q = await api.jobs.get(_jobId);
    expect(q.status).toBe('queued');
    clock.advance(1_000);
    expect((await api.jobs.get(_jobId)).status).toBe('running');
    clock.advance(10 * 60_000);
    const done = await api.jobs.get(_jobId);
    expect(['completed', 'failed']).toContain(done.status);
    const kids = await api.jobs.children(_jobId);
    expect(kids.length).toBe(flowSteps(f).length);
    expect(kids.every((k) => k._flowJobId === _jobId)).toBe(true);
    expect((await api.flows.latestJobs(f._id)).length).toBeGreaterThan(0);
    collect();
  });

  it('running a disabled flow is refused with 422', async () => {
    const disabled = (await api.flows.list({ disabled: true }))[0];
    expect(disabled).toBeTruthy();
    const err: CeligoApiError = await api.flows.run(disabled._id).catch((e) => e);
    expect(err.status).toBe(422);
    collect();
  });

  it('clone, error summary, dependencies, audit, template', async () => {
    const f = await someFlow();
    const steps = flowSteps(f);
    const summary = await api.flows.errorSummary(f._id);
    expect(summary.map((s) => s._expOrImpId).sort()).toEqual([...new Set(steps.map((s) => s.id))].sort());
    const deps = await api.flows.dependencies(f._id);
    expect(deps.some((d) => d.type === 'export' || d.type === 'import' || d.type === 'connection')).toBe(true);
    expect(Array.isArray(await api.flows.audit(f._id))).toBe(true);
    expect(await api.flows.template(f._id)).toBeTruthy();
    expect(await api.flows.descendants(f._id)).toBeTruthy();
    const preview = await api.flows.clonePreview(f._id);
    expect(preview.objects.Flow?.map((d) => d._id)).toEqual([f._id]);
    const conns = (preview.objects.Connection ?? []).map((c) => c._id);
    expect(conns.sort()).toEqual([...new Set((await api.flows.dependencies(f._id)).filter((d) => d.type === 'connection').map((d) => d._id))].sort());
    const cloned = await api.flows.clone(f._id, { _integrationId: f._integrationId!, name: 'Clone of flow', connectionMap: Object.fromEntries(conns.map((c) => [c, c])) });
    expect(cloned.filter((c) => c.model === 'Flow')).toHaveLength(1);
    expect((await api.flows.get(cloned.find((c) => c.model === 'Flow')!._id)).name).toBe('Clone of flow');
    const noMap: CeligoApiError = await api.flows.clone(f._id, { _integrationId: f._integrationId!, connectionMap: {} }).catch((e) => e);
    expect(noMap.status).toBe(400);
    expect(noMap.code).toBe('invalid_connectionMap');
    collect();
  });
});

describe('exports and imports', () => {
  it('CRUD, invoke, dependencies, audit', async () => {
    const exps = await api.exports.list();
    const imps = await api.imports.list();
    expect(exps.length).toBeGreaterThan(0);
    expect(imps.length).toBeGreaterThan(0);
    const e = await api.exports.get(exps[0]._id);
    const sample = await api.exports.invoke(e._id);
    expect(sample.length).toBeGreaterThan(0);
    expect(await api.exports.clone(e._id, { name: 'Export clone' })).toBeTruthy();
    expect(await api.imports.clone(imps[0]._id, { name: 'Import clone' })).toBeTruthy();
    const conn = (await api.connections.list())[0];
    const ne = await api.exports.create({ name: 'Contract export', adaptorType: 'HTTPExport', _connectionId: conn._id, http: { method: 'GET', relativeURI: '/x' } });
    clock.advance(5);
    await api.exports.update(ne._id, (x) => {
      x.name = 'Contract export 2';
    });
    await api.exports.patch(ne._id, { name: 'Contract export 3' });
    expect((await api.exports.get(ne._id)).name).toBe('Contract export 3');
    expect(Array.isArray(await api.exports.dependencies(ne._id))).toBe(true);
    expect((await api.exports.audit(ne._id)).length).toBeGreaterThan(0);
    await api.exports.delete(ne._id);

    const ni = await api.imports.create({ name: 'Contract import', adaptorType: 'HTTPImport', _connectionId: conn._id, mapping: { fields: [{ extract: 'a', generate: 'b' }], lists: [] } });
    const gi = await api.imports.get(ni._id);
    expect(gi.mapping).toEqual({ fields: [{ extract: 'a', generate: 'b' }], lists: [] });
    clock.advance(5);
    await api.imports.update(ni._id, (x) => {
      x.name = 'Contract import 2';
    });
    await api.imports.patch(ni._id, { name: 'Contract import 3' });
    expect(Array.isArray(await api.imports.dependencies(ni._id))).toBe(true);
    expect(Array.isArray(await api.imports.audit(ni._id))).toBe(true);
    await api.imports.delete(ni._id);
    collect();
  });

  it('422 with one line per bad field', async () => {
    const err: CeligoApiError = await api.exports.create({ name: '', adaptorType: 'httpexport' }).catch((e) => e);
    expect(err.status).toBe(422);
    expect(err.fieldErrors.map((f) => f.field).sort()).toEqual(['adaptorType', 'name']);
    expect(err.remedy).toMatch(/^Fix: /);
    collect();
  });
});

describe('connections', () => {
  it('CRUD with masked secrets; a PUT with "******" keeps the secret', async () => {
    const c = await api.connections.create({ name: 'Contract HTTP', type: 'http', http: { baseURI: 'https://example.com', auth: { type: 'token', token: { token: 'real-secret-value' } } } });
    const got = await api.connections.get(c._id);
    expect((got.http as { auth: { token: { token: string } } }).auth.token.token).toBe(MASKED);
    // The client refuses to send the mask back...
    const refused = await api.connections.update(c._id, (x) => {
      x.name = 'Renamed';
    }).catch((e) => e);
    expect(refused).toBeInstanceOf(UsageError);
    // ...and the emulator, given it anyway by a raw PUT, keeps the stored secret.
    const body = { ...got, name: 'Raw renamed' };
    delete (body as Record<string, unknown>)._id;
    const r = await raw('PUT', `/connections/${c._id}`, JSON.stringify(body), { 'content-type': 'application/json' });
    expect(r.status).toBe(200);
    expect(emu.store.connections.get(c._id)).toBeTruthy();
    expect(JSON.stringify(emu.store.connections.get(c._id))).toContain('real-secret-value');
    // `offline` is not patchable (celigo-api.md W15): the emulator refuses it as the real whitelist would.
    await expect(api.connections.patch(c._id, { offline: true })).rejects.toMatchObject({ status: 422 });
    await api.connections.patch(c._id, { name: 'Patched name' });
    expect((await api.connections.get(c._id)).name).toBe('Patched name');
    expect(Array.isArray(await api.connections.dependencies(c._id))).toBe(true);
    expect(Array.isArray(await api.connections.audit(c._id))).toBe(true);
    await api.connections.delete(c._id);
    collect();
  });

  it('ping and test report healthy, broken and offline connections', async () => {
    const conns = await api.connections.list();
    const results = await Promise.all(conns.map((c) => api.connections.ping(c._id)));
    expect(results.filter((r) => r.ok).length).toBeGreaterThan(0);
    expect(results.filter((r) => !r.ok).length).toBeGreaterThanOrEqual(2);
    expect(results.find((r) => !r.ok)?.message).toBeTruthy();
    const t = await api.connections.ping(conns[0]._id, { thorough: true });
    expect(typeof t.ok).toBe('boolean');
    const unsaved = await api.connections.pingUnsaved({ name: 'Unsaved', type: 'http', http: { baseURI: 'https://example.com' } });
    expect(typeof unsaved.ok).toBe('boolean');
    // GET ping (the 2017 form) works too
    expect((await raw('GET', `/connections/${conns[0]._id}/ping`)).status).toBe(200);
    collect();
  });
});

describe('jobs', () => {
  it('lists with filters, newest first, and enforces the parent-job rule', async () => {
    const f = await someFlow();
    const jobs = await api.jobs.list({ _flowId: f._id, type: 'flow' });
    expect(jobs.length).toBeGreaterThan(0);
    const times = jobs.map((j) => Date.parse(j.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const failed = await api.jobs.list({ _integrationId: f._integrationId, status: 'failed', createdAt_gte: new Date(clock.now() - 7 * 86_400_000).toISOString() });
    expect(failed.every((j) => j.status === 'failed')).toBe(true);
    const withErrors = await api.jobs.list({ _flowId: f._id, numError_gte: 1 });
    expect(withErrors.every((j) => (j.numError ?? 0) >= 1)).toBe(true);
    const bad: CeligoApiError = await api.jobs.list({ status: 'failed' }).catch((e) => e);
    expect(bad.status).toBe(400);
    expect(bad.code).toBe('invalid_query');
    collect();
  });

  it('gets and cancels a job', async () => {
    const f = await someFlow();
    const { _jobId } = await api.flows.run(f._id);
    expect((await api.jobs.current({})).some((j) => j._id === _jobId)).toBe(true);
    const c = await api.jobs.cancel(_jobId);
    expect(c.status).toBe('canceled');
    expect((await api.jobs.get(_jobId)).status).toBe('canceled');
    const { _jobId: second } = await api.flows.run(f._id);
    await api.jobs.delete(second);
    expect((await api.jobs.get(second)).status).toBe('canceled');
    const failedJob = (await api.jobs.list({ createdAt_gte: new Date(clock.now() - 7 * 86_400_000).toISOString(), numError_gte: 1 }, { limit: 1 }))[0];
    expect((await api.jobs.jobErrors(failedJob._id)).length).toBeGreaterThan(0);
    clock.advance(10 * 60_000);
    collect();
  });
});

describe('errors', () => {
  it('lists open errors of a step, resolves some, and finds them under resolved', async () => {
    const flows = await api.flows.list();
    let target: { flow: string; step: string } | undefined;
    for (const f of flows) {
      const s = (await api.flows.errorSummary(f._id)).find((x) => x.numError >= 2);
      if (s) {
        target = { flow: f._id, step: s._expOrImpId };
        break;
      }
    }
    expect(target).toBeTruthy();
    const open = await api.errors.listOpen(target!.flow, target!.step);
    expect(open.length).toBeGreaterThanOrEqual(2);
    expect(open[0].retryDataKey).toBeTruthy();
    await api.errors.resolve(target!.flow, target!.step, [open[0].errorId]);
    const after = await api.errors.listOpen(target!.flow, target!.step);
    expect(after.length).toBe(open.length - 1);
    const resolved = await api.errors.listResolved(target!.flow, target!.step);
    expect(resolved.some((e) => e.errorId === open[0].errorId)).toBe(true);
    const retry = await api.errors.retry(target!.flow, target!.step, [open[1].retryDataKey!]);
    expect(retry._id).toBeTruthy();
    expect((await api.jobs.get(retry._id!)).type).toBe('retry');
    collect();
  });

  it('pages errors with nextPageURL', async () => {
    const emu2 = await startEmulator({ port: 0, seed: 'demo', clock: new ManualClock(clock.now()), errorsPageSize: 3, quiet: true });
    try {
      const api2 = new CeligoClient({ baseUrl: emu2.baseUrl, token: DEMO_TOKEN });
      let found = false;
      for (const f of await api2.flows.list()) {
        const s = (await api2.flows.errorSummary(f._id)).find((x) => x.numError > 7);
        if (!s) continue;
        const all = await api2.errors.listOpen(f._id, s._expOrImpId);
        expect(all.length).toBe(s.numError);
        expect(new Set(all.map((e) => e.errorId)).size).toBe(all.length);
        const log = emu2.requestLog().filter((r) => r.path.includes(`/${s._expOrImpId}/errors`));
        expect(log.length).toBe(Math.ceil(s.numError / 3));
        found = true;
        break;
      }
      expect(found).toBe(true);
    } finally {
      await emu2.close();
    }
  });
});

describe('tags, state, audit', () => {
  it("an integration's one tag: the client sends exactly Celigo's JSON Patch, the emulator stores it (W5)", async () => {
    const sent: { method: string; url: string; body?: string }[] = [];
    const c = client({ fetch: (url, init) => { sent.push({ method: init.method, url, body: init.body }); return globalThis.fetch(url, init); } });
    const integ = (await c.integrations.list()).find((i) => i.tag === undefined)!;
    await c.integrations.patch(integ._id, { tag: 'contract' });
    expect(sent.at(-1)).toEqual({ method: 'PATCH', url: `${emu.baseUrl}/integrations/${integ._id}`, body: JSON.stringify([{ op: 'replace', path: '/tag', value: 'contract' }]) });
    expect((await c.integrations.get(integ._id)).tag).toBe('contract');
    expect((await c.integrations.list()).find((i) => i._id === integ._id)?.tag).toBe('contract');
    await c.integrations.unset(integ._id, ['tag']);
    expect(sent.at(-1)).toEqual({ method: 'PATCH', url: `${emu.baseUrl}/integrations/${integ._id}`, body: JSON.stringify([{ op: 'remove', path: '/tag' }]) });
    expect(await c.integrations.get(integ._id)).not.toHaveProperty('tag');
    // The merge-patch form (patchFormat "merge") clears with null.
    const m = client({ patchFormat: 'merge', fetch: (url, init) => { sent.push({ method: init.method, url, body: init.body }); return globalThis.fetch(url, init); } });
    await m.integrations.patch(integ._id, { tag: 'merged' });
    expect(sent.at(-1)?.body).toBe(JSON.stringify({ tag: 'merged' }));
    expect((await m.integrations.get(integ._id)).tag).toBe('merged');
    await m.integrations.unset(integ._id, ['tag']);
    expect(sent.at(-1)?.body).toBe(JSON.stringify({ tag: null }));
    expect(await m.integrations.get(integ._id)).not.toHaveProperty('tag');
    collect();
  });

  it('tags CRUD', async () => {
    const t = await api.tags.create({ tag: 'contract' });
    expect((await api.tags.get(t._id)).tag).toBe('contract');
    const u = await api.tags.replace(t._id, { tag: 'contract-2' });
    expect(u.tag).toBe('contract-2');
    expect((await api.tags.list()).some((x) => x._id === t._id)).toBe(true);
    await api.tags.delete(t._id);
    collect();
  });

  it('state: global and resource-scoped keys', async () => {
    expect(await api.state.put('contract-key', { a: 1 })).toBe('created');
    expect(await api.state.put('contract-key', { a: 2 })).toBe('updated');
    expect(await api.state.get('contract-key')).toEqual({ a: 2 });
    expect(await api.state.keys()).toContain('contract-key');
    await api.state.delete('contract-key');
    expect(await api.state.get('contract-key')).toBeUndefined();
    const f = await someFlow();
    const ids = {
      integrations: f._integrationId!,
      flows: f._id,
      exports: (await api.exports.list())[0]._id,
      imports: (await api.imports.list())[0]._id,
      connections: (await api.connections.list())[0]._id,
    };
    for (const [resourceType, id] of Object.entries(ids)) {
      const scope = { resourceType: resourceType as keyof typeof ids, id };
      await api.state.put('k', [1, 2], scope);
      expect(await api.state.get('k', scope)).toEqual([1, 2]);
      expect(await api.state.keys(scope)).toEqual(['k']);
      await api.state.delete('k', scope);
      await api.state.put('k2', 'v', scope);
      await api.state.clear(scope);
      expect(await api.state.keys(scope)).toEqual([]);
    }
    await api.state.put('global-a', 1);
    const saved = await api.state.keys();
    const values = await Promise.all(saved.map((k) => api.state.get(k)));
    await api.state.clear();
    expect(await api.state.keys()).toEqual([]);
    for (let i = 0; i < saved.length; i++) if (saved[i] !== 'global-a') await api.state.put(saved[i], values[i]);
    collect();
  });

  it('account audit log records our writes', async () => {
    const entries = await api.audit({ resourceType: 'integration' });
    expect(entries.length).toBeGreaterThan(0);
    collect();
  });
});

describe('traps', () => {
  it('a list of several pages is read to the end', async () => {
    const emu2 = await startEmulator({ port: 0, seed: 'demo', pageSize: 3, quiet: true });
    try {
      const api2 = new CeligoClient({ baseUrl: emu2.baseUrl, token: DEMO_TOKEN });
      const flows = await api2.flows.list();
      expect(flows.length).toBe(emu2.store.flows.size);
      expect(emu2.requestLog().filter((r) => r.path.startsWith('/v1/flows')).length).toBe(Math.ceil(flows.length / 3));
    } finally {
      await emu2.close();
    }
  });

  it('204 on an empty account is an empty list', async () => {
    const emu2 = await startEmulator({ port: 0, seed: 'empty', quiet: true });
    try {
      const api2 = new CeligoClient({ baseUrl: emu2.baseUrl, token: DEMO_TOKEN });
      expect(emu2.requestLog()).toHaveLength(0);
      expect(await api2.integrations.list()).toEqual([]);
      expect(emu2.requestLog()[0].status).toBe(204);
    } finally {
      await emu2.close();
    }
  });

  it('jobs past 1,000 rows are all read, without duplicates', async () => {
    const emu2 = await startEmulator({ port: 0, seed: 'large', rateLimit: false, quiet: true });
    try {
      const api2 = new CeligoClient({ baseUrl: emu2.baseUrl, token: DEMO_TOKEN });
      const since = new Date(Date.now() - 24 * 3_600_000).toISOString();
      const jobs = await api2.jobs.list({ createdAt_gte: since, type: 'flow' });
      expect(jobs.length).toBeGreaterThanOrEqual(20_000);
      expect(new Set(jobs.map((j) => j._id)).size).toBe(jobs.length);
      expect(emu2.requestLog().length).toBeGreaterThanOrEqual(Math.ceil(jobs.length / 1000));
    } finally {
      await emu2.close();
    }
  });

  it('429 then success: waits Retry-After', async () => {
    emu.setFaults({ next: [{ status: 429, retryAfter: 1, match: 'GET /v1/tags' }] });
    const slept: number[] = [];
    const c = client({ sleep: async (ms) => void slept.push(ms) });
    expect(Array.isArray(await c.tags.list())).toBe(true);
    expect(slept[0]).toBeGreaterThanOrEqual(1000);
    emu.setFaults({});
    collect();
  });

  it('the real bucket answers 429 with Retry-After and the client rides it out', async () => {
    const emu2 = await startEmulator({ port: 0, seed: 'demo', rateLimit: { capacity: 5, refillPerSec: 50 }, quiet: true });
    try {
      const api2 = new CeligoClient({ baseUrl: emu2.baseUrl, token: DEMO_TOKEN });
      // Distinct queries: identical GETs in flight would share one request (core/shared-reads.ts).
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => api2.tags.list({ n: i })));
      expect(results).toHaveLength(20);
      const limited = emu2.requestLog().filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(api2.http.stats.rateLimited).toBe(limited.length);
    } finally {
      await emu2.close();
    }
  });

  it('5xx then success for a GET', async () => {
    emu.setFaults({ next: [{ status: 503, match: 'GET /v1/tags' }, { status: 500, match: 'GET /v1/tags' }] });
    expect(Array.isArray(await api.tags.list())).toBe(true);
    const log = emu.requestLog().filter((r) => r.path.startsWith('/v1/tags'));
    expect(log.map((r) => r.status)).toEqual([503, 500, 200]);
    emu.setFaults({});
    collect();
  });

  it('a connection reset on GET is retried', async () => {
    emu.setFaults({ next: [{ reset: true, match: 'GET /v1/tags' }] });
    expect(Array.isArray(await api.tags.list())).toBe(true);
    emu.setFaults({});
    collect();
  });

  it('a POST run that fails ambiguously is not repeated', async () => {
    const f = await someFlow();
    const before = (await api.jobs.list({ _flowId: f._id, type: 'flow' })).length;
    emu.clearRequestLog();
    emu.setFaults({ next: [{ status: 502, when: 'after', match: 'POST /v1/flows/.*/run' }] });
    const err: CeligoApiError = await api.flows.run(f._id).catch((e) => e);
    expect(err.status).toBe(502);
    const posts = emu.requestLog().filter((r) => r.method === 'POST' && r.path.endsWith('/run'));
    expect(posts).toHaveLength(1);
    // the run did start on the server: exactly one new job
    expect((await api.jobs.list({ _flowId: f._id, type: 'flow' })).length).toBe(before + 1);
    emu.setFaults({});
    clock.advance(10 * 60_000);
    collect();
  });

  it('a concurrent edit is detected and nothing is written', async () => {
    const f = await someFlow();
    let interfered = false;
    const err = await api.flows
      .update(f._id, async (x) => {
        if (!interfered) {
          interfered = true;
          clock.advance(5);
          await client().flows.patch(f._id, { description: 'someone else' });
        }
        x.name = 'mine';
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    const now = await api.flows.get(f._id);
    expect(now.name).toBe(f.name);
    expect(now.description).toBe('someone else');
    collect();
  });

  it('read-only blocks writes before they leave the process', async () => {
    const ro = client({ readOnly: true });
    emu.clearRequestLog();
    const f = await someFlow();
    for (const attempt of [
      () => ro.flows.run(f._id),
      () => ro.integrations.create({ name: 'x' }),
      () => ro.flows.patch(f._id, { name: 'x' }),
      () => ro.flows.delete(f._id),
      () => ro.state.put('x', 1),
    ]) {
      const err: CeligoApiError = await attempt().catch((e) => e);
      expect(err.code).toBe('read_only');
    }
    expect(await ro.flows.get(f._id)).toBeTruthy();
    expect(emu.requestLog().filter((r) => r.mutating)).toHaveLength(0);
    collect();
  });

  it('bad input to the emulator gets the right status and envelope', async () => {
    const notJson = await raw('POST', '/integrations', 'name=x', { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(415);
    expect(notJson.json.errors[0].code).toBeTruthy();
    const malformed = await raw('POST', '/integrations', '{"name":', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(Array.isArray(malformed.json.errors)).toBe(true);
    const invalid = await raw('POST', '/flows', JSON.stringify({ name: 'x', schedule: '0 2 * *' }), { 'content-type': 'application/json' });
    expect(invalid.status).toBe(422);
    expect(invalid.json.errors[0].field).toBe('schedule');
    const missing = await raw('GET', '/flows/0123456789abcdef01234567');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ errors: [expect.objectContaining({ code: 'not_found' })] });
    const both = await raw('GET', '/flows?include=name&exclude=name');
    expect(both.status).toBe(400);
    expect(both.json.errors[0].code).toBe('invalid_query_params');
    collect();
  });
});

// Celigo's own web app (celigo-api.md, corrections section): one case per W row, in both forms where the
// row says to accept both, and each fails on the old belief.
describe('corrections from Celigo\'s web app (W rows)', () => {
  const forms = async (body: Record<string, string>) => {
    const r = await fetch(`${emu.url}/__emulator/forms`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
  };
  const since = '2026-11-20T00:00:00.000Z';
  afterAll(async () => {
    await forms({ all: 'expected' });
  });

  it('W1: multi-value filters go out as bracket arrays, never commas; a comma list matches nothing', async () => {
    const rows = await api.jobs.list({ type_in: ['retry', 'bulk_retry'], createdAt_gte: since });
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['retry', 'bulk_retry']));
    const sent = emu.requestLog().map((e) => decodeURIComponent(e.path)).filter((p) => p.startsWith('/v1/jobs?'));
    expect(sent.some((p) => p.includes('type_in[0]=retry') && p.includes('type_in[1]=bulk_retry'))).toBe(true);
    expect(sent.some((p) => /type_in=[^&]*,/.test(p))).toBe(false);
    expect((await raw('GET', `/jobs?createdAt_gte=${since}&type_in=retry,bulk_retry`)).json).toEqual([]);
    // The other form: a parser without brackets. The client sends repeated keys once doctor has learned it.
    await forms({ 'array-filters': 'other' });
    const ignored = await api.jobs.list({ type_in: ['retry', 'bulk_retry'], createdAt_gte: since });
    expect(ignored.some((r) => r.type === 'flow')).toBe(true); // the brackets were ignored: the old client would see this
    const repeat = client({ forms: { arrayFilters: 'repeat' } });
    expect(new Set((await repeat.jobs.list({ type_in: ['retry', 'bulk_retry'], createdAt_gte: since })).map((r) => r.type))).toEqual(new Set(['retry', 'bulk_retry']));
    await forms({ 'array-filters': 'expected' });
    collect();
  });

  it('W2: bulk_retry jobs and the canceling status are known', async () => {
    const { JOB_STATUSES, JOB_TYPES } = await import('../../src/core/schemas.js');
    expect(JOB_STATUSES).toContain('canceling');
    expect(JOB_TYPES).toContain('bulk_retry');
    const bulk = await api.jobs.list({ type: 'bulk_retry', createdAt_gte: since });
    expect(bulk.length).toBeGreaterThan(0);
    collect();
  });

  it('W3: resolved errors are read under `resolved`, and under `errors` in the older form', async () => {
    const f = (await api.flows.list()).find((x) => x.name === 'Salesforce Case Comments to Zendesk')!;
    const step = flowSteps(f).find((st) => st.kind === 'import')!.id;
    const resolved = await api.errors.listResolved(f._id, step);
    expect(resolved.length).toBeGreaterThan(0);
    await forms({ 'resolved-key': 'other' });
    expect((await api.errors.listResolved(f._id, step)).length).toBe(resolved.length);
    await forms({ 'resolved-key': 'expected' });
    const { mockFetch } = await import('../helpers/mock-fetch.js');
    const m = mockFetch([{ status: 200, body: { items: [], total: 0 } }]);
    const odd = new CeligoClient({ baseUrl: 'https://api.integrator.io/v1', token: 't', fetch: m.fetch });
    await expect(odd.errors.listResolved('f1', 's1')).rejects.toThrow(/GET \/flows\/f1\/s1\/resolved.*keys items, total/);
    collect();
  });

  it('W4: audit entries carry event and byUser, and the log is read past its first page', async () => {
    const all = await api.audit({ from: '2026-11-01T00:00:00.000Z' });
    expect(all.length).toBeGreaterThan(100);
    expect(emu.requestLog().filter((e) => e.path.startsWith('/v1/audit')).length).toBeGreaterThan(1);
    const byPriya = all.find((e) => e.byUser?.name === 'Priya Natarajan');
    expect(byPriya).toMatchObject({ event: expect.stringMatching(/create|update|delete/), byUser: { email: 'priya.natarajan@acme.example' } });
    await forms({ 'audit-entries': 'other', 'audit-paging': 'other' });
    const legacy = await api.audit({ from: '2026-11-01T00:00:00.000Z' });
    expect(legacy.length).toBe(all.length);
    expect(legacy.find((e) => e._id === byPriya!._id)).toMatchObject({ event: byPriya!.event, byUser: { _id: byPriya!.byUser!._id } });
    await forms({ 'audit-entries': 'expected', 'audit-paging': 'expected' });
    const { mockFetch } = await import('../helpers/mock-fetch.js');
    const odd = new CeligoClient({ baseUrl: 'https://api.integrator.io/v1', token: 't', fetch: mockFetch([{ status: 200, body: { entries: [] } }]).fetch });
    await expect(odd.audit()).rejects.toThrow(/GET \/audit.*keys entries/);
    collect();
  });

  it('W7: dependencies entries use `id` (and `_id` in the older form); an unknown shape is an error', async () => {
    const conn = (await api.connections.list()).find((c) => c.name === 'Zendesk - acme.zendesk.com')!;
    const deps = await api.connections.dependencies(conn._id);
    expect(deps.filter((d) => d.type === 'flow').length).toBe(3);
    for (const d of deps) expect(d._id).toMatch(/^[0-9a-f]{24}$/);
    await forms({ dependencies: 'other' });
    expect(await api.connections.dependencies(conn._id)).toEqual(deps);
    await forms({ dependencies: 'expected' });
    const { mockFetch } = await import('../helpers/mock-fetch.js');
    const odd = new CeligoClient({ baseUrl: 'https://api.integrator.io/v1', token: 't', fetch: mockFetch([{ status: 200, body: { flows: [{ ref: 'x' }] } }]).fetch });
    await expect(odd.flows.dependencies('f1')).rejects.toThrow(/dependencies/);
    collect();
  });

  it('W8: running jobs come as {jobs} (or a bare array in the older form)', async () => {
    const f = await someFlow();
    const { _jobId } = await api.flows.run(f._id);
    const running = await api.jobs.current();
    expect(running.map((j) => j._id)).toContain(_jobId);
    await forms({ 'jobs-current': 'other' });
    expect((await api.jobs.current()).map((j) => j._id)).toContain(_jobId);
    await forms({ 'jobs-current': 'expected' });
    clock.advance(3_600_000);
    collect();
  });

  it('W16: run statistics in one call: one row per flow over its finished runs (one row per run in the other form)', async () => {
    const time_gt = Date.parse(since);
    const jobs = await api.jobs.list({ type: 'flow', createdAt_gt: since });
    const finished = jobs.filter((j) => ['completed', 'failed', 'canceled'].includes(j.status));
    const stats = async (body: Record<string, unknown>) => (await api.http.request<{ stats: Record<string, unknown>[] }>('POST', '/flows/runs/stats', { body, readOnlyPost: true })).body.stats;
    const perFlow = await stats({ sandbox: false, time_gt });
    const f = finished[0]!._flowId!;
    const mine = finished.filter((j) => j._flowId === f);
    const row = perFlow.find((r) => r._flowId === f)!;
    expect(row).toMatchObject({ numRuns: mine.length, numError: mine.reduce((n, j) => n + (j.numError ?? 0), 0), numSuccess: mine.reduce((n, j) => n + (j.numSuccess ?? 0), 0) });
    expect(row.lastExecutedAt).toEqual(expect.any(String));
    expect(new Set(perFlow.map((r) => r._flowId)).size).toBe(perFlow.length);
    expect((await stats({ time_gt, _flowIds: [f] })).map((r) => r._flowId)).toEqual([f]);
    expect(await stats({ time_gt: clock.now() })).toEqual([]);
    const bad: CeligoApiError = await api.http.request('POST', '/flows/runs/stats', { body: { sandbox: false }, readOnlyPost: true }).catch((e) => e);
    expect(bad.status).toBe(422);
    await forms({ 'run-stats': 'other' });
    const perRun = await stats({ time_gt, _flowIds: [f] });
    expect(perRun.map((r) => r._jobId).sort()).toEqual(mine.map((j) => j._id).sort());
    await forms({ 'run-stats': 'expected' });
    collect();
  });

  it('W9: a backdated run sends its start date under `export`', async () => {
    const f = await someFlow();
    const { _jobId } = await api.flows.run(f._id, { export: { startDate: '2026-11-01T00:00:00.000Z' } });
    expect(_jobId).toMatch(/^[0-9a-f]{24}$/);
    const old = await raw('POST', `/flows/${f._id}/run`, JSON.stringify({ startDate: '2026-11-01T00:00:00.000Z' }), { 'content-type': 'application/json' });
    expect(old.status).toBe(422);
    clock.advance(3_600_000);
    collect();
  });

  it('W10: a failed ping is HTTP 200 with the remote status in errors[0].code', async () => {
    const conns = await api.connections.list();
    const broken = await api.connections.ping(conns.find((c) => c.name === 'Salesforce - Integration User')!._id);
    expect(broken).toMatchObject({ ok: false, code: 401 });
    const off = await api.connections.ping(conns.find((c) => c.name === '3PL Partner SFTP')!._id);
    expect(off).toMatchObject({ ok: false, code: 503 });
    const { mockFetch } = await import('../helpers/mock-fetch.js');
    const odd = new CeligoClient({ baseUrl: 'https://api.integrator.io/v1', token: 't', fetch: mockFetch([{ status: 200, body: { errors: [{ code: 403, message: 'Forbidden' }] } }, { status: 200, body: ['?'] }]).fetch });
    expect(await odd.connections.ping('c1')).toMatchObject({ ok: false, code: 403, message: 'Forbidden' });
    await expect(odd.connections.ping('c1')).rejects.toThrow(/ping/);
    collect();
  });

  it('W12: standalone flows and their jobs are addressed with _integrationId=none', async () => {
    const standalone = await api.flows.list({ _integrationId: 'none' });
    const all = await api.flows.list();
    expect(standalone.map((f) => f._id).sort()).toEqual(all.filter((f) => !f._integrationId).map((f) => f._id).sort());
    expect(standalone.length).toBeGreaterThan(0);
    const jobs = await api.jobs.list({ _integrationId: 'none', type: 'flow', createdAt_gte: since });
    for (const j of jobs) expect(j._integrationId).toBeUndefined();
    collect();
  });

  it('W14: the type is always sent; children of a flow job are asked for as export and import', async () => {
    const [parent] = await api.jobs.list({ type: 'flow', status: 'completed', createdAt_gte: since }, { limit: 1 });
    const kids = await api.jobs.children(parent._id);
    expect(kids.length).toBeGreaterThan(0);
    for (const k of kids) expect(['export', 'import']).toContain(k.type);
    const sent = emu.requestLog().map((e) => decodeURIComponent(e.path)).filter((p) => p.startsWith('/v1/jobs?'));
    expect(sent.every((p) => /[?&]type(_in\[\d\])?=/.test(p))).toBe(true);
    collect();
  });

  it('users (/ashares) and scripts (/scripts) are listed', async () => {
    const shares = await raw('GET', '/ashares');
    expect(shares.json.map((u: any) => u.sharedWithUser.email)).toContain('priya.natarajan@acme.example');
    const scripts = await raw('GET', '/scripts');
    expect(scripts.json.length).toBeGreaterThan(0);
    expect(scripts.json[0].content).toBeUndefined();
    expect((await raw('GET', `/scripts/${scripts.json[0]._id}`)).json.content).toMatch(/function/);
    collect();
  });
});

describe('issue 17 endpoints (deeper cases: test/contract/manage.contract.test.ts)', () => {
  it('lookup caches, the recycle bin and a job\'s error file answer as the client reads them', async () => {
    const caches = await api.lookupCaches.list();
    expect(caches.map((c) => c.name)).toContain('Shopify SKU to NetSuite Item');
    const made = await api.lookupCaches.create({ name: 'contract cache' });
    await api.lookupCaches.putData(made._id, [{ key: 'a', value: '1' }]);
    expect(await api.lookupCaches.getData(made._id)).toEqual([{ key: 'a', value: '1' }]);
    expect((await api.lookupCaches.get(made._id)).size).toBe(2);
    const conn = (await api.connections.list()).find((c) => c.name === 'NetSuite Sandbox')!;
    await api.connections.delete(conn._id);
    expect((await api.recycleBin.list()).length).toBeGreaterThan(0);
    expect(await api.recycleBin.find('connections', conn._id)).toBeTruthy();
    expect((await raw('GET', '/recycleBinTTL/connections')).json.length).toBeGreaterThan(0);
    await api.recycleBin.restore('connections', conn._id);
    expect((await api.connections.get(conn._id)).name).toBe('NetSuite Sandbox');
    await api.connections.delete(conn._id);
    expect((await raw('DELETE', `/recycleBinTTL/connections/${conn._id}`)).status).toBe(204);
    const [job] = await api.jobs.list({ type: 'flow', createdAt_gte: '2026-11-20T00:00:00.000Z', numError_gte: 1 }, { limit: 1 });
    const { errorFileUrl } = await import('../../src/core/job-files.js');
    expect(await errorFileUrl(api.http, job._id)).toMatch(/^http:\/\/.+\/__emulator\/downloads\/joberrors-/);
    collect();
  });
});

describe('coverage', () => {
  it('every implemented endpoint was exercised by these tests', () => {
    collect();
    const routes = listRoutes().filter((r) => r.implemented);
    const compiled = routes.map((r) => {
      const segs = r.path.split('/').filter(Boolean);
      const re = new RegExp('^/' + segs.map((s) => (s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/') + '$');
      return { key: `${r.method} ${r.path}`, method: r.method, re, literal: segs.filter((s) => !s.startsWith('{')).length };
    });
    const covered = new Set<string>();
    for (const h of hits) {
      const path = h.path.replace(/^\/v1/, '').split('?')[0];
      const matches = compiled.filter((c) => c.method === h.method && c.re.test(path)).sort((a, b) => b.literal - a.literal);
      if (matches[0]) covered.add(matches[0].key);
    }
    const missing = compiled.map((c) => c.key).filter((k) => !covered.has(k));
    expect(missing).toEqual([]);
  });
});
