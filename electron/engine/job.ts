import { describeCommand, type JobSpec } from '../../shared/jobSpec';
import type { IsolationReport } from '../../shared/isolation';
import type { JobSnapshot } from '../../shared/jobSnapshot';
import type { JobState } from '../../shared/jobState';
import type { RestartInfo } from '../../shared/scheduling';
import type { RestartMemory } from './scheduler/restartDecision';
import type { JobRun } from './supervisor/jobRun';
import type { LongTimeout } from './timers';

/**
 * A job is a spec plus its runs. Only the latest run is live; a job restored from disk
 * after an engine restart carries its last snapshot instead of a run.
 */
export class Job {
  run?: JobRun;
  runCount = 0;
  queuedAt = Date.now();
  /** Waiting in the pool. */
  queued = false;
  /** A pending automatic restart (backoff) and its timer. */
  restartTimer?: LongTimeout;
  /** A final state decided by the scheduler rather than by a run (skipped, crash-looping, cancelled). */
  verdict?: { state: Extract<JobState, 'skipped' | 'crash-looping' | 'failed-to-start'>; reason: string };
  restarts: RestartInfo = { automatic: 0, manual: 0 };
  readonly restartMemory: RestartMemory = { restartTimes: [], consecutiveCrashes: 0 };
  /** Read back from /proc after launch and after each live change. */
  cores?: number[];
  niceInForce?: number;
  batchId?: string;
  /** Limits in force for the latest launch. */
  isolation?: IsolationReport;

  constructor(
    readonly id: string,
    readonly spec: JobSpec,
    private restored?: JobSnapshot,
  ) {
    if (restored) {
      this.runCount = restored.runCount;
      this.queuedAt = restored.queuedAt;
      this.restarts = restored.restarts;
      this.batchId = restored.batchId;
    }
  }

  /** Of the latest run, or of the one a previous engine saved. */
  get exitCode(): number | undefined {
    return this.run ? this.run.exitCode : this.restored?.exitCode;
  }

  get startedAt(): number | undefined {
    return this.run ? this.run.startedAt : this.restored?.startedAt;
  }

  get endedAt(): number | undefined {
    return this.run ? this.run.endedAt : this.restored?.endedAt;
  }

  get name(): string {
    return this.spec.name || describeCommand(this.spec.command);
  }

  /** Running, or going to run without anyone asking again (queued, backing off). */
  isActive(): boolean {
    return this.queued || this.restartTimer !== undefined || (this.run?.isActive() ?? false);
  }

  state(): JobState {
    if (this.queued || this.restartTimer !== undefined) return 'queued';
    if (this.verdict) return this.verdict.state;
    if (this.run) return this.run.state;
    return this.restored?.state ?? 'queued';
  }

  snapshot(): JobSnapshot {
    const run = this.run;
    const waiting = this.queued || this.restartTimer !== undefined;
    if (!run && !waiting && !this.verdict && this.restored) return this.restored;
    const snapshot: JobSnapshot = {
      id: this.id,
      name: this.name,
      spec: this.spec,
      state: this.state(),
      runCount: this.runCount,
      queuedAt: this.queuedAt,
      outputBytes: run?.log.totalBytes ?? 0,
      stdinOpen: run?.stdinOpen ?? false,
      restarts: this.restarts,
      ...(this.batchId !== undefined && { batchId: this.batchId }),
      ...(this.isolation !== undefined && { isolation: this.isolation }),
    };
    if (run) {
      Object.assign(snapshot, {
        runId: run.runId,
        ...(run.pid !== undefined && { pid: run.pid, pgid: run.pgid }),
        ...(run.exitCode !== undefined && { exitCode: run.exitCode }),
        ...(run.signal !== undefined && { signal: run.signal }),
        ...(run.reason !== undefined && { reason: run.reason }),
        ...(run.startedAt !== undefined && { startedAt: run.startedAt }),
        ...(run.endedAt !== undefined && { endedAt: run.endedAt }),
        ...(run.timeoutAt !== undefined && { timeoutAt: run.timeoutAt }),
        ...(run.tracking !== undefined && { tracking: run.tracking }),
        ...(run.stillAlive !== undefined && { stillAlive: run.stillAlive }),
        ...(run.isActive() && this.cores && { cores: this.cores }),
        ...(run.isActive() && this.niceInForce !== undefined && { niceInForce: this.niceInForce }),
      });
      // Only once the run has ended: a live one's snapshot is not re-sent for output.
      const lastStderrLine = run.endedAt !== undefined ? run.lastStderr.value : undefined;
      if (lastStderrLine !== undefined) snapshot.lastStderrLine = lastStderrLine;
    }
    if (this.verdict && !waiting) snapshot.reason = this.verdict.reason;
    if (this.restartTimer !== undefined && this.restarts.nextAt) {
      snapshot.reason = `restarting in ${Math.max(0, Math.round((this.restarts.nextAt - Date.now()) / 100) / 10)} s (${this.restarts.lastReason})`;
    }
    return snapshot;
  }
}
