import { describe, it, expect } from 'vitest';
import { parseTimeRange, rangeFilters, rangeText } from '../../src/ops/timerange.js';
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
  it('a blank range is an error that names the default, never the default itself', () => {
    for (const blank of ['', '   ', '\t']) expect(() => parseTimeRange(blank, now)).toThrow(/^The time range is empty: give one \(e\.g\. "last 24 hours", "yesterday", "last 7 days"\), or leave it out for last 24 hours\.$/);
    expect(() => parseTimeRange(' ', now, 'last 7 days')).toThrow(/leave it out for last 7 days\.$/);
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
    expect(() => parseTimeRange('last 99999999999 days', new Date('2026-12-01T00:00:00Z'))).toThrow(/reaches back before 2000; give a smaller number/);
    expect(() => parseTimeRange('last 99999 days', new Date('2026-12-01T00:00:00Z'))).toThrow(/reaches back before 2000/);
  });
});

// Issue 13 item 11: phrases were UTC without saying so, day ranges included their end (a job at 00:00
// counted in two days), and impossible dates were accepted.
describe('in the person\'s time zone, end excluded, impossible dates refused', () => {
  const inZone = (input: string, zone: string, at = now) => {
    const r = parseTimeRange(input, at, undefined, zone);
    return [iso(r.from), iso(r.to), rangeText(r)];
  };

  it.each([
    ['yesterday', 'Europe/Paris', '2026-11-25T23:00:00.000Z', '2026-11-26T23:00:00.000Z', 'yesterday (Europe/Paris)'],
    ['today', 'America/Los_Angeles', '2026-11-27T08:00:00.000Z', '2026-11-27T15:30:00.000Z', 'today (America/Los_Angeles)'],
    ['2026-11-20', 'Asia/Tokyo', '2026-11-19T15:00:00.000Z', '2026-11-20T15:00:00.000Z', '2026-11-20 (Asia/Tokyo)'],
    ['since Monday', 'Asia/Kolkata', '2026-11-22T18:30:00.000Z', '2026-11-27T15:30:00.000Z', 'since Monday (Asia/Kolkata)'],
    ['2026-11-25T10:00..2026-11-26', 'Europe/Paris', '2026-11-25T09:00:00.000Z', '2026-11-25T23:00:00.000Z', '2026-11-25T10:00..2026-11-26 (Europe/Paris)'],
    ['2026-11-25T10:00:00Z..2026-11-26T00:00:00+01:00', 'Europe/Paris', '2026-11-25T10:00:00.000Z', '2026-11-25T23:00:00.000Z', '2026-11-25T10:00:00Z..2026-11-26T00:00:00+01:00'],
    ['last 24 hours', 'Europe/Paris', '2026-11-26T15:30:00.000Z', '2026-11-27T15:30:00.000Z', 'last 24 hours'],
    ['yesterday', 'UTC', '2026-11-26T00:00:00.000Z', '2026-11-27T00:00:00.000Z', 'yesterday (UTC)'],
  ])('%s in %s is %s to %s, shown as %s', (input, zone, from, to, text) => {
    expect(inZone(input, zone)).toEqual([from, to, text]);
  });

  it('a day that daylight saving makes 25 hours long is 25 hours long', () => {
    expect(inZone('yesterday', 'Europe/Paris', new Date('2026-10-26T12:00:00Z'))).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z', 'yesterday (Europe/Paris)']);
  });

  it('sends the end a millisecond early: a job at 00:00 belongs to today, not to yesterday too', () => {
    const y = parseTimeRange('yesterday', now, undefined, 'UTC');
    const t = parseTimeRange('today', now, undefined, 'UTC');
    expect(rangeFilters(y, 'createdAt')).toEqual({ createdAt_gte: '2026-11-26T00:00:00.000Z', createdAt_lte: '2026-11-26T23:59:59.999Z' });
    expect(rangeFilters(t, 'occurredAt')).toEqual({ occurredAt_gte: '2026-11-27T00:00:00.000Z', occurredAt_lte: '2026-11-27T15:29:59.999Z' });
    expect(rangeFilters(undefined, 'createdAt')).toEqual({});
  });

  it.each([
    ['2026-02-30', /"2026-02-30" is not a date: February 2026 has 28 days/],
    ['2028-02-30', /February 2028 has 29 days/],
    ['2026-13-01', /months go from 01 to 12/],
    ['2026-11-20T25:00', /hours go to 23/],
    ['2026-04-31..2026-05-02', /April 2026 has 30 days/],
    ['9999999999', /"9999999999" \(seconds since 1970\) is in the year 2286; give a time between 2000 and 2100/],
    ['since 0000000001000', /is in the year 1970/],
    ['2026-11-30..2026-11-30', /is empty: its end is excluded/],
  ])('refuses %s', (input, message) => {
    expect(() => parseTimeRange(input, now)).toThrow(UsageError);
    expect(() => parseTimeRange(input, now)).toThrow(message);
  });

  it('an unknown zone is a usage error naming the form to give', () => {
    expect(() => parseTimeRange('today', now, undefined, 'Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus": give an IANA name/);
  });
});
