import { describe, it, expect } from 'vitest';
import { HttpClient } from '../../src/core/http.js';
import { CeligoApiError } from '../../src/core/errors.js';
import { mockFetch } from '../helpers/mock-fetch.js';

const TOKEN = 'secret-token-abcdef0123456789';
const base = 'https://api.integrator.io/v1';

function client(answers: Parameters<typeof mockFetch>[0], extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  const m = mockFetch(answers);
  const sleeps: number[] = [];
  const http = new HttpClient({ baseUrl: base, token: TOKEN, fetch: m.fetch, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, ...extra });
  return { http, calls: m.calls, sleeps };
}

describe('HttpClient', () => {
  it('sends the bearer token and JSON headers', async () => {
    const { http, calls } = client([{ status: 200, body: { ok: 1 } }]);
    const res = await http.request('POST', '/integrations', { body: { name: 'x' } });
    expect(res.body).toEqual({ ok: 1 });
    expect(calls[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(calls[0].headers['content-type']).toBe('application/json');
    expect(calls[0].url).toBe('https://api.integrator.io/v1/integrations');
  });

  it('waits Retry-After on 429, then succeeds (any method)', async () => {
    const { http, calls, sleeps } = client([
      { status: 429, headers: { 'retry-after': '2' }, body: { errors: [{ code: 'rate_limited', message: 'x' }] } },
      { status: 201, body: { _jobId: 'j' } },
    ]);
    const res = await http.request('POST', '/flows/abc/run', {});
    expect(res.status).toBe(201);
    expect(calls).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(2000);
    expect(sleeps[0]).toBeLessThan(2100);
  });

  it('retries 5xx with exponential backoff for GET', async () => {
    const { http, calls, sleeps } = client([{ status: 503 }, { status: 502 }, { status: 200, body: [] }]);
    await http.request('GET', '/flows');
    expect(calls).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0]);
  });

  it('never retries a POST after a 5xx and says so', async () => {
    const { http, calls } = client([{ status: 502 }, { status: 201, body: {} }]);
    const err = await http.request('POST', '/flows/abc/run').catch((e) => e);
    expect(err).toBeInstanceOf(CeligoApiError);
    expect(err.status).toBe(502);
    expect(calls).toHaveLength(1);
    expect(err.remedy).toMatch(/Celigo failed/);
  });

  it('never retries a POST after a network error', async () => {
    const { http, calls } = client([{ throw: new TypeError('fetch failed') }, { status: 201, body: {} }]);
    const err = await http.request('POST', '/flows/abc/run').catch((e) => e);
    expect(err.code).toBe('network_error');
    expect(err.message).toMatch(/may or may not have taken effect/);
    expect(calls).toHaveLength(1);
  });

  it('retries network errors for PUT and gives up after maxRetries', async () => {
    const { http, calls } = client(() => ({ throw: new TypeError('fetch failed') }), { maxRetries: 2 });
    const err = await http.request('PUT', '/flows/abc', { body: {} }).catch((e) => e);
    expect(err.code).toBe('network_error');
    expect(calls).toHaveLength(3);
    expect(err.attempts).toBe(3);
  });

  it('maps the error envelope to a typed error with field errors and a remedy', async () => {
    const { http } = client([
      { status: 422, body: { errors: [{ code: 'invalid_field', message: 'is required', field: 'name' }, { code: 'invalid_field', message: 'bad', field: 'type' }] } },
    ]);
    const err: CeligoApiError = await http.request('POST', '/connections', { body: {} }).catch((e) => e);
    expect(err.status).toBe(422);
    expect(err.fieldErrors.map((f) => f.field)).toEqual(['name', 'type']);
    expect(err.remedy).toBe('Fix: name: is required; type: bad');
  });

  it.each([
    [401, /CELIGO_API_TOKEN/],
    [403, /scope/],
    [404, /list the flows to find valid ids/],
  ])('gives a remedy for %s', async (status, re) => {
    const { http } = client([{ status, body: { errors: [{ code: 'x', message: 'm' }] } }]);
    const err: CeligoApiError = await http.request('GET', '/flows/abc').catch((e) => e);
    expect(err.remedy).toMatch(re);
    expect(err.summary).not.toContain(TOKEN);
  });

  it('surfaces 429 after too many rate-limit retries with retryAfter', async () => {
    const { http } = client(() => ({ status: 429, headers: { 'retry-after': '3' } }), { maxRateLimitRetries: 2 });
    const err: CeligoApiError = await http.request('GET', '/flows').catch((e) => e);
    expect(err.status).toBe(429);
    expect(err.retryAfter).toBe(3);
    expect(err.remedy).toBe('Rate limited by integrator.io; retry after 3 s.');
  });

  it('never echoes an HTML error page', async () => {
    const { http } = client([{ status: 500, body: '<html><body>Internal</body></html>' }], { maxRetries: 0 });
    const err: CeligoApiError = await http.request('GET', '/flows').catch((e) => e);
    expect(err.message).not.toMatch(/</);
  });

  it('blocks mutating requests in read-only mode before they leave the process', async () => {
    const { http, calls } = client([], { readOnly: true });
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const err = await http.request(m, '/flows/abc').catch((e) => e);
      expect(err.code).toBe('read_only');
    }
    expect(calls).toHaveLength(0);
  });

  it('read-only still allows GET and read-only POSTs such as ping', async () => {
    const { http, calls } = client([{ status: 200, body: [] }, { status: 200, body: { code: 200 } }], { readOnly: true });
    await http.request('GET', '/flows');
    await http.request('POST', '/connections/a/ping', { readOnlyPost: true });
    expect(calls).toHaveLength(2);
  });

  it('passes an AbortSignal through to fetch', async () => {
    const ac = new AbortController();
    const m = mockFetch(() => ({ status: 200, body: [] }));
    let abortedInFlight: boolean | undefined;
    const http = new HttpClient({
      baseUrl: base,
      token: TOKEN,
      fetch: (async (u: string | URL | Request, init?: RequestInit) => {
        // The caller aborts while the request is in flight: fetch's signal follows.
        ac.abort();
        abortedInFlight = init?.signal?.aborted;
        return m.fetch(u, init);
      }) as typeof fetch,
    });
    await http.request('GET', '/flows', { signal: ac.signal }).catch(() => undefined);
    expect(abortedInFlight).toBe(true);
  });

  it('times out a request that hangs', async () => {
    const http = new HttpClient({
      baseUrl: base,
      token: TOKEN,
      timeoutMs: 50,
      maxRetries: 0,
      fetch: ((_u: unknown, init?: RequestInit) =>
        new Promise((_r, rej) => init?.signal?.addEventListener('abort', () => rej(new DOMException('aborted', 'AbortError'))))) as typeof fetch,
    });
    const err = await http.request('GET', '/flows').catch((e) => e);
    expect(err.code).toBe('timeout');
  });

  it('refuses to follow a URL on another host (the token must not leak)', () => {
    const { http } = client([]);
    expect(() => http.url('https://evil.example.com/v1/flows')).toThrow(/another host/);
  });
});
