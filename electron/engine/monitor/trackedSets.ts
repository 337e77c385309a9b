import { MarkerCache } from '../supervisor/markedProcesses';
import type { ProcTable } from './procTable';
import type { TrackedProcesses } from './sampler';

/**
 * Each job's tracked processes at a tick (see TrackedProcesses), for counting what left its
 * tree. Cheap when nothing escaped: a cgroup's list is one pread, and a job whose tracked
 * processes are all in its own process group adds nothing to the scan.
 */
export class TrackedSets {
  private readonly markers = new MarkerCache();
  /** Marker → its live processes, from the last scan that looked. */
  private byMarker = new Map<string, number[]>();

  /**
   * Before the scan: each job's tracked pids as known now (a cgroup's list read now; a
   * marker's from the last scan), and those the scan must read fresh because they are not in
   * their job's process group (the monitor samples what it reads every tick; its trees cover
   * the group).
   */
  beforeScan(
    tracked: ReadonlyMap<string, TrackedProcesses>,
    roots: ReadonlyMap<string, number>,
    last: ProcTable | undefined,
  ): { pids: Map<string, readonly number[]>; extraRoots: number[] } {
    const pids = new Map<string, readonly number[]>();
    let extra: Set<number> | undefined;
    for (const [jobId, set] of tracked) {
      const members = set.kind === 'members' ? set.pids() : this.byMarker.get(set.marker);
      if (!members || members.length === 0) continue;
      pids.set(jobId, members);
      const root = roots.get(jobId);
      for (const pid of members) {
        if (pid === root) continue;
        const entry = last?.processes.get(pid);
        if (entry && entry.pgid === root) continue;
        (extra ??= new Set()).add(pid);
      }
    }
    // Sorted: the scanner keeps its trees while its roots are the same list.
    return { pids, extraRoots: extra ? [...extra].sort((a, b) => a - b) : [] };
  }

  /**
   * After the scan: jobs tracked by marker get the marked processes of this scan (a process
   * is looked at once in its life, see MarkerCache). Nothing is read when no job is.
   */
  afterScan(tracked: ReadonlyMap<string, TrackedProcesses>, table: ProcTable, pids: Map<string, readonly number[]>): void {
    let wanted: Set<string> | undefined;
    for (const set of tracked.values()) if (set.kind === 'marker') (wanted ??= new Set()).add(set.marker);
    if (!wanted) {
      this.byMarker.clear();
      return;
    }
    const byMarker = new Map<string, number[]>();
    for (const entry of table.processes.values()) {
      if (entry.state === 'Z') continue;
      const marker = this.markers.markerOf(entry.pid, entry.startTime);
      if (marker === undefined || !wanted.has(marker)) continue;
      const list = byMarker.get(marker);
      if (list) list.push(entry.pid);
      else byMarker.set(marker, [entry.pid]);
    }
    this.markers.endScan();
    this.byMarker = byMarker;
    for (const [jobId, set] of tracked) {
      if (set.kind !== 'marker') continue;
      const found = byMarker.get(set.marker);
      if (found) pids.set(jobId, found);
      else pids.delete(jobId);
    }
  }
}
