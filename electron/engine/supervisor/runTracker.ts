import type { RunTracking } from '../../../shared/jobSnapshot';
import type { JobCgroup } from '../isolation/jobCgroup';
import type { TrackedProcesses } from '../monitor/sampler';
import { findMarkedProcesses, killFound } from './markedProcesses';
import { isLiveProcess } from './processGroup';
import { RUN_MARKER_ENV, runMarker, type RunIdentity } from './runMarker';

/**
 * Every process of one run, wherever it went (another session, another process group, a
 * double fork that reparented it): the supervisor signals the run's process group as well,
 * and asks this for what the group does not reach.
 */
export interface RunTracker {
  readonly tracking: RunTracking;
  /** What the monitor's tick reads to count the run's processes outside its tree. */
  readonly sampling: TrackedProcesses;
  /** The run's main process has started: its pid is the run's process group. */
  setLeader(pid: number): void;
  /** The run's live processes the mechanism knows of. Throws when they cannot be read (EMFILE…): unknown is not empty. */
  members(): number[];
  /**
   * Sends signals, in order, to each of them (TERM then CONT, STOP…), listing them once: not
   * atomic, fine for all but the final kill. `reached`: a pid that already got these signals
   * through its process group (the run's leader), skipped here rather than signalled twice.
   */
  signalAll(signals: readonly NodeJS.Signals[], reached?: number): void;
  /** SIGKILLs all of them; resolves with the pids it saw. */
  killAll(): Promise<number[]>;
  /** Once the run has ended: frees what tracking holds (the cgroup directories). */
  release(killAfterMs?: number): Promise<void>;
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone
  }
}

export function cgroupTracker(cgroup: JobCgroup, dir: string): RunTracker {
  const method = cgroup.kill;
  return {
    tracking: {
      mechanism: method === 'cgroup.kill' || method === 'v2-freeze' ? 'cgroup-v2' : 'cgroup-v1',
      where: dir,
      kill: method === 'cgroup.kill' ? 'cgroup.kill' : method === 'loop' ? 'loop' : 'freeze',
    },
    sampling: { kind: 'members', pids: () => cgroup.sampleMembers() },
    setLeader: () => undefined,
    members: () => cgroup.members().filter(isLiveProcess),
    signalAll: (signals, reached) => cgroup.signalAll(signals, reached),
    killAll: () => cgroup.killAll(),
    release: async (killAfterMs) => {
      await cgroup.remove(killAfterMs);
    },
  };
}

const MARKER_KILL_ROUNDS = 20;

/**
 * Where no cgroup can be made: the run's processes are those whose environment carries its
 * marker, and the members of its process group (one that cleared its environment but stayed).
 */
export function markerTracker(identity: RunIdentity, reason: string | undefined): RunTracker {
  let pgid: number | undefined;
  const find = () => findMarkedProcesses(identity.dataDirId, identity.runId, pgid);
  return {
    tracking: {
      mechanism: 'marker',
      where: `${RUN_MARKER_ENV}=${runMarker(identity.dataDirId, identity.runId, identity.jobId)}`,
      kill: 'loop',
      ...(reason !== undefined && { problem: reason }),
    },
    sampling: { kind: 'marker', marker: runMarker(identity.dataDirId, identity.runId, identity.jobId) },
    setLeader: (pid) => {
      pgid = pid;
    },
    members: () => find().map((p) => p.pid),
    signalAll: (signals, reached) => {
      for (const found of find()) if (found.pid !== reached) for (const signal of signals) send(found.pid, signal);
    },
    killAll: async () => {
      // A member forking between the scan and the kill adds a child this round misses: scan again until none is left.
      const seen = new Set<number>();
      for (let round = 0; round < MARKER_KILL_ROUNDS; round++) {
        const found = find();
        if (found.length === 0) break;
        for (const p of found) if (killFound(p)) seen.add(p.pid);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return [...seen];
    },
    release: async () => undefined,
  };
}
