import type { RunningRecord } from './runningRegistry';

export interface ProcessIdentity {
  pid: number;
  pgid: number;
  /** Clock ticks since boot. */
  startTime: number;
}

/**
 * Which live processes belong to groups a dead engine left running. A pgid can be reused
 * once its whole group is gone, so a member only counts when it started no earlier than the
 * recorded leader; and if the leader's pid is alive with another start time, the pid (and
 * so the pgid) now belongs to someone else.
 */
export function findStaleMembers(records: readonly RunningRecord[], processes: readonly ProcessIdentity[]): Map<RunningRecord, number[]> {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const result = new Map<RunningRecord, number[]>();
  for (const record of records) {
    const leader = byPid.get(record.pgid);
    if (record.startTime !== undefined && leader && leader.startTime !== record.startTime && leader.pgid === record.pgid) {
      continue; // recycled: a new group led by a new process with the same pid
    }
    const members = processes
      .filter((p) => p.pgid === record.pgid && (record.startTime === undefined || p.startTime >= record.startTime))
      .map((p) => p.pid)
      .filter((pid) => pid !== process.pid);
    if (members.length > 0) result.set(record, members);
  }
  return result;
}
