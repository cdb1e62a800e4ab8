// Flow schedules: Celigo's 6-field Quartz-like cron, "? minute hour day-of-month month day-of-week"
// (celigo-api.md §3.2), read by croner, a maintained cron library, both where a schedule is set and where
// the health check judges whether a flow missed its runs (issue 13 item 7). Quartz takes a day of month or a
// day of week, with "?" in the other; a 5-field cron is turned into that form.
import { Cron, CronPattern } from 'croner';
import { UsageError } from '../core/errors.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const HOW = 'Use a cron such as "? 0 2 ? * *" (Celigo\'s 6 fields: ?, minute, hour, day of month, month, day of week) or "0 2 * * *" (5 fields).';
const FIELDS = ['second', 'minute', 'hour', 'day of month', 'month', 'day of week'];

const anyDay = (f: string) => f === '*' || f === '?';

/** Croner's form of Celigo's six fields: Celigo's "?" seconds is second 0; every other field as given. */
const cronerForm = (fields: readonly string[]) => ['0', ...fields.slice(1)].join(' ');

/** Croner's reading of six Celigo fields, in UTC (gaps between runs do not depend on the zone). */
function cronOf(fields: readonly string[]): Cron {
  return new Cron(cronerForm(fields), { mode: '6-part', utcOffset: 0 });
}

/** Croner's message, its field named the way a person counts them ("configuration entry 2" is the hour). */
function cronerMessage(err: unknown): string {
  const m = (err instanceof Error ? err.message : String(err)).replace(/^CronPattern:\s*/, '');
  return m.replace(/configuration entry (\d+)/, (_all, i: string) => `the ${FIELDS[Number(i)] ?? `field ${i}`} field`);
}

/**
 * Celigo's form of a schedule given as Celigo's 6 fields or a 5-field cron: fields checked by croner, one of
 * the day fields "?" (a day of month, or a day of week, or neither), and at least one run a year. Anything
 * else is a UsageError that says what to give.
 */
export function normaliseSchedule(s: string): string {
  const given = s.trim().split(/\s+/).filter(Boolean);
  const bad = (why: string) => new UsageError(`Invalid schedule "${s.trim()}": ${why}. ${HOW}`);
  let fields: string[];
  if (given.length === 5) fields = ['?', ...given];
  else if (given.length === 6 && given[0] === '?') fields = given;
  else throw bad(given.length === 6 ? `Celigo's 6 fields start with "?" (the seconds), not "${given[0]}"` : `${given.length} fields`);
  let cron: Cron;
  try {
    cron = cronOf(fields);
  } catch (err) {
    throw bad(cronerMessage(err));
  }
  const [, minute, hour, dom, month, dow] = fields as [string, string, string, string, string, string];
  if (!anyDay(dom) && !anyDay(dow)) throw bad('it gives both a day of month and a day of week; give one, with "?" in the other');
  if (!cron.nextRun(new Date(Date.UTC(2026, 0, 1)))) throw bad('it never runs (no such date)');
  const days = anyDay(dom) ? ['?', dow === '?' ? '*' : dow] : [dom, '?'];
  return ['?', minute, hour, days[0]!, month, days[1]!].join(' ');
}

// ---- how often a schedule runs, for the health check's missed-run detection (health-judge.ts) ----

/** A Monday: the runs are looked at from here on. */
const REFERENCE = Date.UTC(2026, 0, 5);
const HORIZON = 35 * DAY;
const MAX_RUNS = 400;
const intervals = new Map<string, number>();

/**
 * The longest time between two runs of a schedule (Celigo's 6 fields, or a 5-field cron), in ms: a window
 * at least this long holds a run whatever its start. A schedule croner cannot read counts as daily; one
 * that never runs again as never due (Infinity). Cached per schedule (a large account shares a few).
 */
export function scheduleIntervalMs(schedule: string): number {
  let ms = intervals.get(schedule);
  if (ms === undefined) {
    ms = longestGap(schedule);
    intervals.set(schedule, ms);
  }
  return ms;
}

function longestGap(schedule: string): number {
  const given = schedule.trim().split(/\s+/);
  const fields = given.length === 5 ? ['?', ...given] : given;
  let cron: Cron;
  try {
    if (fields.length !== 6) return DAY;
    cron = cronOf(fields);
  } catch {
    return DAY;
  }
  const daily = dailyGap(cronerForm(fields));
  return daily ?? enumeratedGap(cron);
}

/**
 * For a schedule that runs the same every day (no day, month or weekday restriction): the longest gap
 * between its times of day, the night across midnight included, from croner's parsed minutes and hours.
 */
function dailyGap(pattern: string): number | undefined {
  const p = new CronPattern(pattern, undefined, { mode: '6-part' });
  const everyDay = p.starDOM && p.starDOW && p.month.every(Boolean) && !p.lastDayOfMonth && !p.nearestWeekdays.some(Boolean);
  if (!everyDay) return undefined;
  const times: number[] = [];
  p.hour.forEach((h, hi) => h && p.minute.forEach((m, mi) => m && times.push(hi * 60 + mi)));
  if (!times.length) return undefined;
  let gap = times[0]! + 1440 - times[times.length - 1]!;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
  return gap * 60_000;
}

/**
 * The longest gap between consecutive runs over HORIZON (at most MAX_RUNS of them). When the runs are too
 * many to follow that far, every hour of the horizon is looked at too: where the next run is more than an
 * hour away, the gap around that hour (previous run to next) counts.
 */
function enumeratedGap(cron: Cron): number {
  const end = REFERENCE + HORIZON;
  let t = cron.nextRun(new Date(REFERENCE));
  let gap = 0;
  let runs = 0;
  while (t && t.getTime() < end && runs < MAX_RUNS) {
    const next = cron.nextRun(t);
    if (!next) break;
    gap = Math.max(gap, next.getTime() - t.getTime());
    t = next;
    runs++;
  }
  if (runs >= MAX_RUNS) {
    for (let at = REFERENCE; at < end; at += HOUR) {
      const next = cron.nextRun(new Date(at));
      if (!next || next.getTime() - at <= HOUR) continue;
      const before = cron.previousRuns(1, new Date(at))[0];
      gap = Math.max(gap, next.getTime() - (before?.getTime() ?? at));
    }
  }
  if (gap > 0) return gap;
  const two = cron.nextRuns(2, new Date(REFERENCE));
  return two.length === 2 ? two[1]!.getTime() - two[0]!.getTime() : Number.POSITIVE_INFINITY;
}
