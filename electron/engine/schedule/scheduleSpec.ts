import type { Cron } from 'croner';

/**
 * A job's schedule as the engine needs it. The config file's shared type (`schedule: "0 3 * * *"`
 * with its options) is mapped onto this where a definition is loaded; parseSchedule checks it.
 */
export interface ScheduleInput {
  /** 5 fields (minute…weekday), 6 (with seconds first) or 7 (with a year), or a nickname (@daily). */
  cron: string;
  /** "local" (the default: the machine's zone, DST included), "UTC", or an IANA name like "Europe/Berlin". */
  timezone?: string;
  /** A tick while a run is still active: skip it (default), queue it (at most one waits), or allow a run beside it. */
  overlap?: OverlapPolicy;
  /** Ticks that passed while Procdeck was down: skip them (default), or run once for all of them. */
  missed?: MissedPolicy;
}

export type OverlapPolicy = 'skip' | 'queue' | 'allow';
export type MissedPolicy = 'skip' | 'run-once';

export interface ScheduleDefinition {
  cron: string;
  /** Undefined: local time. */
  timezone: string | undefined;
  overlap: OverlapPolicy;
  missed: MissedPolicy;
  /** croner's reading of the expression, for the time math only: it has no callback and never fires. */
  pattern: Cron;
}
