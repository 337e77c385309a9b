import { readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readRunMarker } from '../supervisor/markedProcesses';
import { parseRunCgroupName, parseRunMarker } from '../supervisor/runMarker';
import type { Capabilities } from './capabilities';
import { killCgroupSync, readMembers, type CgroupKillMethod } from './cgroupKill';

export interface ReapedCgroup {
  dir: string;
  /** The run it belonged to (from its name), when it was this data dir's. */
  runId?: string;
  /** Whose run, as the marker of a process still in it said before the kill (nothing else may know: see jobOfMembers). */
  jobId?: string;
  killedPids: number[];
  removed: boolean;
}

/**
 * The job a run's cgroup belongs to, from the marker of its members (read before they are
 * killed). A run that died with its engine within the saved jobs' flush delay, its registry
 * lost, is named nowhere else: its log file is made at its first line, so a quiet run has none.
 */
function jobOfMembers(dir: string, runId: string): string | undefined {
  let members: number[];
  try {
    members = readMembers(dir);
  } catch {
    return undefined;
  }
  for (const pid of members) {
    const marker = parseRunMarker(readRunMarker(pid) ?? '');
    if (marker?.runId === runId && marker.jobId !== undefined) return marker.jobId;
  }
  return undefined;
}

/** Each parent our run cgroups live under, with the way its cgroups are killed. */
function parents(caps: Capabilities): { dir: string; kill: CgroupKillMethod }[] {
  const found: { dir: string; kill: CgroupKillMethod }[] = [];
  const tracking = caps.tracking;
  if (tracking) {
    const kill: CgroupKillMethod = tracking.version === 2 ? (tracking.kill ? 'cgroup.kill' : 'v2-freeze') : tracking.hierarchy === 'freezer' ? 'v1-freezer' : 'loop';
    found.push({ dir: tracking.base, kill });
  }
  const cgroup = caps.cgroup;
  const limitDirs = !cgroup ? [] : cgroup.version === 2 ? [cgroup.base] : [cgroup.memory, cgroup.pids];
  for (const dir of limitDirs) if (dir !== undefined && !found.some((p) => p.dir === dir)) found.push({ dir, kill: 'loop' });
  return found;
}

function removeSoon(dir: string): boolean {
  // Killed processes leave the cgroup asynchronously: retry briefly.
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 50; i++) {
    try {
      rmdirSync(dir);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
      // Synchronous on purpose: this runs once at start-up, before anything is launched.
      Atomics.wait(pause, 0, 0, 10);
    }
  }
  return false;
}

/**
 * At engine start: cgroups a crashed engine of this data dir left behind. Ours are named
 * `<dataDirId>-<runId>` (see runCgroupName; the data-dir lock means no live engine shares
 * that id), or carry the bare run id of a run the registry recorded (cgroups named before
 * the data dir's id was part of the name): everything still in them is killed, whatever
 * session or process group it made, and they are removed. Other cgroups may belong to
 * another live engine, so they are only removed when empty and older than minAgeMs (rmdir
 * refuses a non-empty cgroup anyway).
 */
export function reapStaleCgroups(caps: Capabilities, dataDirId: string | undefined, leftoverRunIds: readonly string[] = [], minAgeMs = 60_000): ReapedCgroup[] {
  const reaped: ReapedCgroup[] = [];
  const recorded = new Set(leftoverRunIds);
  for (const parent of parents(caps)) {
    let names: string[];
    try {
      names = readdirSync(parent.dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    } catch {
      continue;
    }
    for (const name of names) {
      const dir = join(parent.dir, name);
      const identity = parseRunCgroupName(name);
      const runId = identity && identity.dataDirId === dataDirId ? identity.runId : recorded.has(name) ? name : undefined;
      let killedPids: number[] = [];
      let jobId: string | undefined;
      if (runId !== undefined) {
        jobId = jobOfMembers(dir, runId);
        killedPids = killCgroupSync(dir, parent.kill);
      } else {
        let createdAt: number;
        let members: number[];
        try {
          createdAt = statSync(dir).mtimeMs;
          members = readMembers(dir);
        } catch {
          continue;
        }
        if (Date.now() - createdAt < minAgeMs || members.length > 0) continue;
      }
      reaped.push({ dir, ...(runId !== undefined && { runId }), ...(jobId !== undefined && { jobId }), killedPids, removed: removeSoon(dir) });
    }
  }
  return reaped;
}
