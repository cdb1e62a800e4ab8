// Redaction of recordings (--record): shapes without data, one placeholder per distinct id across
// paths, query, bodies and Link URLs, and never the token. Plus the HTTP client's onExchange hook.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpClient, type HttpExchange } from '../../src/core/http.js';
import { Recorder, Redactor, parseRecording, type RecordedExchange } from '../../src/core/recording.js';
import { mockFetch, noSleep } from '../helpers/mock-fetch.js';

const BASE = 'https://api.integrator.io/v1';
const FLOW = '5f1a2b3c4d5e6f7a8b9c0d1e';
const STEP = '6a1f0e9d8c7b6a5f4e3d2c1b';
const JOB = '6a1f0e9d8c7b6a5f4e3d2c99';
const TOKEN = '5ec12e7c0ffee1234abcd5678ef90a1b';

function headers(h: Record<string, string>): HttpExchange['headers'] {
  const lower = new Map(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (n) => lower.get(n.toLowerCase()) ?? null };
}

function exchange(o: Partial<HttpExchange> & { body?: unknown; sent?: unknown }): HttpExchange {
  return {
    method: o.method ?? 'GET',
    url: o.url ?? `${BASE}/flows`,
    requestBody: o.sent !== undefined ? JSON.stringify(o.sent) : o.requestBody,
    status: o.status ?? 200,
    headers: o.headers ?? headers({ 'content-type': 'application/json' }),
    responseText: o.body !== undefined ? JSON.stringify(o.body) : (o.responseText ?? ''),
  };
}

/** Every string leaf of a recorded value (keys not included). */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

