import { describeCommand, type JobSpec } from '../../shared/jobSpec';
import type { JobSnapshot } from '../../shared/jobSnapshot';
import type { JobRun } from './supervisor/jobRun';

/**
 * A job is a spec plus its runs. Only the latest run is live; a job restored from disk
 * after an engine restart carries its last snapshot instead of a run.
 */
export class Job {
  run?: JobRun;
  runCount = 0;
  queuedAt = Date.now();
  /** Set while waiting in the pool. */
  queued = false;
  /** Why the job could not start (preflight), when it never got a run. */
  failure?: string;

  constructor(
    readonly id: string,
    readonly spec: JobSpec,
    private restored?: JobSnapshot,
  ) {
    if (restored) {
      this.runCount = restored.runCount;
      this.queuedAt = restored.queuedAt;
    }
  }

  get name(): string {
    return this.spec.name || describeCommand(this.spec.command);
  }

  isActive(): boolean {
    return this.queued || (this.run?.isActive() ?? false);
  }

  snapshot(): JobSnapshot {
    const run = this.run;
    if (!run && this.restored && !this.queued) return this.restored;
    const base: JobSnapshot = {
      id: this.id,
      name: this.name,
      spec: this.spec,
      state: this.queued ? 'queued' : (run?.state ?? (this.failure ? 'failed-to-start' : 'queued')),
      runCount: this.runCount,
      queuedAt: this.queuedAt,
      outputBytes: run?.log.totalBytes ?? 0,
      stdinOpen: run?.stdinOpen ?? false,
    };
    if (this.queued || !run) {
      if (this.failure) base.reason = this.failure;
      return base;
    }
    return {
      ...base,
      runId: run.runId,
      ...(run.pid !== undefined && { pid: run.pid, pgid: run.pgid }),
      ...(run.exitCode !== undefined && { exitCode: run.exitCode }),
      ...(run.signal !== undefined && { signal: run.signal }),
      ...(run.reason !== undefined && { reason: run.reason }),
      ...(run.startedAt !== undefined && { startedAt: run.startedAt }),
      ...(run.endedAt !== undefined && { endedAt: run.endedAt }),
    };
  }
}
