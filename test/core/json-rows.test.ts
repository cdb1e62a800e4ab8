// core/json-rows.ts: a JSON array read element by element as its bytes arrive gives exactly what
// JSON.parse gives for the whole text, wherever the chunks are cut (inside strings, escapes, multi-byte
// characters); anything that is not a whole array is said so, never read as fewer rows.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { JsonArraySplitter, readJsonRows } from '../../src/core/json-rows.js';

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.slice(prev, c));
    prev = c;
  }
  return out;
}

function readChunks(chunks: Uint8Array[]) {
  const rows: unknown[] = [];
  const s = new JsonArraySplitter((v) => rows.push(v));
  for (const c of chunks) s.push(c);
  return { rows, end: s.end() };
}

const enc = (t: string) => new TextEncoder().encode(t);

describe('JSON array rows', () => {
  it('gives the elements JSON.parse gives, however the bytes are cut and spaced', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.array(fc.nat(), { maxLength: 40 }), fc.constantFrom(undefined, 1, '\t'), (values, cuts, indent) => {
        const text = ` ${JSON.stringify(values, null, indent)}\n`;
        const { rows, end } = readChunks(split(enc(text), cuts));
        expect(rows).toEqual(JSON.parse(text));
        expect(end).toEqual({ kind: 'array', count: values.length });
      }),
      { numRuns: 400 },
    );
  });

  it('reads strings with escaped quotes, backslashes and multi-byte characters cut in the middle', () => {
    const values = [{ a: 'say "hi" \\ back\\"slash', b: 'ünïcödé ✓ 😀', c: [1, { d: ']},[' }] }, '"', '\\', 'x\\', []];
    const bytes = enc(JSON.stringify(values));
    for (let size = 1; size <= 7; size++) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
      expect(readChunks(chunks).rows).toEqual(values);
    }
  });

  it('says how a body that is not an array ended: empty, or another value handed back whole', () => {
    expect(readChunks([]).end).toEqual({ kind: 'empty' });
    expect(readChunks([enc('  \n ')]).end).toEqual({ kind: 'empty' });
    expect(readChunks([enc('{"message":'), enc('"no"}')]).end).toEqual({ kind: 'other', value: { message: 'no' } });
    expect(readChunks([enc('[]')]).end).toEqual({ kind: 'array', count: 0 });
  });

  it('refuses an array cut short, stray commas and text after the array, never as fewer rows', () => {
    for (const bad of ['[1,2', '[{"a":1}', '[1,]', '[,1]', '[1,,2]', '[1] x', '[1]]', '["a]', '[}]', '<html>']) {
      expect(() => readChunks([enc(bad)]), bad).toThrow(SyntaxError);
    }
  });

  it('reads a stream of chunks and stops at a throw of the reader', async () => {
    async function* body() {
      yield enc('[{"i":1},');
      yield enc('{"i":2},{"i":3}]');
    }
    const got: unknown[] = [];
    expect(await readJsonRows(body(), (v) => got.push(v))).toEqual({ kind: 'array', count: 3 });
    expect(got).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
    await expect(
      readJsonRows(body(), (v) => {
        if ((v as { i: number }).i === 2) throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
  });
});
