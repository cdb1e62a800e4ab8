// The clone protocol's answers (celigo-api.md W6) read by the core client against scripted answers: both
// preview shapes, the component list, the older single-object answer, and unexpected shapes as errors.
import { describe, it, expect } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { UnexpectedShapeError } from '../../src/core/errors.js';
import { mockFetch, noSleep, type Answer } from '../helpers/mock-fetch.js';

const base = 'https://api.integrator.io/v1';
const SRC = '665f000000000000000000aa';
const mk = (answers: Answer[]) => {
  const m = mockFetch(answers);
  return { api: new CeligoClient({ baseUrl: base, token: 't', fetch: m.fetch, sleep: noSleep, backoffMs: 1 }), calls: m.calls };
};
const map = { c1: 'c1' };

describe('clone preview', () => {
  it('reads the web app shape {objects:[{model, doc}]} grouped by model', async () => {
    const { api, calls } = mk([{ status: 200, body: { objects: [
      { model: 'Integration', doc: { _id: SRC, name: 'Orders' } },
      { model: 'Flow', doc: { _id: 'f1', name: 'Orders flow' } },
      { model: 'Connection', doc: { _id: 'c1', name: 'NetSuite', type: 'netsuite' } },
      { model: 'Connection', doc: { _id: 'c2', name: 'Shopify', type: 'http' } },
    ], stackRequired: false } }]);
    const p = await api.integrations.clonePreview(SRC);
    expect(calls[0]).toMatchObject({ method: 'GET', url: `${base}/integrations/${SRC}/clone/preview` });
    expect(p.objects.Connection?.map((c) => [c._id, c.type])).toEqual([['c1', 'netsuite'], ['c2', 'http']]);
    expect(p.objects.Flow?.map((c) => c._id)).toEqual(['f1']);
  });

  it('also reads {objects:{Connection:[…], …}}', async () => {
    const { api, calls } = mk([{ status: 200, body: { objects: { Flow: [{ _id: 'f1', name: 'F' }], Connection: [{ _id: 'c1', name: 'NS', type: 'netsuite' }] } } }]);
    const p = await api.flows.clonePreview('f1');
    expect(calls[0].url).toBe(`${base}/flows/f1/clone/preview`);
    expect(p.objects).toEqual({ Flow: [{ _id: 'f1', name: 'F' }], Connection: [{ _id: 'c1', name: 'NS', type: 'netsuite' }] });
  });

  it('any other shape is an error naming the endpoint and the keys seen', async () => {
    const { api } = mk([{ status: 200, body: { components: [], total: 0 } }]);
    const err = await api.integrations.clonePreview(SRC).catch((e) => e);
    expect(err).toBeInstanceOf(UnexpectedShapeError);
    expect(err.message).toContain(`GET /integrations/${SRC}/clone/preview`);
    expect(err.message).toContain('keys components, total');
  });
});

describe('clone answer', () => {
  it('sends the web app body and returns the component list', async () => {
    const made = [{ model: 'Integration', _id: 'n1' }, { model: 'Flow', _id: 'n2', name: 'F' }, { model: 'Export', _id: 'n3' }];
    const { api, calls } = mk([{ status: 201, body: made }]);
    const r = await api.integrations.clone(SRC, { connectionMap: map, name: 'Copy', tag: 'finance' });
    expect(r).toEqual(made);
    expect(calls[0]).toMatchObject({ method: 'POST', url: `${base}/integrations/${SRC}/clone` });
    expect(JSON.parse(calls[0].body!)).toEqual({ connectionMap: map, name: 'Copy', tag: 'finance' });
  });

  it('accepts the older answer (the new object itself), as a one-component list of the cloned model', async () => {
    const { api } = mk([
      { status: 201, body: { _id: 'n1', name: 'Copy', _registeredConnectionIds: ['c1'] } },
      { status: 201, body: { _id: 'n9', name: 'Flow copy', _integrationId: SRC, pageGenerators: [] } },
    ]);
    expect(await api.integrations.clone(SRC, { connectionMap: map, name: 'Copy' })).toEqual([{ model: 'Integration', _id: 'n1', name: 'Copy' }]);
    expect(await api.flows.clone('f1', { connectionMap: map, _integrationId: SRC })).toEqual([{ model: 'Flow', _id: 'n9', name: 'Flow copy' }]);
  });

  it("accepts the web app installer's {_integrationId} for an integration clone", async () => {
    const { api } = mk([{ status: 200, body: { _integrationId: 'n1' } }]);
    expect(await api.integrations.clone(SRC, { connectionMap: map })).toEqual([{ model: 'Integration', _id: 'n1' }]);
  });

  it('is never retried blindly: a 5xx on the POST surfaces after one request', async () => {
    const { api, calls } = mk([{ status: 502, body: 'bad gateway' }, { status: 201, body: [{ model: 'Integration', _id: 'n1' }] }]);
    const err = await api.integrations.clone(SRC, { connectionMap: map }).catch((e) => e);
    expect(err.status).toBe(502);
    expect(calls).toHaveLength(1);
  });

  for (const [what, body, seen] of [
    ['an object without _id', { ok: true, count: 3 }, 'keys ok, count'],
    ['an empty list', [], 'an empty list'],
    ['a list of entries without model', [{ _id: 'n1' }], 'first entry has keys _id'],
    ['no body', undefined, 'no body'],
  ] as const) {
    it(`${what} is an error naming the endpoint and what it saw`, async () => {
      const { api } = mk([{ status: body === undefined ? 204 : 201, body }]);
      const err = await api.flows.clone('f1', { connectionMap: map, _integrationId: SRC }).catch((e) => e);
      expect(err).toBeInstanceOf(UnexpectedShapeError);
      expect(err.message).toContain('POST /flows/f1/clone');
      expect(err.message).toContain(seen);
    });
  }
});
