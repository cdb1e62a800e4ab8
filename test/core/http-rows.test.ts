// HttpClient.rows (issue 14): a list read row by row as its body arrives. A retried attempt's rows come
// again with the new attempt's number; a row the reader refuses, or a body that is not JSON, stops the
// read at once (no retry); an answer that is not an array is an error, never an empty list.
import { describe, it, expect } from 'vitest';
import { HttpClient } from '../../src/core/http.js';
import { CeligoApiError, UnexpectedShapeError } from '../../src/core/errors.js';

const base = 'https://api.integrator.io/v1';
const TOKEN = 'secret-token-abcdef0123456789';

type Reply = { status?: number; chunks?: string[]; breakAfter?: number; text?: string };

/** Each call gets the next reply: a body in `chunks` (dropping the connection after `breakAfter` of them), or `text` whole. */
function client(replies: Reply[], extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  let calls = 0;
  const fetch = async () => {
    const r = replies[Math.min(calls++, replies.length - 1)]!;
    if (r.text !== undefined || !r.chunks) return new Response(r.text ?? null, { status: r.status ?? 200, headers: { 'content-type': 'application/json' } });
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (r.breakAfter !== undefined && i >= r.breakAfter) return c.error(new TypeError('terminated'));
        if (i >= r.chunks!.length) return c.close();
        c.enqueue(new TextEncoder().encode(r.chunks![i++]));
      },
    });
    return new Response(body, { status: r.status ?? 200, headers: { 'content-type': 'application/json' } });
  };
  const http = new HttpClient({ baseUrl: base, token: TOKEN, fetch: fetch as never, sleep: async () => {}, random: () => 0.5, ...extra });
  return { http, calls: () => calls };
}

async function read(http: HttpClient) {
  const got: [unknown, number][] = [];
  const { count } = await http.rows('/jobs', { endpoint: 'GET /jobs', row: (v, attempt) => void got.push([v, attempt]) });
  return { count, got };
}

describe('HttpClient.rows', () => {
  it('hands each row over as it arrives and counts them', async () => {
    const { http, calls } = client([{ chunks: ['[{"_id":"a"},{"_i', 'd":"b"}', ',{"_id":"c"}]'] }]);
    const { count, got } = await read(http);
    expect(count).toBe(3);
    expect(got.map(([v]) => (v as { _id: string })._id)).toEqual(['a', 'b', 'c']);
    expect(new Set(got.map(([, a]) => a)).size).toBe(1);
    expect(calls()).toBe(1);
  });

  it('a connection dropped part way: the read is retried and its rows come again with the new attempt', async () => {
    const { http, calls } = client([{ chunks: ['[{"_id":"a"},', '{"_id":"b"},', '{"_id":"c"}]'], breakAfter: 2 }, { chunks: ['[{"_id":"a"},{"_id":"b"},{"_id":"c"}]'] }]);
    const { count, got } = await read(http);
    expect(calls()).toBe(2);
    expect(count).toBe(3);
    const [first, second] = [got.filter(([, a]) => a === got[0]![1]), got.filter(([, a]) => a !== got[0]![1])];
    expect(first.map(([v]) => (v as { _id: string })._id)).toEqual(['a', 'b']);
    expect(second.map(([v]) => (v as { _id: string })._id)).toEqual(['a', 'b', 'c']);
  });

  it('a row the reader refuses stops the read with its error, and nothing is asked again', async () => {
    const { http, calls } = client([{ chunks: ['[{"_id":"a"},{"_id":"b"}]'] }]);
    const stop = new Error('not a job');
    await expect(http.rows('/jobs', { endpoint: 'GET /jobs', row: () => { throw stop; } })).rejects.toBe(stop);
    expect(calls()).toBe(1);
  });

  it('a body that is not JSON, or not an array, is an UnexpectedShapeError naming the endpoint', async () => {
    for (const chunks of [['[{"_id":"a"},{"_id":'], ['[{"_id":"a"}] trailing'], ['<html>oops</html>'], ['{"jobs":[]}']]) {
      const { http, calls } = client([{ chunks }]);
      const err = await read(http).catch((e: unknown) => e);
      expect(err, chunks.join('')).toBeInstanceOf(UnexpectedShapeError);
      expect(String((err as Error).message)).toContain('GET /jobs');
      expect(calls()).toBe(1);
    }
  });

  it('retries a 5xx, reads no rows of an error answer, and an empty body or 204 is no rows', async () => {
    const a = client([{ status: 503, text: '{"message":"busy"}' }, { chunks: ['[1,2]'] }]);
    expect((await read(a.http)).count).toBe(2);
    expect(a.calls()).toBe(2);
    const b = client([{ status: 404, text: '{"errors":[{"code":"not_found","message":"no"}]}' }]);
    await expect(read(b.http)).rejects.toBeInstanceOf(CeligoApiError);
    expect((await read(client([{ status: 204 }]).http)).count).toBe(0);
    expect((await read(client([{ chunks: [] }]).http)).count).toBe(0);
  });

  it('reads the whole body where there is no stream (the in-process emulator) or when exchanges are recorded', async () => {
    const plain = new HttpClient({ baseUrl: base, token: TOKEN, fetch: async () => ({ status: 200, headers: new Headers(), text: async () => '[{"x":1},{"x":2}]' }) });
    expect((await read(plain)).got.map(([v]) => v)).toEqual([{ x: 1 }, { x: 2 }]);
    const texts: string[] = [];
    const { http } = client([{ chunks: ['[{"x":', '1}]'] }], { onExchange: (e) => void texts.push(e.responseText) });
    expect((await read(http)).got.map(([v]) => v)).toEqual([{ x: 1 }]);
    expect(texts).toEqual(['[{"x":1}]']);
  });
});
