import type { RunEndedBy, RunRecord, RunRecordMetrics } from '../../../shared/run';
import type { RunHandle } from '../backends/backend';
import type { Job } from './job';

/** What the engine adds to a run's record when the run ends: who ended it (when the run cannot tell) and its measured peaks. */
export interface RunEnd {
  endedBy?: RunEndedBy;
  metrics?: RunRecordMetrics;
}

/**
 * One run of a job as a record: what the run handle says now. Figures that only mean
 * something while it is live (cores, nice, the timeout's deadline) are kept only while it is,
 * as in the job's snapshot.
 */
export function runRecordOf(job: Job, run: RunHandle, end: RunEnd = {}): RunRecord {
  const live = run.isActive();
  const endedBy = end.endedBy ?? run.endedBy;
  return {
    runId: run.runId,
    jobId: job.id,
    number: Math.max(1, job.run === run ? job.latestRunNumber : job.runCount),
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
  };
}

/**
 * Who ended a run, as its record says: the run's own word (a limit, its timeout, "the
 * operator" for any stop on purpose), made precise by the engine, which knows whether an
 * alert rule asked or it was shutting down itself.
 */
export function endedByOf(run: RunHandle, requestedBy: 'operator' | 'alert' | undefined, engineClosing: boolean): RunEndedBy | undefined {
  const own = run.endedBy ?? run.endCause;
  if (own !== 'operator') return own;
  if (requestedBy === 'alert') return 'alert';
  return engineClosing && requestedBy === undefined ? 'engine-shutdown' : 'operator';
}
