// The ids a page read handed out, kept compactly in case the page is read again (core/id-log.ts): every
// id comes back exactly as given, whatever its kind.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdLog } from '../../src/core/id-log.js';

describe('IdLog', () => {
  it('gives back every id logged, Celigo hex ids packed and any other kept as given', () => {
    const hexId = fc.stringMatching(/^[0-9a-f]{24}$/);
    const otherId = fc.oneof(fc.string(), fc.stringMatching(/^[0-9A-F]{24}$/), fc.stringMatching(/^[0-9a-f]{23,25}$/), fc.constant('jöb-1'));
    fc.assert(
      fc.property(fc.array(fc.oneof(hexId, otherId), { maxLength: 300 }), (ids) => {
        const log = new IdLog();
        for (const id of ids) log.add(id);
        expect([...log.toSet()].sort()).toEqual([...new Set(ids)].sort());
      }),
      { numRuns: 200 },
    );
  });

  it('holds a full page of ids across its growth', () => {
    const log = new IdLog();
    const ids = Array.from({ length: 1001 }, (_, i) => (0x665f0000 + i * 7919).toString(16).padStart(24, '0'));
    for (const id of ids) log.add(id);
    const set = log.toSet();
    expect(set.size).toBe(1001);
    for (const id of ids) expect(set.has(id)).toBe(true);
  });
});
