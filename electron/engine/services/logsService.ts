import { join } from 'node:path';
import type { RunRecord } from '../../../shared/run';
import type { Job } from '../jobs/job';
import { LogBudget } from '../logs/logBudget';
import { LogSpace } from '../logs/logSpace';

export interface LogsContext {
  dataDir: string;
  jobs: ReadonlyMap<string, Job>;
  /** settings.logBudgetBytes. */
  budget(): number;
  /** A job's record changed (a log deleted): saved with its other changes. */
  recordChanged(job: Job): void;
  notice(message: string): void;
}

/** What logs.usage answers. */
export interface LogUsage {
  usedBytes: number;
  budgetBytes: number;
  files: number;
}

/**
 * engine.logs: the disk space of run logs (`<data dir>/logs`) and its budget. The space is
 * scanned once here (the engine opens) and then counted from what the run logs write; the
 * budget deletes the oldest first (logBudget.ts); forgetting a run's record deletes its log.
 */
export class LogsService {
  /** Given to the backends: every run log they create is counted in it. */
  readonly space: LogSpace;
  private readonly budget: LogBudget;

  constructor(private readonly ctx: LogsContext) {
    this.space = new LogSpace(join(ctx.dataDir, 'logs'), () => this.budget.grew());
    this.budget = new LogBudget({
      space: this.space,
      limit: () => ctx.budget(),
      describe: (jobId, runId) => this.describe(jobId, runId),
      deleted: (runs) => {
        for (const { jobId, runId, removal } of runs) {
          const job = ctx.jobs.get(jobId);
          if (job?.logRemoved(runId, removal)) ctx.recordChanged(job);
        }
      },
      notice: (message) => ctx.notice(message),
    });
  }

  /** Read-only: the bytes all run logs take, the budget, the number of files. */
  usage(): LogUsage {
    return { usedBytes: this.space.bytes, budgetBytes: this.ctx.budget(), files: this.space.files };
  }

  /** Within the budget now (at open, and when the budget is lowered). */
  enforceBudget(): void {
    this.budget.enforce();
  }

  /** Records dropped (runsKept): their logs go with them. */
  forgetRuns(records: readonly RunRecord[]): void {
    for (const record of records) this.space.forgetRun(record.log.path);
  }

  /** A job dropped or removed: every log of it goes. */
  forgetJob(jobId: string): void {
    this.space.forgetJob(jobId);
  }

  private describe(jobId: string, runId: string): string {
    const job = this.ctx.jobs.get(jobId);
    if (!job) return `run ${runId} of job ${jobId}, no longer listed`;
    const record = job.runs(Number.MAX_SAFE_INTEGER).find((r) => r.runId === runId);
    return record ? `job ${job.name}, run ${record.number}` : `job ${job.name}, run ${runId}, no longer kept`;
  }
}
