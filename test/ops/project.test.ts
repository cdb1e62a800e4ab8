import { describe, it, expect } from 'vitest';
import { paginate, pickFields, decodeCursor } from '../../src/ops/project.js';
import { matchByName } from '../../src/ops/resolve.js';
import { UsageError } from '../../src/core/errors.js';

describe('paginate', () => {
  const rows = Array.from({ length: 120 }, (_, i) => ({ id: i, name: `row ${i}` }));
  it('pages with a cursor and reports total and truncated', () => {
    const p1 = paginate(rows, { limit: 50 });
    expect(p1.items).toHaveLength(50);
    expect(p1).toMatchObject({ total: 120, truncated: true });
    const p3 = paginate(rows, { limit: 50, cursor: paginate(rows, { limit: 50, cursor: p1.nextCursor }).nextCursor });
    expect(p3.items.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
    expect(p3.truncated).toBe(false);
    expect(p3.nextCursor).toBeUndefined();
  });
  it('keeps a page under the size budget', () => {
    const big = Array.from({ length: 100 }, (_, i) => ({ id: i, blob: 'x'.repeat(1000) }));
    const p = paginate(big, { limit: 100, maxChars: 10_000 });
    expect(p.items.length).toBeLessThan(10);
    expect(JSON.stringify(p.items).length).toBeLessThanOrEqual(10_000);
    expect(p.truncated).toBe(true);
  });
  it('rejects a forged cursor', () => {
    expect(() => decodeCursor('nonsense')).toThrow(UsageError);
  });
  it('picks fields and rejects unknown ones listing the valid ones', () => {
    expect(pickFields([{ a: 1, b: 2 }], ['b'], ['a', 'b'])).toEqual([{ b: 2 }]);
    expect(() => pickFields([{ a: 1 }], ['zz'], ['a', 'b'])).toThrow('Valid fields: a, b');
  });
});

describe('matchByName', () => {
  const rows = [
    { _id: '1', name: 'Orders to NetSuite' },
    { _id: '2', name: 'Orders to NetSuite (copy)' },
    { _id: '3', name: 'Customers' },
  ];
  it('prefers an exact case-insensitive match', () => {
    expect(matchByName(rows, 'orders to netsuite', 'flow', 'the list of flows')._id).toBe('1');
  });
  it('accepts a unique substring of at least 4 characters', () => {
    expect(matchByName(rows, 'custom', 'flow', 'the list of flows')._id).toBe('3');
    expect(() => matchByName(rows, 'cus', 'flow', 'the list of flows')).toThrow(/No flow named/);
  });
  it('lists candidates when several match', () => {
    const err = (() => {
      try {
        matchByName(rows, 'orders', 'flow', 'the list of flows');
      } catch (e) {
        return e as UsageError;
      }
    })();
    expect(err?.candidates).toHaveLength(2);
    expect(err?.message).toMatch(/matches 2 flows/);
  });
  it('says how to find valid names when nothing matches', () => {
    expect(() => matchByName(rows, 'zzz', 'flow', 'the list of flows')).toThrow(/the list of flows shows the valid names and ids/);
  });
});
