import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import type { JobState } from '../../../../shared/jobState';
import { endedOnRequest } from '../../../../shared/jobStateText';

/**
 * Restarts in a few characters, e.g. "↻ 2 (exit code 1)"; manual restarts are counted apart
 * ("↻ 2 · 1 manual"). Undefined for a job never restarted.
 */
export function describeRestarts(job: JobSnapshot): string | undefined {
  const { automatic, manual, lastReason } = job.restarts;
  if (automatic === 0 && manual === 0) return undefined;
  const counts = [automatic > 0 ? `↻ ${automatic}` : '', manual > 0 ? `${automatic > 0 ? '' : '↻ '}${manual} manual` : '']
    .filter(Boolean)
    .join(' · ');
  return lastReason ? `${counts} (${lastReason})` : counts;
}

/** The same in words, for the tooltip. */
export function explainRestarts(job: JobSnapshot): string | undefined {
  const { automatic, manual, lastReason, nextAt } = job.restarts;
  if (automatic === 0 && manual === 0) return undefined;
  const plural = (n: number) => (n === 1 ? '' : 's');
  const parts = [`${automatic} automatic restart${plural(automatic)}`, `${manual} manual`];
  if (lastReason) parts.push(`last because: ${lastReason}`);
  if (nextAt !== undefined) parts.push(`next at ${new Date(nextAt).toLocaleTimeString()}`);
  return parts.join('; ');
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
      if (endedOnRequest(job)) return 'idle';
      return job.exitCode === 0 ? 'ok' : 'bad';
    case 'killed':
      // Stopped or killed as asked is not the job failing: no alarm colour for it.
      return endedOnRequest(job) ? 'idle' : 'bad';
    case 'paused':
    case 'queued':
    case 'skipped':
      return 'idle';
    default:
      return 'bad';
  }
}
