import type { BatchProgress, GroupInfo } from '../../../shared/scheduling';
import type { EventCoalescer } from '../eventCoalescer';
import type { Job } from '../jobs/job';
import type { BatchBook, BatchRequest } from '../scheduler/batchBook';
import type { Scheduler } from '../scheduler/scheduler';

export interface SchedulerContext {
  scheduler: Scheduler;
  batches: BatchBook;
  events: EventCoalescer;
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

  updateGroup(name: string, change: { limit?: number | null; paused?: boolean }): GroupInfo[] {
    const pool = this.ctx.scheduler.pool;
    if (change.limit !== undefined) pool.setGroupLimit(name, change.limit ?? undefined);
    if (change.paused !== undefined) pool.setGroupPaused(name, change.paused);
    this.ctx.scheduler.pump();
    this.ctx.events.groupsChanged();
    return this.groups();
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
