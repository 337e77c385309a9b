import type { BatchProgress, GroupInfo } from '../../../shared/scheduling';
import { EngineError } from '../engineError';
import type { EventCoalescer } from '../eventCoalescer';
import type { Job } from '../jobs/job';
import type { BatchBook, BatchRequest } from '../scheduler/batchBook';
import type { Scheduler } from '../scheduler/scheduler';
import { describeFsError } from '../store/fsErrors';
import type { GroupChange, GroupSettingsStore } from '../store/groupSettingsStore';

export interface SchedulerContext {
  scheduler: Scheduler;
  batches: BatchBook;
  events: EventCoalescer;
  /** What the operator set on groups by hand, saved before it applies. */
  groupSettings: GroupSettingsStore;
  /** Stops a job as jobs.stop does (cancelled if waiting). */
  stopJob(job: Job): void;
  assertOpen(): void;
}

/** engine.scheduler: the pool's groups and queue order, and job batches. */
export class SchedulerService {
  constructor(private readonly ctx: SchedulerContext) {}

  /** Queued job ids in the order they would start: "queued #n" is the job at index n - 1. */
  queueOrder(): string[] {
    return this.ctx.scheduler.queueOrder();
  }

  groups(): GroupInfo[] {
    return this.ctx.scheduler.pool.groupInfo();
  }

  updateGroup(name: string, change: GroupChange): GroupInfo[] {
    const pool = this.ctx.scheduler.pool;
    try {
      this.ctx.groupSettings.save(name, change, Date.now());
    } catch (error) {
      throw new EngineError('SYSTEM_REFUSED', `could not save group ${name}'s settings (${describeFsError(error)}); nothing was changed`);
    }
    if (change.limit !== undefined) pool.setGroupLimit(name, change.limit ?? undefined);
    if (change.paused !== undefined) pool.setGroupPaused(name, change.paused);
    this.ctx.scheduler.pump();
    this.ctx.events.groupsChanged();
    return this.groups();
  }

  /**
   * At open, after the batches: what the operator set on groups before, in force again. A
   * saved limit gives way to a limit of a batch (still there) submitted after it.
   */
  restoreGroups(): void {
    const pool = this.ctx.scheduler.pool;
    for (const [name, saved] of Object.entries(this.ctx.groupSettings.load())) {
      if (saved.paused !== undefined) pool.setGroupPaused(name, saved.paused);
      if (saved.limit !== undefined && !this.ctx.batches.limitedSince(name, saved.limitSetAt ?? 0)) pool.setGroupLimit(name, saved.limit ?? undefined);
    }
  }

  /** Answered once every item is saved and queued; other requests are served meanwhile. */
  async submitBatch(request: BatchRequest): Promise<BatchProgress> {
    this.ctx.assertOpen();
    return this.ctx.batches.submit(request);
  }

  listBatches(): BatchProgress[] {
    return this.ctx.batches.list();
  }

  stopBatch(batchId: string): BatchProgress {
    return this.ctx.batches.stop(batchId, (job) => this.ctx.stopJob(job));
  }

  retryFailed(batchId: string): BatchProgress {
    return this.ctx.batches.retryFailed(batchId);
  }
}
