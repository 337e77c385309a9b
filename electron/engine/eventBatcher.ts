import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/contract';
import type { JobSnapshot, LogBatch } from '../../shared/jobSnapshot';
import type { MonitorTick } from '../../shared/monitoring';
import type { BatchProgress, GroupInfo } from '../../shared/scheduling';

/** How often coalesced job changes and log output leave the engine. */
export const EVENT_TICK_MS = 50;
/** Queue positions are a display hint: four updates a second keep "queued #n" current. */
export const QUEUE_EVENT_INTERVAL_MS = 250;

/**
 * monitor.tick as the engine emits it: with the process list of every open system view
 * (processLists), which the host splits so that each viewer gets only its own (processes).
 */
export type EngineMonitorTick = Omit<MonitorTick, 'system'>;

/** The contract's payloads, except monitor.tick's (see EngineMonitorTick). */
export type EnginePayload<E extends EventName> = E extends 'monitor.tick' ? EngineMonitorTick : EventPayload<E>;

export type EngineEventMap = { [E in EventName]: [EnginePayload<E>] };

export interface BatchSources {
  snapshot(jobId: string): JobSnapshot | undefined;
  /** Log output gathered since the last call, one batch per run that produced any. */
  drainLogs(): LogBatch[];
  batch(batchId: string): BatchProgress | undefined;
  groups(): GroupInfo[];
  queueOrder(): string[];
}

/**
 * Coalesces job changes and log output into at most one 'jobs.changed' and one
 * 'logs.appended' event per tick. The timer is armed only while something is pending, so
 * an idle engine does not wake up.
 */
export class EventBatcher {
  readonly emitter = new EventEmitter<EngineEventMap>();
  private readonly dirtyJobs = new Set<string>();
  private readonly dirtyBatches = new Set<string>();
  private groupsDirty = false;
  private queueDirty = false;
  private queuePushedAt = -Infinity;
  private logsPending = false;
  private timer?: NodeJS.Timeout;
  private queueTimer?: NodeJS.Timeout;

  constructor(
    private readonly sources: BatchSources,
    private readonly tickMs = EVENT_TICK_MS,
  ) {
    this.emitter.setMaxListeners(100);
  }

  jobChanged(jobId: string): void {
    this.dirtyJobs.add(jobId);
    this.arm();
  }

  /** Running/queued counts of the pool's groups moved (a job queued, started or ended). */
  groupsChanged(): void {
    this.groupsDirty = true;
    this.arm();
  }

  queueChanged(): void {
    this.queueDirty = true;
    this.arm();
  }

  batchChanged(batchId: string): void {
    this.dirtyBatches.add(batchId);
    this.arm();
  }

  logsArrived(): void {
    this.logsPending = true;
    this.arm();
  }

  emit<E extends EventName>(name: E, payload: EnginePayload<E>): void {
    (this.emitter.emit as (n: E, p: EnginePayload<E>) => boolean)(name, payload);
  }

  /**
   * Emits whatever is pending now (on shutdown, and for tests). From the timer (`force`
   * false), a queue change younger than QUEUE_EVENT_INTERVAL_MS since the last one waits.
   */
  flush(force = true): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (force) {
      clearTimeout(this.queueTimer);
      this.queueTimer = undefined;
    }
    if (this.logsPending) {
      this.logsPending = false;
      const batches = this.sources.drainLogs();
      if (batches.length > 0) this.emit('logs.appended', { batches });
    }
    if (this.dirtyJobs.size > 0) {
      const jobs: JobSnapshot[] = [];
      for (const id of this.dirtyJobs) {
        const snapshot = this.sources.snapshot(id);
        if (snapshot) jobs.push(snapshot);
      }
      this.dirtyJobs.clear();
      if (jobs.length > 0) this.emit('jobs.changed', { jobs });
    }
    if (this.dirtyBatches.size > 0) {
      const batches = [...this.dirtyBatches].map((id) => this.sources.batch(id)).filter((b): b is BatchProgress => b !== undefined);
      this.dirtyBatches.clear();
      if (batches.length > 0) this.emit('batches.changed', { batches });
    }
    if (this.groupsDirty) {
      this.groupsDirty = false;
      this.emit('groups.changed', { groups: this.sources.groups() });
    }
    if (this.queueDirty) {
      const wait = this.queuePushedAt + QUEUE_EVENT_INTERVAL_MS - Date.now();
      if (force || wait <= 0) {
        this.queueDirty = false;
        this.queuePushedAt = Date.now();
        this.emit('queue.changed', { order: this.sources.queueOrder() });
      } else {
        // Its own timer: job changes and logs must not wait out the queue's interval.
        this.queueTimer ??= setTimeout(() => {
          this.queueTimer = undefined;
          this.flush(false);
        }, wait);
      }
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.queueTimer);
    this.emitter.removeAllListeners();
  }

  private arm(): void {
    this.timer ??= setTimeout(() => this.flush(false), this.tickMs);
  }
}
