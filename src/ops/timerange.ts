// Time filters accept ISO times and phrases: "yesterday", "last 24 hours", "last week", "since Monday", "A..B".
// Phrases, dates and times without an offset are read in the person's time zone (issue 13 item 11: they
// were UTC without saying so), and a range excludes its end: "yesterday" ends where today begins, so a job
// at 00:00 counts in one day, not two. The API's filters include both ends (`_gte`, `_lte`), so the end
// sent is one millisecond before the range's (rangeFilters).
import { UsageError } from '../core/errors.js';
import type { OpContext } from './context.js';
import { localParts, startOfLocalDay, UTC, zonedTime } from './zone.js';

export interface TimeRange {
  from?: Date;
  /** Excluded: the range holds the instants before it. */
  to?: Date;
  /** How the range reads back to a person, e.g. "last 24 hours" (a phrase the same parser reads again). */
  label: string;
  /** The time zone the phrase was read in. */
  zone: string;
  /** Whether the zone decided the range (a calendar day, a weekday, a time without an offset). */
  zoned: boolean;
}

const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  min: 60_000,
  hour: 3_600_000,
  hr: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** Dates outside these years are typing mistakes (integrator.io holds nothing older; nothing has happened later). */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

interface Point {
  at: number;
  zoned: boolean;
}

function inYears(ms: number, what: string): number {
  const year = new Date(ms).getUTCFullYear();
  if (!Number.isFinite(ms) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new UsageError(`${what} ${Number.isFinite(ms) ? `is in the year ${year}` : 'is no date'}; give a time between ${FIRST_YEAR} and ${LAST_YEAR}.`);
  }
  return ms;
}

/** An ISO date or time, checked field by field ("2026-02-30" is refused, not read as 2 March). */
function isoPoint(s: string, zone: string): Point | undefined {
  const m = ISO.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '0', offset] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number) as [number, number, number, number, number, number];
  const notADate = (why: string) => new UsageError(`"${s.trim()}" is not a date: ${why}.`);
  if (month < 1 || month > 12) throw notADate('months go from 01 to 12');
  const monthDays = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > monthDays) throw notADate(`${MONTHS[month - 1]} ${year} has ${monthDays} days`);
  if (hour > 23 || minute > 59 || second > 59) throw notADate('hours go to 23, minutes and seconds to 59');
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  if (!offset) return { at: inYears(zonedTime(zone, year, month, day, hour, minute, second, ms), `"${s.trim()}"`), zoned: true };
  const [, sign, oh, om] = /^([+-])(\d{2}):?(\d{2})$/.exec(offset) ?? ['', '+', '00', '00'];
  const shift = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  return { at: inYears(Date.UTC(year, month - 1, day, hour, minute, second, ms) - shift, `"${s.trim()}"`), zoned: false };
}

function parsePoint(s: string, now: number, zone: string): Point | undefined {
  const t = s.trim().toLowerCase();
  if (!t) return undefined;
  if (t === 'now') return { at: now, zoned: false };
  if (t === 'today') return { at: startOfLocalDay(now, zone), zoned: true };
  if (t === 'yesterday') return { at: startOfLocalDay(now, zone, -1), zoned: true };
  const dayIdx = DAYS.indexOf(t.replace(/^last\s+/, ''));
  if (dayIdx >= 0) {
    let back = (localParts(now, zone).weekday - dayIdx + 7) % 7;
    if (back === 0 && t.startsWith('last')) back = 7;
    return { at: startOfLocalDay(now, zone, -back), zoned: true };
  }
  const ago = /^(\d+)\s*(minute|min|hour|hr|day|week)s?\s+ago$/.exec(t);
  if (ago) return { at: inYears(now - Number(ago[1]) * UNIT_MS[ago[2]], `"${s.trim()}"`), zoned: false };
  if (/^\d{10}$|^\d{13}$/.test(t)) {
    const ms = t.length === 10 ? Number(t) * 1000 : Number(t);
    return { at: inYears(ms, `"${t}" (${t.length === 10 ? 'seconds' : 'milliseconds'} since 1970)`), zoned: false };
  }
  return isoPoint(s, zone);
}

/**
 * Parse a range phrase relative to `now`, in `zone` (an IANA name; default UTC). Empty input uses
 * `fallback` (default: last 24 hours). The range includes `from` and excludes `to`.
 */
