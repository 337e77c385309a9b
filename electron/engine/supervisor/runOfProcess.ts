import { readFileSync } from 'node:fs';
import { readRunMarker } from './markedProcesses';
import { parseRunCgroupName, parseRunMarker, type RunIdentity } from './runMarker';

/** The lines of /proc/<pid>/cgroup ("hierarchy-id:controllers:path"); none when it is gone or unreadable. */
function cgroupPaths(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cgroup`, 'latin1')
      .split('\n')
      .map((line) => line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1));
  } catch {
    return [];
  }
}

/**
 * The run of this data directory that a process belongs to, or undefined: a cgroup of its (a
 * run's tracking or limit cgroups are named `<data dir id>-<run id>`: runCgroupName, and a
 * process cannot leave one without root), or else its run marker (where no cgroup tracks runs).
 * What the marker cannot see (a process that cleared its environment and left the run's
 * group) it cannot tell either: the marker fallback is a fallback, not a boundary.
 */
export function runOfProcess(pid: number, dataDirId: string): RunIdentity | undefined {
  for (const path of cgroupPaths(pid)) {
    for (const name of path.split('/')) {
      const identity = parseRunCgroupName(name);
      if (identity?.dataDirId === dataDirId) return identity;
    }
  }
  const marker = parseRunMarker(readRunMarker(pid) ?? '');
  return marker?.dataDirId === dataDirId ? marker : undefined;
}
