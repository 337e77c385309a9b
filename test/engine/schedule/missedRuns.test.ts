import { describe, expect, it } from 'vitest';
import { MAX_COUNTED_MISSED, missedRuns } from '../../../electron/engine/schedule/missedRuns';
import { parseSchedule } from '../../../electron/engine/schedule/parseSchedule';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | undefined) => d?.toISOString();

describe('missedRuns (pure: explicit times)', () => {
  const daily = parseSchedule({ cron: '0 3 * * *', timezone: 'UTC' });
  const dailyOnce = parseSchedule({ cron: '0 3 * * *', timezone: 'UTC', missed: 'run-once' });

  it('counts the ticks after the last run up to now; skip runs none, run-once runs one', () => {
    const skipped = missedRuns(daily, at('2025-01-01T03:00:00Z'), at('2025-01-04T12:00:00Z'));
    expect({ ...skipped, first: iso(skipped.first), last: iso(skipped.last) }).toEqual({
      count: 3,
      more: false,
      first: '2025-01-02T03:00:00.000Z',
      last: '2025-01-04T03:00:00.000Z',
      runNow: false,
      reason: 'missed 3 runs while Procdeck was down (the last due 2025-01-04T03:00:00.000Z); skipped (missed: skip)',
    });
    const once = missedRuns(dailyOnce, at('2025-01-01T03:00:00Z'), at('2025-01-04T12:00:00Z'));
    expect(once).toMatchObject({ count: 3, runNow: true, reason: 'missed 3 runs while Procdeck was down (the last due 2025-01-04T03:00:00.000Z); running once now' });
    expect(missedRuns(dailyOnce, at('2025-01-03T03:00:00Z'), at('2025-01-04T12:00:00Z')).reason).toBe('missed 1 run while Procdeck was down (the last due 2025-01-04T03:00:00.000Z); running once now');
  });

  it('has missed nothing when nothing was due, when it never ran, or when the clock went back', () => {
    expect(missedRuns(dailyOnce, at('2025-01-01T03:00:00Z'), at('2025-01-01T20:00:00Z'))).toEqual({ count: 0, more: false, runNow: false });
    expect(missedRuns(dailyOnce, undefined, at('2025-01-04T12:00:00Z'))).toEqual({ count: 0, more: false, runNow: false });
    expect(missedRuns(dailyOnce, at('2025-02-01T03:00:00Z'), at('2025-01-04T12:00:00Z'))).toEqual({ count: 0, more: false, runNow: false });
    expect(missedRuns(dailyOnce, Number.NaN, at('2025-01-04T12:00:00Z'))).toEqual({ count: 0, more: false, runNow: false });
  });

  it('a tick exactly at now counts; one exactly at the last run does not', () => {
    const result = missedRuns(daily, Date.parse('2025-01-01T03:00:00Z'), Date.parse('2025-01-02T03:00:00Z'));
    expect({ count: result.count, first: iso(result.first), last: iso(result.last) }).toEqual({ count: 1, first: '2025-01-02T03:00:00.000Z', last: '2025-01-02T03:00:00.000Z' });
  });

  it('stops counting a long gap of a frequent schedule, and says so', () => {
    const everySecond = parseSchedule({ cron: '* * * * * *', timezone: 'UTC', missed: 'run-once' });
    const result = missedRuns(everySecond, at('2025-01-01T00:00:00Z'), at('2025-01-31T00:00:00.400Z'));
    expect(result).toMatchObject({ count: MAX_COUNTED_MISSED, more: true, runNow: true });
    expect(iso(result.last)).toBe('2025-01-31T00:00:00.000Z');
    expect(result.reason).toBe('missed more than 1000 runs while Procdeck was down (the last due 2025-01-31T00:00:00.000Z); running once now');
    const exactly = missedRuns(everySecond, at('2025-01-01T00:00:00Z'), at(`2025-01-01T00:16:40Z`));
    expect(exactly).toMatchObject({ count: 1000, more: false });
  });

  it('long gaps follow the calendar: months, and 29 February', () => {
    const monthly = parseSchedule({ cron: '0 0 1 * *', timezone: 'UTC' });
    expect(missedRuns(monthly, at('2023-01-01T00:00:00Z'), at('2025-01-15T00:00:00Z')).count).toBe(24);
    const leap = parseSchedule({ cron: '0 0 29 2 *', timezone: 'UTC' });
    const result = missedRuns(leap, at('2021-01-01T00:00:00Z'), at('2025-03-01T00:00:00Z'));
    expect({ count: result.count, last: iso(result.last) }).toEqual({ count: 1, last: '2024-02-29T00:00:00.000Z' });
  });

  it('DST: a daily time the clock skips runs once, right after the gap (Europe/Berlin, 30 March 2025)', () => {
    const nightly = parseSchedule({ cron: '30 2 * * *', timezone: 'Europe/Berlin' });
    const result = missedRuns(nightly, at('2025-03-29T01:30:00Z'), at('2025-03-30T12:00:00Z'));
    // 02:30 does not exist that night: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
    expect({ count: result.count, last: iso(result.last) }).toEqual({ count: 1, last: '2025-03-30T01:00:00.000Z' });
  });

  it('DST: an hour that occurs twice runs twice for an hourly schedule, once for a daily one (26 October 2025)', () => {
    const hourly = parseSchedule({ cron: '0 * * * *', timezone: 'Europe/Berlin' });
    const hours = missedRuns(hourly, at('2025-10-25T22:00:00Z'), at('2025-10-26T04:00:00Z'));
    expect(hours.count).toBe(6);
    const nightly = parseSchedule({ cron: '30 2 * * *', timezone: 'Europe/Berlin' });
    expect(missedRuns(nightly, at('2025-10-25T00:30:00Z'), at('2025-10-26T12:00:00Z')).count).toBe(1);
  });
});
