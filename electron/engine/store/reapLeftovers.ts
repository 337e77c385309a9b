import type { RecoveredGroup } from '../../../shared/jobSnapshot';
import { findStaleMembers, type ProcessIdentity } from './recovery';
import type { RunningRegistry } from './runningRegistry';

/**
 * Kills the process groups a previous engine recorded as running and did not clean up
 * (it crashed or was SIGKILLed: its jobs, in their own sessions, outlived it). Returns what was killed.
 */
export function reapLeftovers(registry: RunningRegistry, listProcesses: () => ProcessIdentity[]): RecoveredGroup[] {
  const leftovers = registry.readLeftovers();
  const recovered: RecoveredGroup[] = [];
  if (leftovers.length > 0) {
    for (const [record, pids] of findStaleMembers(leftovers, listProcesses())) {
      const killed = pids.filter((pid) => {
        try {
          process.kill(pid, 'SIGKILL');
          return true;
        } catch {
          return false; // exited meanwhile
        }
      });
      recovered.push({ jobId: record.jobId, pgid: record.pgid, killedPids: killed, command: record.command });
    }
  }
  registry.flush();
  return recovered;
}
