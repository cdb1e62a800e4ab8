// Blocks (ops/typed-blocks.ts): rows of numbers in fixed-size blocks keep every number written, across
// block boundaries, while the first block grows, and when every row is widened.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Blocks } from '../../src/ops/typed-blocks.js';

describe('Blocks', () => {
  it('keeps what each row holds, across blocks, as rows come and as rows widen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 4 }), (shift, width, rows, wider) => {
        const b = new Blocks((k) => new Float64Array(k), width, shift, -1);
        const want: number[][] = [];
        for (let r = 0; r < rows; r++) {
          b.reserve(r);
          // A new row holds the fill value.
          for (let k = 0; k < width; k++) expect(b.block(r)[b.offset(r) + k]).toBe(-1);
          want.push(Array.from({ length: width }, (_, k) => r * 10 + k));
          want[r]!.forEach((v, k) => (b.block(r)[b.offset(r) + k] = v));
        }
        const read = (w: number) => want.map((_, r) => Array.from(b.block(r).subarray(b.offset(r), b.offset(r) + w)));
        expect(read(width)).toEqual(want);
        expect(want.map((_, r) => b.get(r))).toEqual(want.map((row) => row[0]));
        b.widen(width + wider, rows);
        expect(b.width).toBe(width + wider);
        expect(read(width + wider)).toEqual(want.map((row) => [...row, ...Array(wider).fill(-1)]));
        // Rows added after widening are as wide.
        b.reserve(rows);
        b.set(rows, 7);
        expect(b.get(rows)).toBe(7);
      }),
      { numRuns: 300 },
    );
  });

  it('grows a block at a time: a full block is never copied', () => {
    const made: number[] = [];
    const b = new Blocks((k) => (made.push(k), new Int32Array(k)), 2, 4);
    for (let r = 0; r < 16 * 5; r++) b.reserve(r);
    // The first block grows from one row to sixteen (doubling); then one allocation per block of sixteen rows.
    expect(made).toEqual([2, 4, 8, 16, 32, 32, 32, 32, 32]);
  });
});
