import type { ScheduleDefinition } from './scheduleSpec';

/** More is never shown, and a caller asking for a million must not make croner walk them. */
const MAX_LISTED = 100;

/** The next `count` run times after `from` (default now), in order: what the UI shows as "next run". */
export function nextRunTimes(schedule: ScheduleDefinition, count: number, from: Date = new Date()): Date[] {
  const wanted = Number.isInteger(count) ? Math.max(0, Math.min(count, MAX_LISTED)) : 1;
  return schedule.pattern.nextRuns(wanted, from);
}
