// Time filters accept ISO times and phrases: "yesterday", "last 24 hours", "last week", "since Monday", "A..B".
import { UsageError } from '../core/errors.js';

export interface TimeRange {
  from?: Date;
  to?: Date;
  /** How the range reads back to a person, e.g. "last 24 hours". */
  label: string;
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

function startOfDayUtc(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

function parsePoint(s: string, now: Date): Date | undefined {
  const t = s.trim().toLowerCase();
  if (!t) return undefined;
  if (t === 'now') return now;
  if (t === 'today') return startOfDayUtc(now);
  if (t === 'yesterday') return new Date(startOfDayUtc(now).getTime() - 86_400_000);
  const dayIdx = DAYS.indexOf(t.replace(/^last\s+/, ''));
  if (dayIdx >= 0) {
    const today = startOfDayUtc(now);
    let back = (today.getUTCDay() - dayIdx + 7) % 7;
    if (back === 0 && t.startsWith('last')) back = 7;
    return new Date(today.getTime() - back * 86_400_000);
  }
  const ago = /^(\d+)\s*(minute|min|hour|hr|day|week)s?\s+ago$/.exec(t);
  if (ago) return new Date(now.getTime() - Number(ago[1]) * UNIT_MS[ago[2]]);
  if (/^\d{10,13}$/.test(t)) return new Date(Number(t.length === 10 ? Number(t) * 1000 : t));
  // Only ISO-like dates: Date.parse would read "0" or "99" as the year 2000 or 1999.
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const ms = Date.parse(s.trim());
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/** Parse a range phrase relative to `now` (UTC). Empty input uses `fallback` (default: last 24 hours). */
export function parseTimeRange(input: string | undefined, now: Date, fallback = 'last 24 hours'): TimeRange {
  const raw = (input ?? '').trim() || fallback;
  const t = raw.toLowerCase().replace(/\s+/g, ' ');
  const fail = () =>
    new UsageError(
      `Cannot read the time range "${raw}". Use an ISO time (2026-11-20T00:00:00Z), "A..B", or a phrase: today, yesterday, last 24 hours, last 7 days, last week, since Monday, 3 hours ago.`,
    );

  if (t === 'today') return { from: startOfDayUtc(now), to: now, label: 'today' };
  if (t === 'yesterday') {
    const to = startOfDayUtc(now);
    return { from: new Date(to.getTime() - 86_400_000), to, label: 'yesterday' };
  }
  if (t === 'last week' || t === 'past week') return { from: new Date(now.getTime() - 7 * 86_400_000), to: now, label: 'last 7 days' };
  if (t === 'this week') return { from: parsePoint('monday', now), to: now, label: 'this week' };
  const last = /^(?:last|past|previous) (?:(\d+) )?(minute|min|hour|hr|day|week)s?$/.exec(t);
  if (last) {
    const n = Number(last[1] ?? 1);
    const from = new Date(now.getTime() - n * UNIT_MS[last[2]]);
    if (n <= 0) throw fail();
    // "last 99999999999 days" starts before any date JavaScript can hold.
    if (Number.isNaN(from.getTime())) throw new UsageError(`The range "${raw}" reaches back further than any date; give a smaller number.`);
    return { from, to: now, label: `last ${n} ${last[2]}${n === 1 ? '' : 's'}` };
  }
  const since = /^since (.+)$/.exec(t);
  if (since) {
    const from = parsePoint(since[1], now);
    if (!from) throw fail();
    return { from, to: now, label: raw };
  }
  const between = raw.split(/\s*(?:\.\.|\/|\bto\b)\s*/i);
  if (between.length === 2 && between[0] && between[1] && !/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const from = parsePoint(between[0], now);
    const to = parsePoint(between[1], now);
    if (!from || !to) throw fail();
    if (from > to) throw new UsageError(`The range "${raw}" ends before it starts; give the earlier time first.`);
    return { from, to, label: raw };
  }
  const point = parsePoint(raw, now);
  if (point) {
    // A bare date means that whole day; a bare time means "since then".
    if (/^\d{4}-\d{2}-\d{2}$/.test(raw.trim())) return { from: point, to: new Date(point.getTime() + 86_400_000), label: raw };
    return { from: point, to: now, label: `since ${raw}` };
  }
  throw fail();
}
