import type { RunRecord, RunRecordMetrics } from '../../../shared/run';
import type { RunHandle } from '../backends/backend';
import type { Job } from './job';

/** What the engine adds to a run's record when the run ends: the peaks the monitor measured. */
export interface RunEnd {
  metrics?: RunRecordMetrics;
}

/**
 * One run of a job as a record: what the run handle says now. Figures that only mean
 * something while it is live (cores, nice, the timeout's deadline) are kept only while it is,
 * as in the job's snapshot.
 */
export function runRecordOf(job: Job, run: RunHandle, end: RunEnd = {}): RunRecord {
  const live = run.isActive();
  const endedBy = run.endedBy;
  return {
    runId: run.runId,
    jobId: job.id,
    number: Math.max(1, job.runCount),
    state: run.state,
    queuedAt: job.queuedAt,
    ...(run.startedAt !== undefined && { startedAt: run.startedAt }),
    ...(run.endedAt !== undefined && { endedAt: run.endedAt }),
    ...(run.pid !== undefined && { pid: run.pid, pgid: run.pgid }),
    ...(run.exitCode !== undefined && { exitCode: run.exitCode }),
    ...(run.signal !== undefined && { signal: run.signal }),
    ...(run.reason !== undefined && { reason: run.reason }),
    ...(endedBy !== undefined && !live && { endedBy }),
    ...(run.endRequest !== undefined && !live && { endRequest: run.endRequest }),
    outputBytes: run.log.totalBytes,
    ...(end.metrics !== undefined && { metrics: end.metrics }),
    log: { path: run.log.filePath },
    ...(run.tracking !== undefined && { tracking: run.tracking }),
    ...(run.isolation !== undefined && { isolation: run.isolation }),
    ...(run.timeoutAt !== undefined && { timeoutAt: run.timeoutAt }),
    ...(live && run.cores && { cores: [...run.cores] }),
    ...(live && run.niceInForce !== undefined && { niceInForce: run.niceInForce }),
    ...(run.stillAlive !== undefined && { stillAlive: run.stillAlive }),
    ...(run.lastStderrLine !== undefined && { lastStderrLine: run.lastStderrLine }),
  };
}
