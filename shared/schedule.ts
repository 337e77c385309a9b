import { Cron } from 'croner';
import { z } from 'zod';
import { lazySchema } from './lazySchema';

/**
 * When a declared job runs on its own (a cron schedule), as the engine keeps it. The file
 * writes `schedule: "*\/5 * * * *"` or a mapping with `cron`, `timezone`, `overlap`, `missed`.
 */

/** What a due run does while the previous run still runs: skip it, queue it (one waits at most), or start it beside. */
export const OVERLAP_POLICIES = ['skip', 'queue', 'allow'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];
/** Runs that fell due while Procdeck was down: forget them, or run once at start. */
export const MISSED_RUN_POLICIES = ['skip', 'run-once'] as const;
export type MissedRunPolicy = (typeof MISSED_RUN_POLICIES)[number];

/**
 * Why croner refuses a cron expression (5 fields, 6 with seconds first, 7 with a year last,
 * or a nickname like @daily), or why it never fires; undefined when it is fine.
 */
export function cronError(expression: string, timezone?: string): string | undefined {
  if (timezone !== undefined && !isTimeZone(timezone)) return `unknown time zone "${timezone}" (an IANA name such as Europe/Paris)`;
  try {
    const cron = new Cron(expression, { paused: true, timezone });
    return cron.nextRun() === null ? 'this schedule never fires (no date matches it from now on)' : undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Cron\w*: /, '').replace(/ Original error:.*$/s, '');
  }
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const scheduleSchema = lazySchema(() => z
  .object({
    cron: z.string().trim().min(1, 'a schedule needs a cron expression').max(200),
    /** An IANA time zone (Europe/Paris); absent: the machine's. */
    timezone: z.string().min(1).max(100).optional(),
    overlap: z.enum(OVERLAP_POLICIES).default('skip'),
    missed: z.enum(MISSED_RUN_POLICIES).default('skip'),
  })
  .superRefine((schedule, ctx) => {
    const problem = cronError(schedule.cron, schedule.timezone);
    if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: `bad cron expression "${schedule.cron}": ${problem}` });
  }));
export type ScheduleInput = z.input<typeof scheduleSchema>;
export type Schedule = z.output<typeof scheduleSchema>;
