import { Cron } from 'croner';
import { nextRunTimes } from './nextRunTimes';
import type { ScheduleDefinition } from './scheduleSpec';

/** One tick as the job sees it when a run starts. */
export interface ScheduleTick {
  /** The time the expression named (whole seconds), epoch ms. */
  scheduledAt: number;
  /** When the run was started: later than scheduledAt when it waited in the queue. */
  startedAt: number;
  /** It waited for the previous run to end (overlap: queue). */
  fromQueue: boolean;
}

export type TickOutcome = 'started' | 'skipped' | 'queued' | 'started-from-queue';

/** What happened to one tick, for the detail view and the run's record. */
export interface TickRecord {
  scheduledAt: number;
  /** When the outcome was decided. */
  at: number;
  outcome: TickOutcome;
  /** Why, in operator words ("the previous run is still active (overlap: skip)"). */
  reason: string;
}

export interface ScheduledJob {
  /** Whether a run of the job is active now, whoever started it (the schedule, the operator, a restart). */
  isRunActive(): boolean;
  /** Start a run now. The schedule does not wait for it: the engine calls runEnded() when it ends. */
  startRun(tick: ScheduleTick): void;
}

export interface CronScheduleOptions {
  /** Tick records kept. Default 20. */
  historySize?: number;
  /** startRun threw: the tick is recorded as started, the error goes here. Default console.error. */
  onError?: (error: unknown) => void;
}

/**
 * A live schedule for one job. croner arms the timer; it never waits more than 30 s at a time and
 * compares with the wall clock at each wake-up, so a wait of months needs no setLongTimeout and a
 * clock change (NTP, a suspended laptop) is caught within 30 s (the ticks missed meanwhile fire
 * once). DST follows croner's rules: a time skipped by the clock runs at the first valid time
 * after the gap for fixed-time expressions; a time that occurs twice runs once for those, and on
 * both occurrences for interval expressions (every N minutes).
 *
 * Overlap: `skip` records a tick that finds a run active and does nothing; `queue` keeps at most
 * one such tick and starts it when runEnded() says the active run is over; `allow` starts anyway.
 */
export class CronSchedule {
  private cron: Cron | undefined;
  private readonly records: TickRecord[] = [];
  private readonly listeners = new Set<(record: TickRecord) => void>();
  private waiting: number | undefined;
  private disposed = false;

  constructor(
    private readonly schedule: ScheduleDefinition,
    private readonly job: ScheduledJob,
    private readonly options: CronScheduleOptions = {},
  ) {}

  start(): void {
    if (this.cron || this.disposed) return;
    this.cron = new Cron(this.schedule.cron, { timezone: this.schedule.timezone, mode: 'auto', protect: false }, () => this.tick());
  }

  /** Next run times after `from` (default now), for the UI. */
  nextRuns(count: number, from?: Date): Date[] {
    return nextRunTimes(this.schedule, count, from);
  }

  /** The scheduled time of the tick waiting in the queue, if one is. */
  get queued(): number | undefined {
    return this.waiting;
  }

  history(): readonly TickRecord[] {
    return this.records;
  }

  /** Returns the unsubscribe. */
  onTick(listener: (record: TickRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The job's active run has ended: a tick waiting in the queue starts now. */
  runEnded(): void {
    if (this.disposed || this.waiting === undefined || this.job.isRunActive()) return;
    const scheduledAt = this.waiting;
    this.waiting = undefined;
    this.begin(scheduledAt, true, 'started-from-queue', 'the previous run ended (overlap: queue)');
  }

  /** Stops the timer; a queued tick is dropped. */
  dispose(): void {
    this.disposed = true;
    this.cron?.stop();
    this.cron = undefined;
    this.waiting = undefined;
    this.listeners.clear();
  }

  private tick(): void {
    if (this.disposed) return;
    const now = Date.now();
    // croner passes no target time; the latest time the expression names at or before now is it.
    const scheduledAt = this.schedule.pattern.previousRuns(1, new Date(now + 1))[0]?.getTime() ?? now;
    if (!this.job.isRunActive()) return this.begin(scheduledAt, false, 'started', 'on schedule');
    switch (this.schedule.overlap) {
      case 'allow':
        return this.begin(scheduledAt, false, 'started', 'on schedule, beside the run still active (overlap: allow)');
      case 'skip':
        return this.record({ scheduledAt, at: now, outcome: 'skipped', reason: 'the previous run is still active (overlap: skip)' });
      case 'queue':
        if (this.waiting !== undefined) {
          return this.record({ scheduledAt, at: now, outcome: 'skipped', reason: `the previous run is still active and the tick of ${new Date(this.waiting).toISOString()} already waits (overlap: queue holds one)` });
        }
        this.waiting = scheduledAt;
        return this.record({ scheduledAt, at: now, outcome: 'queued', reason: 'the previous run is still active; starts when it ends (overlap: queue)' });
    }
  }

  private begin(scheduledAt: number, fromQueue: boolean, outcome: TickOutcome, reason: string): void {
    const startedAt = Date.now();
    this.record({ scheduledAt, at: startedAt, outcome, reason });
    try {
      this.job.startRun({ scheduledAt, startedAt, fromQueue });
    } catch (error) {
      // croner's timer calls this: a throw would end the engine, or (caught by croner) stop the schedule.
      (this.options.onError ?? ((e: unknown) => console.error('scheduled start failed:', e)))(error);
    }
  }

  private record(record: TickRecord): void {
    this.records.push(record);
    const size = this.options.historySize ?? 20;
    if (this.records.length > size) this.records.splice(0, this.records.length - size);
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch (error) {
        console.error('schedule listener failed:', error);
      }
    }
  }
}
