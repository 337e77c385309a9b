import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { TrackingCgroup } from '../isolation/capabilities';
import { readMembers } from '../isolation/cgroupKill';
import { readSmall } from '../monitor/statReader';
import { findMarkedProcesses, readRunMarker } from './markedProcesses';
import { parseRunCgroupName, parseRunMarker, type RunIdentity } from './runMarker';

/** The run of this data directory a cgroup of the process is named after (a line of /proc/<pid>/cgroup is "hierarchy-id:controllers:path"). */
function runOfCgroups(pid: number, dataDirId: string): RunIdentity | undefined {
  let text: string | undefined;
  try {
    text = readSmall(`/proc/${pid}/cgroup`);
  } catch {
    return undefined;
  }
  // Cheap first: most processes of the machine are in no cgroup of ours.
  if (text === undefined || !text.includes(`/${dataDirId}-`)) return undefined;
  for (const line of text.split('\n')) {
    for (const name of line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1).split('/')) {
      const identity = parseRunCgroupName(name);
      if (identity?.dataDirId === dataDirId) return identity;
    }
  }
  return undefined;
}

/**
 * The run of this data directory that a process belongs to, or undefined: a cgroup of its (a
 * run's tracking or limit cgroups are named `<data dir id>-<run id>`: runCgroupName, and a
 * process cannot leave one without root), or else its run marker (where no cgroup tracks runs).
 * What the marker cannot see (a process that cleared its environment and left the run's
 * group) it cannot tell either: the marker fallback is a fallback, not a boundary.
 */
export function runOfProcess(pid: number, dataDirId: string): RunIdentity | undefined {
  const inCgroup = runOfCgroups(pid, dataDirId);
  if (inCgroup) return inCgroup;
  const marker = parseRunMarker(readRunMarker(pid) ?? '');
  return marker?.dataDirId === dataDirId ? marker : undefined;
}

/** Whether one of the process's descriptors is the socket with this inode. */
function holdsSocket(pid: number, link: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) === link) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
}

/**
 * The run of this data directory whose process holds the socket with this inode (the other end
 * of a TCP connection, from /proc/net/tcp), or undefined. The candidates are the runs' own
 * processes, as their tracking holds them: the members of every run cgroup of this data
 * directory under the tracking parent, and every process carrying one of its markers (a run the
 * marker tracks; the marker scan reads each environment once per process). Only those have
 * their descriptors listed: the cost follows the jobs, not the machine.
 */
export function runHoldingSocket(inode: number, dataDirId: string, tracking: TrackingCgroup | undefined): RunIdentity | undefined {
  const link = `socket:[${inode}]`;
  if (tracking) {
    let names: string[];
    try {
      names = readdirSync(tracking.base);
    } catch {
      names = [];
    }
    for (const name of names) {
      const identity = parseRunCgroupName(name);
      if (identity?.dataDirId !== dataDirId) continue;
      let members: number[];
      try {
        members = readMembers(join(tracking.base, name));
      } catch {
        continue;
      }
      if (members.some((pid) => pid !== process.pid && holdsSocket(pid, link))) return identity;
    }
  }
  for (const found of findMarkedProcesses(dataDirId)) {
    if (found.runId !== undefined && holdsSocket(found.pid, link)) return { dataDirId, runId: found.runId, ...(found.jobId !== undefined && { jobId: found.jobId }) };
  }
  return undefined;
}