const ERRORS_PAGE = {
  errors: [
    { errorId: '7100000001', occurredAt: '2026-06-01T10:00:00.000Z', code: 'INVALID_LOGIN', message: 'Login failed for jane@acme.example', traceKey: 'SO-48213', retryDataKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', _flowJobId: JOB, oIndex: '0', retries: 2, resolved: false },
    { errorId: '7100000002', occurredAt: '2026-06-01T10:05:00.000Z', code: 'MISSING', message: 'Customer "Acme Corp" not found', traceKey: 'SO-48214', retryDataKey: 'ffeeddccbbaa99887766554433221100', _flowJobId: JOB, oIndex: '1', retries: 0, resolved: false, extra: null },
  ],
  nextPageURL: `/v1/flows/${FLOW}/${STEP}/errors?after=7100000002`,
};

describe('Redactor', () => {
  it('keeps keys, turns values into type markers, and leaves no data string behind', () => {
    const r = new Redactor(BASE);
    const x = r.exchange(exchange({ url: `${BASE}/flows/${FLOW}/${STEP}/errors`, body: ERRORS_PAGE }), 1);
    expect(x.path).toBe('/flows/<id:1>/<id:2>/errors');
    const body = x.body as { errors: { '<array>': number; of: Record<string, string> }; nextPageURL: string };
    expect(body.errors['<array>']).toBe(2);
    expect(body.errors.of).toEqual({
      errorId: '<id>',
      occurredAt: '<date>',
      code: '<string>',
      message: '<string>',
      traceKey: '<string>',
      retryDataKey: '<id>',
      _flowJobId: '<id:5>',
      oIndex: '<string>',
      retries: '<number>',
      resolved: '<boolean>',
      extra: '<null>',
    });
    expect(body.nextPageURL).toBe('<string>');
    const text = JSON.stringify(x);
    // Every string of the page (longer than a digit or two) is gone, and every string left in the body is a marker.
    for (const value of strings(ERRORS_PAGE).filter((v) => v.length > 3)) expect(text, value).not.toContain(value);
    for (const s of strings(x.body)) expect(s, s).toMatch(/^<[a-z|]+(?::\d+)?>$/);
  });

  it('gives each distinct id one placeholder, the same in paths, query, bodies and Link URLs', () => {
    const r = new Redactor(BASE);
    const a = r.exchange(
      exchange({
        url: `${BASE}/flows?_integrationId=${FLOW}&limit=100`,
        body: [{ _id: STEP, _integrationId: FLOW, name: 'Orders' }],
        headers: headers({ link: `<${BASE}/flows?_integrationId=${FLOW}&skip=100&limit=100>; rel="next"`, 'content-type': 'application/json', 'set-cookie': 'sid=1' }),
      }),
      1,
    );
    expect(a.query).toEqual({ _integrationId: '<id:1>', limit: '100' });
    expect(a.ids).toEqual({ '<id:2>': [0, '_id'], '<id:1>': [0, '_integrationId'] });
    expect(a.body).toEqual({ '<array>': 1, of: { _id: '<id:2>', _integrationId: '<id:1>', name: '<string>' } });
    expect(a.headers).toEqual({ link: '</flows?_integrationId=<id:1>&skip=100&limit=100>; rel="next"', 'content-type': 'application/json' });
    expect(a.kinds).toEqual({ '<id:1>': 'integrations', '<id:2>': 'flows' });

    const b = r.exchange(exchange({ method: 'POST', url: `${BASE}/flows/${STEP}/${FLOW}/retry`, sent: { errorIds: ['7100000001', '7100000002'], _integrationId: FLOW } }), 2);
    expect(b.path).toBe('/flows/<id:2>/<id:1>/retry');
    expect(b.requestBody).toEqual({ errorIds: { '<array>': 2, of: '<id>' }, _integrationId: '<id:1>' });
    expect(b.requestIds).toEqual([
      [['errorIds', 0], '<id:3>'],
      [['errorIds', 1], '<id:4>'],
      [['_integrationId'], '<id:1>'],
    ]);
    expect(b.kinds).toEqual({ '<id:3>': 'errors', '<id:4>': 'errors' });
    // An id used as an object key is a placeholder too.
    const c = r.exchange(exchange({ method: 'POST', url: `${BASE}/integrations/${FLOW}/clone`, sent: { connectionMap: { [JOB]: STEP } } }), 3);
    expect(c.requestBody).toEqual({ connectionMap: { '<id:5>': '<id:2>' } });
  });

  it('keeps vocabulary, counts, booleans and dates in the query, and redacts anything else', () => {
    const r = new Redactor(BASE);
    const q = new URLSearchParams();
    for (const [k, v] of [
      ['type_in[0]', 'flow'], ['type_in[1]', 'bulk_retry'], ['status', 'failed'], ['status', 'canceled'], ['limit', '50'], ['skip', '0'],
      ['include', 'name,_connectionId'], ['retriable', 'true'], ['createdAt_gte', '2026-06-01T00:00:00.000Z'], ['time_gt', '1686000000000'],
      ['_flowId', FLOW], ['name', 'Acme Orders'], ['numError_gte', '3'], ['q', 'secret customer'], ['type', 'drop table; --'],
    ]) q.append(k, v);
    const x = r.exchange(exchange({ url: `${BASE}/jobs?${q}`, body: [] }), 1);
    expect(x.query).toEqual({
      'type_in[0]': 'flow', 'type_in[1]': 'bulk_retry', status: ['failed', 'canceled'], limit: '50', skip: '0',
      include: 'name,_connectionId', retriable: 'true', createdAt_gte: '2026-06-01T00:00:00.000Z', time_gt: '1686000000000',
      _flowId: '<id:1>', name: '<string>', numError_gte: '<number>', q: '<string>', type: '<string>',
    });
    expect(x.body).toEqual({ '<array>': 0 });
  });

  it('keeps only fixed vocabulary in request bodies (JSON-Patch ops and paths, adaptor and connection types)', () => {
    const r = new Redactor(BASE);
    const patch = r.exchange(exchange({ method: 'PATCH', url: `${BASE}/integrations/${FLOW}`, sent: [{ op: 'replace', path: '/tag', value: 'critical customers' }] }), 1);
    expect(patch.requestBody).toEqual({ '<array>': 1, of: { op: 'replace', path: '/tag', value: '<string>' } });
    const create = r.exchange(exchange({ method: 'POST', url: `${BASE}/exports`, sent: { name: 'Acme', adaptorType: 'HTTPExport', type: 'not-a-type', path: '/tag' } }), 2);
    expect(create.requestBody).toEqual({ name: '<string>', adaptorType: 'HTTPExport', type: '<string>', path: '<string>' });
    // Answers keep no literal at all.
    const got = r.exchange(exchange({ url: `${BASE}/exports/${FLOW}`, body: { adaptorType: 'HTTPExport', type: 'http' } }), 3);
    expect(got.body).toEqual({ adaptorType: '<string>', type: '<string>' });
  });

  it('redacts path segments that are not API vocabulary, except celigo-manage\'s own state keys', () => {
    const r = new Redactor(BASE);
    expect(r.path('/v1/flows/Acme%20Orders')).toBe('/flows/<id:1>');
    expect(r.path('/v1/state/customer-list')).toBe('/state/<id:2>');
    expect(r.path('/v1/state/celigo-manage.integration-tags')).toBe('/state/celigo-manage.integration-tags');
    expect(r.path('/v1/flows/runs/stats')).toBe('/flows/runs/stats');
    expect(r.path('/v1/flows/Acme%20Orders/jobs/latest')).toBe('/flows/<id:1>/jobs/latest');
  });

  it('marks a non-JSON answer as <text> and another host in a Link as <other-host>', () => {
    const r = new Redactor(BASE);
    const x = r.exchange(exchange({ status: 502, responseText: '<html>Bad gateway at acme-proxy</html>', headers: headers({ link: '<https://evil.example/v1/flows?x=1>; rel="next"', 'retry-after': '7' }) }), 1);
    expect(x.body).toBe('<text>');
    expect(x.headers).toEqual({ link: '<other-host>; rel="next"', 'retry-after': '7' });
    expect(JSON.stringify(x)).not.toContain('acme');
  });
});

describe('Recorder', () => {
  it('writes JSON lines (header, then one line per exchange) and never the token', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rec-')), 'r.jsonl');
    const rec = new Recorder({ file, baseUrl: BASE, secrets: [TOKEN] });
    rec.onExchange(exchange({ url: `${BASE}/tokenInfo`, body: { _userId: FLOW, scope: 'all' } }));
    // Even a server that echoes the token (in a key, where values are not redacted) does not put it in the file.
    rec.onExchange(exchange({ url: `${BASE}/integrations`, body: { [TOKEN]: 1, note: TOKEN }, headers: headers({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }) }));
    rec.close();
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/authorization|cookie/i);
    const { header, exchanges } = parseRecording(text);
    expect(header).toMatchObject({ format: 'celigo-manage-recording', version: 1 });
    expect(exchanges.map((e: RecordedExchange) => [e.n, e.method, e.path])).toEqual([
      [1, 'GET', '/tokenInfo'],
      [2, 'GET', '/integrations'],
    ]);
    expect(exchanges[0].kinds).toEqual({ '<id:1>': 'users' });
  });

  it('parseRecording refuses other files with a reason', () => {
    expect(() => parseRecording('')).toThrow(/empty/);
    expect(() => parseRecording('{"hello":1}\n')).toThrow(/not a celigo-manage recording/);
    expect(() => parseRecording('{"format":"celigo-manage-recording","version":1}\nnot json\n')).toThrow(/line 2 is not JSON/);
    expect(() => parseRecording('{"format":"celigo-manage-recording","version":99}\n')).toThrow(/newer/);
  });
});

