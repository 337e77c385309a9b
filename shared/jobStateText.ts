import type { JobSnapshot } from './jobSnapshot';

/** What the words depend on: a job's snapshot, or one run of its history (a run record). */
export type StateFacts = Pick<JobSnapshot, 'state' | 'exitCode' | 'signal' | 'endRequest'> & { restarts?: Pick<JobSnapshot['restarts'], 'nextAt'> };

/**
 * A job's state in words, the one way every view says it (the jobs row, batch results, the CLI):
 * with the exit code or signal where one applies, or the place in the queue. A run ended by
 * Stop (the operator's, an alert's, Procdeck's shutdown) is "stopped", whatever the job did with
 * the SIGTERM; "(SIGKILL)" when it had to be killed after the grace period. Kill is "killed".
 */
export function describeJobState(job: StateFacts, queuePosition?: number): string {
  switch (job.state) {
    case 'exited':
      if (job.endRequest === 'stop') return 'stopped';
      if (job.exitCode !== undefined) return `exited (${job.exitCode})`;
      return job.signal ? `exited (${job.signal})` : 'exited';
    case 'killed':
      if (job.endRequest === 'stop') return job.signal === undefined || job.signal === 'SIGTERM' ? 'stopped' : `stopped (${job.signal})`;
      return job.signal ? `killed (${job.signal})` : 'killed';
    case 'timed-out':
      return 'timed out';
    case 'failed-to-start':
      return 'failed to start';
    case 'queued':
      if (queuePosition !== undefined) return `queued #${queuePosition}`;
      // Waiting out an automatic restart's backoff delay, not yet in the pool's queue.
      return job.restarts?.nextAt !== undefined ? 'restart pending' : 'queued';
    default:
      return job.state;
  }
}

/** Whether the run ended the way it was asked to (Stop or Kill): not a failure of the job's. */
export const endedOnRequest = (job: StateFacts): boolean => job.endRequest !== undefined && (job.state === 'killed' || job.state === 'exited');
