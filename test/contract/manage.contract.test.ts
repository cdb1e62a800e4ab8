// Contract tests of the issue 17 endpoints: the core client against the emulator, in both forms of each
// uncertain row (core/forms.ts): lookup-cache data, the recycle bin, a job's error file (and that the
// signed URL is fetched without the token).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { CeligoApiError } from '../../src/core/errors.js';
import { errorFileUrl, parseErrorFile } from '../../src/core/job-files.js';
import { PATTERNS } from '../../src/emulator/behaviour.js';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { jobErrorSummary } from '../../src/ops/job-files.js';

let emu: RunningEmulator;
let api: CeligoClient;
const sent: { url: string; headers: Record<string, string> }[] = [];

async function forms(body: Record<string, string>): Promise<void> {
  await fetch(`${emu.url}/__emulator/forms`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
  const recording = async (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => {
    sent.push({ url, headers: init.headers });
    return fetch(url, init);
  };
  api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN, backoffMs: 1, sleep: async () => {}, fetch: recording });
});
afterAll(() => emu.close());

/** A flow job of the demo with errors, given `extra` more errors on its first step (none: as seeded). */
function jobWithErrors(extra = 0): string {
  const store = emu.store;
  const job = store.jobs.all.find((j) => j.type === 'flow' && j.numError > 0 && j._flowId)!;
  const stepId = [...(store.errors.stepsOf(job._flowId!) ?? new Map()).keys()][0] as string;
  for (let i = 0; i < extra; i++) {
    store.errors.add({ id: store.ids.errorId(), flowId: job._flowId!, stepId, oIndex: 0, at: job.createdAt + i, pattern: i % 3 ? PATTERNS.http429 : PATTERNS.nsDuplicate, jobId: job._id, traceKey: `t${i}` });
  }
  return job._id;
}

describe('lookup caches', () => {
  it('lists with sizes; getData answers at most 1000 keys, by prefix or by keys, in either form', async () => {
    const caches = await api.lookupCaches.list();
    const sku = caches.find((c) => c.name === 'Shopify SKU to NetSuite Item')!;
    expect(sku.size).toBeGreaterThan(50_000);
    expect(sku.sizeInMB).toBe('<5 MB');
    expect(await api.lookupCaches.getData(sku._id)).toHaveLength(1000);
    expect((await api.lookupCaches.getData(sku._id, { startsWith: 'SKU-1120' })).map((e) => e.key)).toEqual(['SKU-11200']);
    expect(await api.lookupCaches.getData(sku._id, { keys: ['SKU-10001', 'nope'] })).toEqual([{ key: 'SKU-10001', value: '{"nsId":"40000","name":"Item 10001"}' }]);
    await forms({ 'lookup-cache-data': 'other' });
    try {
      expect(await api.lookupCaches.getData(sku._id, { startsWith: 'SKU-1120' })).toHaveLength(1);
    } finally {
      await forms({ all: 'expected' });
    }
  });

  it('getData only reads: a read-only client may call it', async () => {
    const ro = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN, readOnly: true });
    const [c] = await ro.lookupCaches.list();
    expect((await ro.lookupCaches.getData(c._id, { keys: [] })).length).toBeGreaterThan(0);
  });
});

describe('recycle bin', () => {
  it('holds a deleted object, restores it under its own id; the other form answers 404 (find: undefined)', async () => {
    const exp = (await api.exports.list()).find((e) => e.name === 'Get Stripe charges')!;
    await api.exports.delete(exp._id);
    expect(await api.recycleBin.find('exports', exp._id)).toMatchObject({ model: 'Export', doc: { _id: exp._id } });
    await forms({ 'recycle-bin': 'other' });
    try {
      expect(await api.recycleBin.find('exports', exp._id)).toBeUndefined();
      await expect(api.recycleBin.list()).rejects.toBeInstanceOf(CeligoApiError);
    } finally {
      await forms({ all: 'expected' });
    }
    await api.recycleBin.restore('exports', exp._id);
    expect((await api.exports.get(exp._id)).name).toBe('Get Stripe charges');
    expect(await api.recycleBin.find('exports', exp._id)).toBeUndefined();
  });
});

describe('job error file', () => {
  it('a job with more than 1000 errors: the file holds them all, fetched without the token; the summary groups them', async () => {
    const jobId = jobWithErrors(1500);
    const job = await api.jobs.get(jobId);
    expect(job.numError).toBeGreaterThan(1500);
    expect(await api.jobs.jobErrors(jobId)).toHaveLength(1000);
    const url = await errorFileUrl(api.http, jobId);
    sent.length = 0;
    const { text, contentType } = await api.http.download(url);
    expect(contentType).toContain('text/csv');
    const file = parseErrorFile(text);
    expect(file.format).toBe('csv');
    expect(file.rows.length).toBe(job.numError);
    expect(sent).toHaveLength(1);
    expect(Object.keys(sent[0].headers).map((h) => h.toLowerCase())).not.toContain('authorization');
    expect(JSON.stringify(sent[0].headers)).not.toContain(DEMO_TOKEN);

    const r = await jobErrorSummary({ api }, { job: jobId });
    expect(r.source).toBe('error file');
    expect(r.read).toBe(job.numError);
    expect(r.patterns[0].code).toBe('429');
    expect(r.patterns[0].count).toBeGreaterThanOrEqual(1000);
    expect(r.patterns.find((p) => p.code === 'DUP_RCRD')!.count).toBeGreaterThanOrEqual(500);
    expect(JSON.stringify(r).length).toBeLessThan(25_000);
  });

  it('a job with few errors is read from the list; without an error file (other form) a large one says what it could read', async () => {
    const small = emu.store.jobs.all.find((j) => j.type === 'flow' && j.numError > 0 && j.numError < 10 && j._id !== jobWithErrors())!;
    const r = await jobErrorSummary({ api }, { job: small._id });
    expect(r.source).toBe('error list');
    expect(r.read).toBe(small.numError);
    await forms({ 'job-error-file': 'other' });
    try {
      const big = await jobErrorSummary({ api }, { job: jobWithErrors() });
      expect(big.source).toBe('error list');
      expect(big.read).toBe(1000);
      expect(big.note).toContain('no error file');
    } finally {
      await forms({ all: 'expected' });
    }
  });

  it('parses the other plausible formats: a JSON array and JSON lines, and quoted CSV', () => {
    expect(parseErrorFile('[{"code":"x","message":"m"}]')).toEqual({ format: 'json', rows: [{ code: 'x', message: 'm' }] });
    expect(parseErrorFile('{"code":"x"}\n{"code":"y"}\n').rows.map((r) => r.code)).toEqual(['x', 'y']);
    expect(parseErrorFile('code,message\n422,"a, ""quoted""\nline"\n').rows).toEqual([{ code: '422', message: 'a, "quoted"\nline' }]);
  });
});