describe('HttpClient onExchange', () => {
  it('is called once per finished attempt, retries included, and the body still reaches the caller', async () => {
    const seen: HttpExchange[] = [];
    const m = mockFetch([
      { status: 429, body: { errors: [] }, headers: { 'retry-after': '0' } },
      { status: 503, body: 'down' },
      { status: 200, body: [{ _id: FLOW }] },
    ]);
    const http = new HttpClient({ baseUrl: BASE, token: TOKEN, fetch: m.fetch, sleep: noSleep, onExchange: (x) => seen.push(x) });
    const res = await http.request('GET', '/flows');
    expect(res.body).toEqual([{ _id: FLOW }]);
    expect(seen.map((x) => x.status)).toEqual([429, 503, 200]);
    expect(seen[2].responseText).toBe(JSON.stringify([{ _id: FLOW }]));
    expect(JSON.stringify(seen)).not.toContain(TOKEN);
  });

  it('a throwing onExchange does not break the request', async () => {
    const m = mockFetch([{ status: 201, body: { _id: FLOW } }]);
    const http = new HttpClient({ baseUrl: BASE, token: TOKEN, fetch: m.fetch, onExchange: () => { throw new Error('disk full'); } });
    const res = await http.request('POST', '/flows', { body: { name: 'x' } });
    expect(res.status).toBe(201);
  });
});
