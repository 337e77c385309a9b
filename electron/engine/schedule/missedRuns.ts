import type { ScheduleDefinition } from './scheduleSpec';

/** Counting stops here: a schedule every second down for a month is "more than 1000", not 2.6 million steps. */
export const MAX_COUNTED_MISSED = 1_000;

export interface MissedRuns {
  /** Ticks strictly after the last run and at or before now (at most MAX_COUNTED_MISSED). */
  count: number;
  /** More were missed than were counted. */
  more: boolean;
  /** The first and the latest missed tick. */
  first?: Date;
  last?: Date;
  /** Whether to start one run now (missed: run-once, and something was missed). */
  runNow: boolean;
  /** For the run's record or a notice; undefined when nothing was missed. */
  reason?: string;
}

/**
 * What the schedule missed while Procdeck was down: every tick after `lastRunAt` (the scheduled
 * time of the last run recorded on disk) up to `now`, with the policy's verdict. Pure: the
 * times are given, croner does the calendar (time zone, DST, month lengths). A schedule that
 * never ran has missed nothing (a new schedule does not catch up on the past), and a
 * `lastRunAt` after `now` (the clock was set back) counts nothing.
 */
export function missedRuns(schedule: ScheduleDefinition, lastRunAt: Date | number | undefined, now: Date | number): MissedRuns {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  if (lastRunAt === undefined) return { count: 0, more: false, runNow: false };
  const lastMs = typeof lastRunAt === 'number' ? lastRunAt : lastRunAt.getTime();
  if (!Number.isFinite(lastMs) || !Number.isFinite(nowMs) || lastMs >= nowMs) return { count: 0, more: false, runNow: false };
  let count = 0;
  let first: Date | undefined;
  let cursor: Date | null = new Date(lastMs);
  while (count < MAX_COUNTED_MISSED) {
    cursor = schedule.pattern.nextRun(cursor);
    if (cursor === null || cursor.getTime() > nowMs) break;
    first ??= cursor;
    count += 1;
  }
  if (count === 0) return { count: 0, more: false, runNow: false };
  const more = count === MAX_COUNTED_MISSED && cursor !== null && cursor.getTime() <= nowMs && (schedule.pattern.nextRun(cursor)?.getTime() ?? Infinity) <= nowMs;
  // croner includes a tick in the same second as the reference; one exactly at now belongs here.
  const last = schedule.pattern.previousRuns(1, new Date(nowMs + 1))[0] ?? cursor ?? first!;
  const runNow = schedule.missed === 'run-once';
  const counted = `${more ? `more than ${MAX_COUNTED_MISSED}` : count} run${count === 1 && !more ? '' : 's'}`;
  const verdict = runNow ? 'running once now' : 'skipped (missed: skip)';
  return { count, more, first, last, runNow, reason: `missed ${counted} while Procdeck was down (the last due ${last.toISOString()}); ${verdict}` };
}
