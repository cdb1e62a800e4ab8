import { describe, it, expect } from 'vitest';
import { parseTimeRange } from '../../src/ops/timerange.js';
import { UsageError } from '../../src/core/errors.js';

// Friday 2026-11-27 15:30 UTC
const now = new Date('2026-11-27T15:30:00.000Z');
const iso = (d?: Date) => d?.toISOString();

describe('parseTimeRange', () => {
  it('defaults to the last 24 hours', () => {
    const r = parseTimeRange(undefined, now);
    expect(iso(r.from)).toBe('2026-11-26T15:30:00.000Z');
    expect(iso(r.to)).toBe(iso(now));
  });
  it.each([
    ['yesterday', '2026-11-26T00:00:00.000Z', '2026-11-27T00:00:00.000Z'],
    ['today', '2026-11-27T00:00:00.000Z', '2026-11-27T15:30:00.000Z'],
    ['last 24 hours', '2026-11-26T15:30:00.000Z', '2026-11-27T15:30:00.000Z'],
    ['last 7 days', '2026-11-20T15:30:00.000Z', '2026-11-27T15:30:00.000Z'],
    ['last week', '2026-11-20T15:30:00.000Z', '2026-11-27T15:30:00.000Z'],
    ['past 2 hours', '2026-11-27T13:30:00.000Z', '2026-11-27T15:30:00.000Z'],
    ['since Monday', '2026-11-23T00:00:00.000Z', '2026-11-27T15:30:00.000Z'],
    ['since yesterday', '2026-11-26T00:00:00.000Z', '2026-11-27T15:30:00.000Z'],
    ['since 3 hours ago', '2026-11-27T12:30:00.000Z', '2026-11-27T15:30:00.000Z'],
    ['2026-11-20', '2026-11-20T00:00:00.000Z', '2026-11-21T00:00:00.000Z'],
    ['2026-11-20T00:00:00Z..2026-11-21T12:00:00Z', '2026-11-20T00:00:00.000Z', '2026-11-21T12:00:00.000Z'],
    ['2026-11-25T10:00:00Z', '2026-11-25T10:00:00.000Z', '2026-11-27T15:30:00.000Z'],
  ])('reads %s', (input, from, to) => {
    const r = parseTimeRange(input, now);
    expect(iso(r.from)).toBe(from);
    expect(iso(r.to)).toBe(to);
  });
  it('"since Friday" on a Friday means today', () => {
    expect(iso(parseTimeRange('since friday', now).from)).toBe('2026-11-27T00:00:00.000Z');
  });
  it('rejects nonsense with a message listing the forms', () => {
    expect(() => parseTimeRange('the other day', now)).toThrow(UsageError);
    expect(() => parseTimeRange('the other day', now)).toThrow(/last 24 hours/);
  });
  it('rejects a range that ends before it starts', () => {
    expect(() => parseTimeRange('2026-11-21T00:00:00Z..2026-11-20T00:00:00Z', now)).toThrow(/ends before it starts/);
  });
});

describe('a range that reaches past any date', () => {
  it('is a usage error that says what to do, not an internal one', () => {
    expect(() => parseTimeRange('last 99999999999 days', new Date('2026-12-01T00:00:00Z'))).toThrow(/further than any date; give a smaller number/);
  });
});
