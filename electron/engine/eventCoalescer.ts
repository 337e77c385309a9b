import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/contract';
import type { JobSnapshot, LogBatch, SampleTick } from '../../shared/jobSnapshot';
import type { MonitorTick } from '../../shared/monitoring';
import type { BatchProgress, GroupInfo } from '../../shared/scheduling';

/** How often coalesced job changes and log output leave the engine. */
export const EVENT_TICK_MS = 50;
/**
 * Queue positions and batch progress are display hints: four updates a second keep "queued #n"
 * and the progress bars current. Each is a whole list (every queued id, every item's count), so
 * a longer list goes out less often: one more interval per QUEUE_IDS_PER_INTERVAL ids.
 */
export const QUEUE_EVENT_INTERVAL_MS = 250;
const QUEUE_IDS_PER_INTERVAL = 10_000;
/**
 * Snapshots per jobs.changed event: a 100,000-job batch goes out over a few seconds of ticks
 * rather than as one 50 MB event that holds the engine and every client for seconds.
 */
export const MAX_SNAPSHOTS_PER_TICK = 2000;

/**
 * monitor.tick as the engine emits it: with the process list of every open system view
 * (processLists), which the host splits so that each viewer gets only its own (processes).
 */
export type EngineMonitorTick = Omit<MonitorTick, 'system'>;

/**
 * samples.tick as the engine emits it: the change since the tick before, and the whole tick
 * (every live job's sample, `full`) for a recipient that did not get every change (see
 * monitor/sampleTickDelta.ts). `whole()` answers the newest tick; the host strips it.
 */
export type EngineSampleTick = SampleTick & { whole(): SampleTick };

/**
 * system.tick as the engine emits it: the machine's figures and the viewers whose system view
 * is open (`viewers`), which the host strips: a UI connection is sent the figures only while it
 * shows them; a subscriber that chose its events (the CLI, the HTTP API) gets them regardless.
 */
export type EngineSystemTick = EventPayload<'system.tick'> & { viewers: readonly string[] };

/** The contract's payloads, except monitor.tick's, samples.tick's and system.tick's (see EngineMonitorTick, EngineSampleTick, EngineSystemTick). */
export type EnginePayload<E extends EventName> = E extends 'monitor.tick'
  ? EngineMonitorTick
  : E extends 'samples.tick'
    ? EngineSampleTick
    : E extends 'system.tick'
      ? EngineSystemTick
      : EventPayload<E>;

export type EngineEventMap = { [E in EventName]: [EnginePayload<E>] };

export interface CoalescerSources {
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
export class EventCoalescer {
  readonly emitter = new EventEmitter<EngineEventMap>();
  private readonly dirtyJobs = new Set<string>();
  private readonly dirtyBatches = new Set<string>();
  private groupsDirty = false;
  private queueDirty = false;
  private readonly lists = {
    queue: { pushedAt: -Infinity, interval: QUEUE_EVENT_INTERVAL_MS },
    batches: { pushedAt: -Infinity, interval: QUEUE_EVENT_INTERVAL_MS },
  };
  private logsPending = false;
  private timer?: NodeJS.Timeout;
  private listTimer?: NodeJS.Timeout;

  constructor(
    private readonly sources: CoalescerSources,
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
   * false), at most MAX_SNAPSHOTS_PER_TICK snapshots go out (the rest at the next tick), and
   * the queue and batch lists wait out their interval since they last went out.
   */
  flush(force = true): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (force) {
      clearTimeout(this.listTimer);
      this.listTimer = undefined;
    }
    if (this.logsPending) {
      this.logsPending = false;
      const batches = this.sources.drainLogs();
      if (batches.length > 0) this.emit('logs.appended', { batches });
    }
    if (this.dirtyJobs.size > 0) this.flushJobs(force ? Infinity : MAX_SNAPSHOTS_PER_TICK);
    if (this.groupsDirty) {
      this.groupsDirty = false;
      this.emit('groups.changed', { groups: this.sources.groups() });
    }
    if (this.dirtyBatches.size > 0 && this.due('batches', force)) {
      const batches = [...this.dirtyBatches].map((id) => this.sources.batch(id)).filter((b): b is BatchProgress => b !== undefined);
      this.dirtyBatches.clear();
      this.pushed('batches', batches.reduce((n, b) => n + b.jobIds.length, 0));
      if (batches.length > 0) this.emit('batches.changed', { batches });
    }
    if (this.queueDirty && this.due('queue', force)) {
      this.queueDirty = false;
      const order = this.sources.queueOrder();
      this.pushed('queue', order.length);
      this.emit('queue.changed', { order });
    }
    if (this.dirtyJobs.size > 0) this.arm();
    this.armListTimer();
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.listTimer);
    this.emitter.removeAllListeners();
  }

  private flushJobs(limit: number): void {
    const jobs: JobSnapshot[] = [];
    let taken = 0;
    for (const id of this.dirtyJobs) {
      if (taken++ >= limit) break;
      this.dirtyJobs.delete(id);
      const snapshot = this.sources.snapshot(id);
      if (snapshot) jobs.push(snapshot);
    }
    if (jobs.length > 0) this.emit('jobs.changed', { jobs });
  }

  private due(list: keyof EventCoalescer['lists'], force: boolean): boolean {
    const { pushedAt, interval } = this.lists[list];
    return force || Date.now() >= pushedAt + interval;
  }

  private pushed(list: keyof EventCoalescer['lists'], ids: number): void {
    this.lists[list] = { pushedAt: Date.now(), interval: QUEUE_EVENT_INTERVAL_MS * Math.max(1, Math.ceil(ids / QUEUE_IDS_PER_INTERVAL)) };
  }

  /** Its own timer: job changes and logs must not wait out a list's interval. */
  private armListTimer(): void {
    const waits: number[] = [];
    if (this.queueDirty) waits.push(this.lists.queue.pushedAt + this.lists.queue.interval);
    if (this.dirtyBatches.size > 0) waits.push(this.lists.batches.pushedAt + this.lists.batches.interval);
    if (waits.length === 0 || this.listTimer) return;
    this.listTimer = setTimeout(
      () => {
        this.listTimer = undefined;
        this.flush(false);
      },
      Math.max(0, Math.min(...waits) - Date.now()),
    );
  }

  private arm(): void {
    this.timer ??= setTimeout(() => this.flush(false), this.tickMs);
  }
}
