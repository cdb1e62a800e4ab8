// Issue 13 item 7: any five words were saved as a schedule, and a five-field cron became "? 0 2 * * *" with
// both day fields "*", which a Quartz-style cron refuses. The grammar is now checked by croner, a 5-field
// cron becomes a valid Celigo cron (day of month or day of week "?"), and the health check's missed-run
// detection reads schedules with the same library.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { normaliseSchedule, scheduleIntervalMs } from '../../src/ops/schedule.js';
import { DAY } from '../../src/ops/health-judge.js';
import { run } from '../helpers/cli.js';

const HOUR = 3_600_000;

/** Quartz: six fields here (seconds "?"), and exactly one of day of month and day of week is "?". */
function quartzValid(cron: string): boolean {
  const f = cron.split(' ');
  return f.length === 6 && f[0] === '?' && (f[3] === '?') !== (f[5] === '?');
}

describe('normaliseSchedule', () => {
  it.each([
    ['0 2 * * *', '? 0 2 ? * *'],
    ['0 2 * * MON', '? 0 2 ? * MON'],
    ['30 1 * * 1-5', '? 30 1 ? * 1-5'],
    ['0 2 15 * *', '? 0 2 15 * ?'],
    ['0 2 ? * *', '? 0 2 ? * *'],
    ['*/15 * * * *', '? */15 * ? * *'],
    ['? 0 2 ? * *', '? 0 2 ? * *'],
    ['?  0   2 ? * *', '? 0 2 ? * *'],
    ['? */5 * * * *', '? */5 * ? * *'],
    ['? 10,40 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 ? * *', '? 10,40 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 ? * *'],
    ['? 0 2 1 * ?', '? 0 2 1 * ?'],
  ])('%s -> %s', (input, celigo) => {
    const out = normaliseSchedule(input);
    expect(out).toBe(celigo);
    expect(quartzValid(out), out).toBe(true);
  });

  it.each([
    ['a b c d e', /^Invalid schedule "a b c d e": the minute field \(a\) contains illegal characters\./],
    ["'; DROP TABLE flows; --", /^Invalid schedule "'; DROP TABLE flows; --": the minute field .* contains illegal characters\./],
    ['0 25 * * *', /^Invalid schedule "0 25 \* \* \*": .*hour: 25/],
    ['0 2 * * 9', /^Invalid schedule "0 2 \* \* 9": .*dayOfWeek: 9/],
    ['0 2 15 * MON', /both a day of month and a day of week/],
    ['0 2 30 2 *', /never runs/],
    ['0 0 2 * * *', /6 fields start with "\?"/],
    ['* * * *', /4 fields/],
  ])('refuses %s with a message that says what to give', (input, message) => {
    expect(() => normaliseSchedule(input)).toThrow(UsageError);
    expect(() => normaliseSchedule(input)).toThrow(message);
    expect(() => normaliseSchedule(input)).toThrow(/"\? 0 2 \? \* \*"/);
  });
});

describe('scheduleIntervalMs: the longest gap between two scheduled runs, read by croner', () => {
  it.each([
    ['? 0 * ? * *', HOUR],
    ['? */15 * ? * *', 15 * 60_000],
    ['? 0 1 ? * *', DAY],
    ['? 0 1,13 ? * *', DAY / 2],
    // Hourly from 9 to 17: the night between two days is the gap a window must cover.
    ['? 0 9-17 ? * *', 16 * HOUR],
    ['? * * ? * *', 60_000],
    ['? 0 1 ? * 1', 7 * DAY],
    ['? 0 1 ? * 1-5', 3 * DAY],
    // Every 5 minutes on weekdays: the weekend.
    ['? */5 * ? * 1-5', 2 * DAY + 5 * 60_000],
    ['? 0 1 15 * ?', 31 * DAY],
    // A 5-field cron is read as one (a stored schedule of another form is still judged).
    ['0 * * * *', HOUR],
    // Unreadable: a day, as before.
    ['? a b ? * *', DAY],
  ])('%s -> %d ms', (schedule, ms) => expect(scheduleIntervalMs(schedule)).toBe(ms));
});

describe('flows update --schedule', () => {
  it('refuses five words that are not a cron, sending nothing, and saves a 5-field cron as a valid Celigo cron', async () => {
    const bad = await run(['--demo', 'flows', 'update', 'Shopify Customers to NetSuite', '--schedule', 'a b c d e']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Invalid schedule "a b c d e"/);
    const ok = await run(['--demo', 'flows', 'update', 'Shopify Customers to NetSuite', '--schedule', '0 2 * * *', '--json', 'schedule']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ schedule: '? 0 2 ? * *' });
  });
});