export function parseTimeRange(input: string | undefined, now: Date, fallback = 'last 24 hours', zone = UTC): TimeRange {
  // Left out, the range is the fallback; given blank it is an error (a blank argument never stands for a default).
  if (input !== undefined && input.trim() === '') throw new UsageError(`The time range is empty: give one (e.g. "last 24 hours", "yesterday", "last 7 days"), or leave it out for ${fallback}.`);
  const raw = input?.trim() || fallback;
  const t = raw.toLowerCase().replace(/\s+/g, ' ');
  const at = now.getTime();
  const fail = () =>
    new UsageError(
      `Cannot read the time range "${raw}". Use an ISO time (2026-11-20T00:00:00Z), "A..B" (B excluded), or a phrase: today, yesterday, last 24 hours, last 7 days, last week, since Monday, 3 hours ago.`,
    );
  const range = (from: number, to: number, label: string, zoned: boolean): TimeRange => ({ from: new Date(from), to: new Date(to), label, zone, zoned });

  if (t === 'today') return range(startOfLocalDay(at, zone), at, 'today', true);
  if (t === 'yesterday') return range(startOfLocalDay(at, zone, -1), startOfLocalDay(at, zone), 'yesterday', true);
  if (t === 'last week' || t === 'past week') return range(at - 7 * 86_400_000, at, 'last 7 days', false);
  if (t === 'this week') return range(parsePoint('monday', at, zone)!.at, at, 'this week', true);
  const last = /^(?:last|past|previous) (?:(\d+) )?(minute|min|hour|hr|day|week)s?$/.exec(t);
  if (last) {
    const n = Number(last[1] ?? 1);
    if (n <= 0) throw fail();
    const from = at - n * UNIT_MS[last[2]];
    // "last 99999999999 days" starts before any date JavaScript can hold, or long before integrator.io.
    if (!Number.isFinite(from) || Number.isNaN(new Date(from).getTime()) || new Date(from).getUTCFullYear() < FIRST_YEAR) {
      throw new UsageError(`The range "${raw}" reaches back before ${FIRST_YEAR}; give a smaller number.`);
    }
    return range(from, at, `last ${n} ${last[2]}${n === 1 ? '' : 's'}`, false);
  }
  const since = /^since (.+)$/.exec(t);
  if (since) {
    const from = parsePoint(since[1], at, zone);
    if (!from) throw fail();
    return range(from.at, at, raw, from.zoned);
  }
  const between = endsOf(raw);
  if (between) {
    const from = parsePoint(between[0], at, zone);
    const to = parsePoint(between[1], at, zone);
    if (!from || !to) throw fail();
    if (from.at > to.at) throw new UsageError(`The range "${raw}" ends before it starts; give the earlier time first.`);
    if (from.at === to.at) throw new UsageError(`The range "${raw}" is empty: its end is excluded, so give a later end (e.g. 2026-11-30..2026-12-01 for the whole of 30 November).`);
    return range(from.at, to.at, raw, from.zoned || to.zoned);
  }
  const point = parsePoint(raw, at, zone);
  if (point) {
    // A bare date means that whole (local) day; a bare time means "since then".
    if (/^\d{4}-\d{2}-\d{2}$/.test(raw.trim())) return range(point.at, startOfLocalDay(point.at, zone, 1), raw, true);
    return range(point.at, at, `since ${raw}`, point.zoned);
  }
  throw fail();
}

/**
 * The two ends of an "A..B" phrase (also "A/B", "A to B"), or undefined for a phrase that names no end of
 * its own (a start, a day, a span up to now).
 */
export function endsOf(input: string): [string, string] | undefined {
  const raw = input.trim();
  if (/^since\s/i.test(raw)) return undefined;
  const parts = raw.split(/\s*(?:\.\.|\/|\bto\b)\s*/i);
  return parts.length === 2 && parts[0] && parts[1] && !/^\d{4}-\d{2}-\d{2}$/.test(raw) ? [parts[0], parts[1]] : undefined;
}

/** A range read for an operation: at its `now`, in its time zone. */
export function rangeOf(ctx: Pick<OpContext, 'now' | 'timeZone'>, input: string | undefined, fallback?: string): TimeRange {
  return parseTimeRange(input, ctx.now?.() ?? new Date(), fallback, ctx.timeZone ?? UTC);
}

/** The range as a person reads it: its label, with the zone when the zone decided it ("yesterday (Europe/Paris)"). */
export function rangeText(r: TimeRange): string {
  return r.zoned ? `${r.label} (${r.zone})` : r.label;
}

/** The API's filters for a range on a date field: `_gte` its start, `_lte` a millisecond before its (excluded) end. */
export function rangeFilters<F extends string>(r: TimeRange | undefined, field: F): Partial<Record<`${F}_gte` | `${F}_lte`, string>> {
  if (!r) return {};
  const out: Partial<Record<`${F}_gte` | `${F}_lte`, string>> = {};
  if (r.from) out[`${field}_gte`] = r.from.toISOString();
  if (r.to) out[`${field}_lte`] = new Date(r.to.getTime() - 1).toISOString();
  return out;
}
