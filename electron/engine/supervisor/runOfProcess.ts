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

/** The inodes of the sockets among a process's descriptors (their links read `socket:[<inode>]`). */
function heldSockets(pid: number): number[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const inodes: number[] = [];
  for (const fd of fds) {
    let link: string;
    try {
      link = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    if (link.startsWith('socket:[')) inodes.push(Number(link.slice(8, -1)));
  }
  return inodes;
}

/**
 * Every socket that a process of this data directory's runs holds, by inode, with its run: what
 * a host looks the other end of a TCP connection up in (its inode from /proc/net/tcp). Empty
 * when no job holds a socket, so a host need not read that table at all. The candidates are the
 * runs' own processes, as their tracking holds them: the members of every run cgroup of this
 * data directory under the tracking parent, then every process carrying one of its markers (a
 * run the marker tracks; the marker scan reads each environment once per process) that no
 * cgroup had. Each has its descriptors listed once: the cost follows the jobs, not the machine.
 */
export function runsSockets(dataDirId: string, tracking: TrackingCgroup | undefined): Map<number, RunIdentity> {
  const runOfPid = new Map<number, RunIdentity>();
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
      for (const pid of members) if (pid !== process.pid) runOfPid.set(pid, identity);
    }
  }
  for (const found of findMarkedProcesses(dataDirId)) {
    if (found.runId !== undefined && !runOfPid.has(found.pid)) runOfPid.set(found.pid, { dataDirId, runId: found.runId, ...(found.jobId !== undefined && { jobId: found.jobId }) });
  }
  const sockets = new Map<number, RunIdentity>();
  for (const [pid, identity] of runOfPid) for (const inode of heldSockets(pid)) sockets.set(inode, identity);
  return sockets;
}
