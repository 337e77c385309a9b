import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import type { JobState } from '../../../../shared/jobState';

/** Operator-facing state, with the exit code or signal where one applies. */
export function describeState(job: JobSnapshot): string {
  switch (job.state) {
    case 'exited':
      if (job.exitCode !== undefined) return `exited (${job.exitCode})`;
      return job.signal ? `exited (${job.signal})` : 'exited';
    case 'killed':
      return job.signal ? `killed (${job.signal})` : 'killed';
    case 'timed-out':
      return 'timed out';
    case 'failed-to-start':
      return 'failed to start';
    case 'queued':
      return job.queuePosition !== undefined ? `queued (#${job.queuePosition})` : 'queued';
    default:
      return job.state;
  }
}

/** Order used when sorting by state: live jobs first, then the ways a job can end. */
export const STATE_ORDER: Record<JobState, number> = {
  running: 0,
  starting: 1,
  paused: 2,
  stopping: 3,
  queued: 4,
  'crash-looping': 5,
  'failed-to-start': 6,
  'timed-out': 7,
  killed: 8,
  skipped: 9,
  exited: 10,
};

/** A tone for styling: did the job end well, badly, or is it still going? */
export function stateTone(job: JobSnapshot): 'live' | 'ok' | 'bad' | 'idle' {
  switch (job.state) {
    case 'running':
    case 'starting':
    case 'stopping':
      return 'live';
    case 'exited':
      return job.exitCode === 0 ? 'ok' : 'bad';
    case 'paused':
    case 'queued':
    case 'skipped':
      return 'idle';
    default:
      return 'bad';
  }
}
