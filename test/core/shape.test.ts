// Shapes of JSON values: merging array elements and comparing a recording with an emulator answer.
import { describe, expect, it } from 'vitest';
import { compareShapes, describeDifference, mergeShapes, shapeOf } from '../../src/core/shape.js';

describe('shapeOf and mergeShapes', () => {
  it('merges the elements of an array: keys united, scalar types joined, kinds kept apart', () => {
    expect(shapeOf([{ a: 1, d: '2026-01-01T00:00:00Z' }, { a: null, b: 'x' }])).toEqual({
      '<array>': 2,
      of: { a: '<null|number>', d: '<date>', b: '<string>' },
    });
    expect(shapeOf([1, 'x', [true], { k: false }])).toEqual({
      '<array>': 4,
      of: { '<anyOf>': ['<number|string>', { '<array>': 1, of: '<boolean>' }, { k: '<boolean>' }] },
    });
    expect(mergeShapes('<id:1>', '<id:2>')).toBe('<id>');
    expect(mergeShapes('<id:1>', '<id:1>')).toBe('<id:1>');
    expect(mergeShapes({ '<array>': 0 }, { '<array>': 3, of: '<number>' })).toEqual({ '<array>': 3, of: '<number>' });
  });
});

describe('compareShapes', () => {
  const rec = shapeOf({ errors: [{ errorId: 'x', count: 1, when: '2026-01-01' }], next: 'u' });

  it('finds nothing to say about the same shape, or ids and dates against strings', () => {
    expect(compareShapes(rec, shapeOf({ errors: [{ errorId: 'y', count: 7, when: 'not a date' }], next: 'v' }))).toEqual([]);
    expect(compareShapes('<id>', '<string>')).toEqual([]);
  });

  it('treats an empty array as compatible with any array shape', () => {
    expect(compareShapes(rec, shapeOf({ errors: [], next: 'v' }))).toEqual([]);
    expect(compareShapes(shapeOf({ errors: [] }), shapeOf({ errors: [{ z: 1 }] }))).toEqual([]);
  });

  it('names missing keys, extra keys and type differences with their place', () => {
    const d = compareShapes(rec, shapeOf({ errors: [{ errorId: 1, when: 'x', extra: true }] }));
    expect(d.map(describeDifference)).toEqual(['type string vs number at errors[].errorId', 'missing key errors[].count', 'extra key errors[].extra', 'missing key next']);
    expect(compareShapes(shapeOf([1]), shapeOf({ a: 1 })).map(describeDifference)).toEqual(['type array vs object']);
    expect(compareShapes(shapeOf({ a: null }), shapeOf({ a: 'x' })).map(describeDifference)).toEqual(['type null vs string at a']);
  });
});
