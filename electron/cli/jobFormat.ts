import { constants } from 'node:os';
import type { JobSnapshot } from '../../shared/jobSnapshot';
import { isActive } from '../../shared/jobState';
import { describeJobState, endedOnRequest, type StateFacts } from '../../shared/jobStateText';
import { describeWait } from '../../shared/jobWait';
import type { Style } from './style';

/** "3s", "4m05s", "2h07m", "3d04h": short enough for a table column. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d${two(Math.floor((s % 86_400) / 3600))}h`;
}

/** The state as the table shows it, in the words of the UI's rows (describeJobState). */
export const stateText = (job: JobSnapshot, queuePosition?: number): string => describeJobState(job, queuePosition);

/** Why a job waits to start, in the words of the UI's rows ("group build: 2 of 2 running"); undefined when it does not wait. */
export const waitText = (job: JobSnapshot): string | undefined => (job.wait ? describeWait(job.wait) : undefined);

export function stateColor(job: JobSnapshot, style: Style): (text: string) => string {
  switch (job.state) {
    case 'running':
      return style.green;
    case 'exited':
      return job.exitCode === 0 || endedOnRequest(job) ? style.dim : style.red;
    case 'killed':
      return endedOnRequest(job) ? style.dim : style.red;
    case 'queued':
    case 'starting':
    case 'paused':
    case 'stopping':
      return style.yellow;
    case 'skipped':
      return style.dim;
    default:
      return style.red;
  }
}

/** "up 4m05s" for a live run, "4m05s ago" for one that ended, "" before the first run. */
export function timeText(job: JobSnapshot, now = Date.now()): string {
  if (job.startedAt !== undefined && job.endedAt === undefined && isActive(job.state)) return `up ${duration(now - job.startedAt)}`;
  if (job.endedAt !== undefined) return `${duration(now - job.endedAt)} ago`;
  return '';
}

export interface RunOutcome {
  /** What the CLI exits with when it waited for this run: the shell's conventions. */
  exitCode: number;
  text: string;
}

/**
 * The exit code a waiting CLI passes on, as a shell would: the run's own code; 128 + the
 * signal number when a signal ended it; 124 for a timeout (as timeout(1)); 1 when it never
 * ran (failed to start, skipped).
 */
/** What an outcome is told from: a job's snapshot (its latest run) or a run record. */
type RunFacts = StateFacts & { reason?: string };

export function runOutcome(job: RunFacts): RunOutcome {
  const outcome = plainOutcome(job);
  // Ended on request: who asked first ("stopped by operator (SIGTERM)"), the code stays the shell's.
  if (!endedOnRequest(job)) return outcome;
  const how = job.signal !== undefined ? job.signal : `exit code ${job.exitCode ?? '?'}`;
  return { exitCode: outcome.exitCode, text: `${job.reason ?? describeJobState(job)} (${how})` };
}

function plainOutcome(job: RunFacts): RunOutcome {
  const why = job.reason ? ` (${job.reason})` : '';
  if (job.state === 'timed-out') return { exitCode: 124, text: `timed out${why}` };
  if (job.exitCode !== undefined) return { exitCode: job.exitCode, text: `exited with code ${job.exitCode}${why}` };
  if (job.signal !== undefined) {
    const number = (constants.signals as Record<string, number | undefined>)[job.signal];
    return { exitCode: number === undefined ? 1 : 128 + number, text: `killed by ${job.signal}${why}` };
  }
  return { exitCode: 1, text: `${job.state}${why}` };
}

/** Whether the run this snapshot describes has ended (its job may be queued again to restart). */
export const runHasEnded = (job: JobSnapshot) => job.endedAt !== undefined || (!isActive(job.state) && job.state !== 'queued');
