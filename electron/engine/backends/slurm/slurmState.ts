import { constants } from 'node:os';
import type { JobState } from '../../../../shared/jobState';
import { formatBytes } from '../../../../shared/format';

export type WaitStatus = { kind: 'exit'; code: number } | { kind: 'signal'; signal: string; number: number; coreDumped: boolean };

// First name wins where Linux has aliases (SIGABRT before SIGIOT, SIGIO before SIGPOLL).
const SIGNAL_NAMES = new Map<number, string>();
for (const [name, n] of Object.entries(constants.signals)) if (!SIGNAL_NAMES.has(n)) SIGNAL_NAMES.set(n, name);

/** A raw wait(2) status as `squeue --json` gives it: 768 = exit 3, 15 = SIGTERM, 137 = SIGKILL + core. */
export function decodeWaitStatus(status: number): WaitStatus {
  const low = status & 0x7f;
  if (low === 0) return { kind: 'exit', code: (status >> 8) & 0xff };
  return { kind: 'signal', number: low, signal: SIGNAL_NAMES.get(low) ?? `signal ${low}`, coreDumped: (status & 0x80) !== 0 };
}

/** Slurm states in which a job will not run again (Slurm's "completed" states; requeue is off). */
export const SLURM_FINAL_STATES = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'REVOKED', 'SPECIAL_EXIT']);

/** A Slurm job seen as Procdeck sees its own: one state, how it ended, and why, with Slurm's words kept. */
export interface SlurmJobView {
  state: JobState;
  exitCode?: number;
  signal?: string;
  /** Why it waits or how it ended, in words for the operator. */
  reason?: string;
  slurmState: string;
  slurmReason: string;
}

export interface StateInput {
  slurmState: string;
  slurmReason: string;
  waitStatus?: number;
  timeLimitMinutes?: number;
  memoryLimitBytes?: number;
  startedAt?: number;
}

const named = (slurmReason: string) => (slurmReason ? ` (${slurmReason})` : '');

function ended(input: StateInput, view: Omit<SlurmJobView, 'slurmState' | 'slurmReason'>): SlurmJobView {
  return { ...view, slurmState: input.slurmState, slurmReason: input.slurmReason };
}

/** How the job's program ended, from the wait status: exited N, or killed by a signal. */
function byWaitStatus(input: StateInput, reason: string | undefined): SlurmJobView {
  if (input.waitStatus === undefined) return ended(input, { state: 'exited', reason });
  const status = decodeWaitStatus(input.waitStatus);
  return status.kind === 'exit'
    ? ended(input, { state: 'exited', exitCode: status.code, reason })
    : ended(input, { state: 'killed', signal: status.signal, reason: reason ?? `killed by ${status.signal}` });
}

/**
 * Maps a Slurm state onto Procdeck's. Slurm's own state and reason stay beside it; `reason`
 * says it in the operator's words (PENDING -> queued "waiting for Resources").
 */
export function viewOfSlurmState(input: StateInput): SlurmJobView {
  const { slurmState: s, slurmReason: why } = input;
  switch (s) {
    case 'PENDING':
    case 'REQUEUED':
    case 'REQUEUE_HOLD':
    case 'REQUEUE_FED':
    case 'RESV_DEL_HOLD':
      return ended(input, { state: 'queued', reason: `Slurm: ${s.toLowerCase().replaceAll('_', ' ')}${why ? `, waiting for ${why}` : ''}` });
    case 'CONFIGURING':
      return ended(input, { state: 'starting', reason: 'Slurm: nodes are being configured' });
    case 'RUNNING':
    case 'RESIZING':
    case 'SIGNALING':
      return ended(input, { state: 'running' });
    case 'COMPLETING':
    case 'STAGE_OUT':
      return ended(input, { state: 'stopping', reason: `Slurm: ${s.toLowerCase().replaceAll('_', ' ')}` });
    case 'SUSPENDED':
    case 'STOPPED':
      return ended(input, { state: 'paused', reason: `Slurm: ${s.toLowerCase()}` });
    case 'COMPLETED':
      return byWaitStatus(input, undefined);
    case 'FAILED': {
      // slurmstepd marks a job it could not start (output file not writable, bad cwd…) with a
      // "signal" no process sent (53 in 22.05); a real signal keeps its name, even though
      // Slurm then also says JobLaunchFailure.
      const status = input.waitStatus === undefined ? undefined : decodeWaitStatus(input.waitStatus);
      if (why === 'JobLaunchFailure' && status?.kind === 'signal' && !SIGNAL_NAMES.has(status.number)) {
        return ended(input, { state: 'failed-to-start', reason: `Slurm could not launch the job (JobLaunchFailure, status ${status.number}; the node's slurmd log says why)` });
      }
      return byWaitStatus(input, undefined);
    }
    case 'SPECIAL_EXIT':
      return byWaitStatus(input, 'Slurm: special exit (SPECIAL_EXIT)');
    case 'CANCELLED': {
      const view = byWaitStatus(input, `cancelled through Slurm (scancel)${named(why)}`);
      return { ...view, state: 'killed' };
    }
    case 'TIMEOUT':
      return ended(input, {
        state: 'timed-out',
        reason: input.timeLimitMinutes !== undefined ? `Slurm time limit ${input.timeLimitMinutes} min reached (TIMEOUT)` : 'Slurm time limit reached (TIMEOUT)',
      });
    case 'DEADLINE':
      return ended(input, { state: 'timed-out', reason: 'Slurm deadline passed (DEADLINE)' });
    case 'OUT_OF_MEMORY': {
      const status = input.waitStatus === undefined ? undefined : decodeWaitStatus(input.waitStatus);
      return ended(input, {
        state: 'killed',
        signal: status?.kind === 'signal' ? status.signal : undefined,
        reason: `memory limit${input.memoryLimitBytes !== undefined ? ` ${formatBytes(input.memoryLimitBytes)}` : ''} exceeded (Slurm killed the job: OUT_OF_MEMORY)`,
      });
    }
    case 'NODE_FAIL':
      return ended(input, { state: 'killed', reason: 'the node failed (NODE_FAIL)' });
    case 'PREEMPTED':
      return ended(input, { state: 'killed', reason: 'preempted by a higher-priority job (PREEMPTED)' });
    case 'BOOT_FAIL':
      return ended(input, { state: 'failed-to-start', reason: 'the node failed to boot (BOOT_FAIL)' });
    case 'REVOKED':
      return ended(input, { state: 'skipped', reason: 'revoked: another cluster of the federation runs it (REVOKED)' });
    default:
      return ended(input, { state: input.startedAt !== undefined ? 'running' : 'queued', reason: `unknown Slurm state ${s}${named(why)}` });
  }
}
