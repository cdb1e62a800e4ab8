// Calendar arithmetic in a named time zone (IANA, e.g. "Europe/Paris"), with the platform's Intl data: the
// start of a local day, a local date and time as an instant, the local weekday. Time phrases are read in
// the person's zone (issue 13 item 11); the API speaks UTC instants.
import { UsageError } from '../core/errors.js';

export const UTC = 'UTC';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', weekday: 'short',
        year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      throw new UsageError(`Unknown time zone "${zone}": give an IANA name such as Europe/Paris, America/New_York or UTC.`);
    }
    formatters.set(zone, f);
  }
  return f;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday. */
  weekday: number;
}

/** The wall-clock reading of an instant in a zone. */
export function localParts(ms: number, zone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour) % 24, minute: Number(parts.minute), second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number, zone: string): number {
  if (zone === UTC) return 0;
  const p = localParts(ms, zone);
  const whole = ms - (((ms % 1000) + 1000) % 1000);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

/**
 * The instant a local date and time names in a zone (fields may overflow: day 32 is the next month's 1st).
 * A time a daylight-saving change skips reads as the same time an hour on.
 */
export function zonedTime(zone: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const t = wall - offsetAt(wall, zone);
  const offset = offsetAt(t, zone);
  return offset === wall - t ? t : wall - offset;
}

/** The start of the local day `days` days after the one holding `ms` (0: that day). */
export function startOfLocalDay(ms: number, zone: string, days = 0): number {
  const p = localParts(ms, zone);
  return zonedTime(zone, p.year, p.month, p.day + days);
}
