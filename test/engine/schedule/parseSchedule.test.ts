import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../electron/engine/engineError';
import { nextRunTimes } from '../../../electron/engine/schedule/nextRunTimes';
import { parseSchedule } from '../../../electron/engine/schedule/parseSchedule';
import type { ScheduleInput } from '../../../electron/engine/schedule/scheduleSpec';

function refusal(input: unknown): { field?: string; message: string } {
  try {
    parseSchedule(input as ScheduleInput, 'schedule');
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('INVALID_SPEC');
    return { field: (error as EngineError).field, message: (error as EngineError).message };
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('parseSchedule', () => {
  it('reads an expression with its defaults', () => {
    const schedule = parseSchedule({ cron: ' 0 3 * * * ' });
    expect(schedule).toMatchObject({ cron: '0 3 * * *', timezone: undefined, overlap: 'skip', missed: 'skip' });
    expect(parseSchedule({ cron: '@daily', timezone: 'local' }).timezone).toBeUndefined();
    expect(parseSchedule({ cron: '* * * * * *', timezone: 'UTC', overlap: 'queue', missed: 'run-once' })).toMatchObject({ timezone: 'UTC', overlap: 'queue', missed: 'run-once' });
    expect(parseSchedule({ cron: '0 3 * * *', timezone: 'Europe/Berlin' }).timezone).toBe('Europe/Berlin');
  });

  it('refuses what cannot run, naming the field', () => {
    expect(refusal({ cron: '' })).toMatchObject({ field: 'schedule.cron', message: 'schedule.cron: the cron expression is empty' });
    expect(refusal({ cron: 'every day' })).toMatchObject({ field: 'schedule.cron', message: expect.stringContaining('"every day" is not a cron expression') });
    expect(refusal({ cron: '61 * * * *' })).toMatchObject({ field: 'schedule.cron', message: expect.stringContaining('Invalid value for minute: 61') });
    expect(refusal({ cron: '0 0 30 2 *' })).toMatchObject({ field: 'schedule.cron', message: 'schedule.cron: "0 0 30 2 *" never fires' });
    expect(refusal({ cron: '0 0 0 1 1 * 2001' })).toMatchObject({ field: 'schedule.cron', message: expect.stringContaining('never fires') });
    expect(refusal({ cron: '* * * * *', timezone: 'Mars/Olympus' })).toMatchObject({ field: 'schedule.timezone', message: expect.stringContaining('"Mars/Olympus" is not a time zone') });
    expect(refusal({ cron: '* * * * *', overlap: 'sometimes' })).toMatchObject({ field: 'schedule.overlap' });
    expect(refusal({ cron: '* * * * *', missed: 'all' })).toMatchObject({ field: 'schedule.missed' });
    expect(refusal({ cron: '* '.repeat(200) })).toMatchObject({ field: 'schedule.cron' });
    expect(refusal(null)).toMatchObject({ field: 'schedule' });
  });
});

describe('nextRunTimes', () => {
  it('lists the next runs after a time, in the schedule\'s zone', () => {
    const utc = parseSchedule({ cron: '0 3 * * *', timezone: 'UTC' });
    expect(nextRunTimes(utc, 2, new Date('2025-01-01T12:00:00Z')).map((d) => d.toISOString())).toEqual(['2025-01-02T03:00:00.000Z', '2025-01-03T03:00:00.000Z']);
    const berlin = parseSchedule({ cron: '0 3 * * *', timezone: 'Europe/Berlin' });
    expect(nextRunTimes(berlin, 1, new Date('2025-01-01T12:00:00Z')).map((d) => d.toISOString())).toEqual(['2025-01-02T02:00:00.000Z']);
    expect(nextRunTimes(berlin, 1, new Date('2025-07-01T12:00:00Z')).map((d) => d.toISOString())).toEqual(['2025-07-02T01:00:00.000Z']);
  });

  it('caps what a caller may ask for', () => {
    const everySecond = parseSchedule({ cron: '* * * * * *' });
    expect(nextRunTimes(everySecond, 1_000_000)).toHaveLength(100);
    expect(nextRunTimes(everySecond, -3)).toEqual([]);
  });
});
