import { MarkerCache } from '../supervisor/markedProcesses';
import { parseLastPid } from './procScanner';
import type { ProcTable } from './procTable';
import type { TrackedProcesses } from './sampler';
import { ProcFile } from './statReader';

/** A cgroup's members are read again at least this often, even while no pid was handed out (see beforeScan). */
export const MEMBERS_REREAD_EVERY = 30;

export interface TrackedSetsOptions {
  /** The pid the kernel handed out last (default: from /proc/loadavg); injected in tests. */
  lastPid?: () => number | undefined;
  rereadEvery?: number;
}

/**
 * Each job's tracked processes at a tick (see TrackedProcesses), for counting what left its
 * tree. Cheap when nothing escaped: a cgroup's list is one pread, and a job whose tracked
 * processes are all in its own process group adds nothing to the scan.
 */
export class TrackedSets {
  private readonly markers = new MarkerCache();
  /** Marker → its live processes, from the last scan that looked. */
  private byMarker = new Map<string, number[]>();
  /** Each cgroup-tracked set's members as last read, and the last pid handed out before that read. */
  private members = new Map<TrackedProcesses, readonly number[]>();
  private membersLastPid?: number;
  private movedAtLastRead = true;
  private readsSinceReread = 0;
  private readonly loadavg = new ProcFile('/proc/loadavg');
  private readonly readLastPid: () => number | undefined;
  private readonly rereadEvery: number;

  constructor(options: TrackedSetsOptions = {}) {
    this.readLastPid = options.lastPid ?? (() => parseLastPid(this.loadavg.read()));
    this.rereadEvery = Math.max(1, options.rereadEvery ?? MEMBERS_REREAD_EVERY);
  }

  /**
   * Each cgroup's members, read (one pread each) only when a process may have joined one since
   * the last read. A process joins a run's cgroup by being forked from a member, so with a new
   * pid: while the kernel has handed out none, a cgroup can only have lost members (the lists
   * kept may name some that are gone, which the scan drops like any vanished pid) and the last
   * lists stand. On a quiet machine a tick reads none of them; where other work forks every
   * second, every tick reads them all, as before. Every `rereadEvery` reads they are read anyway (a process moved in by hand).
   */
  private membersOf(tracked: ReadonlyMap<string, TrackedProcesses>): { members: Map<TrackedProcesses, readonly number[]>; lastPid?: number } {
    if (tracked.size === 0) {
      this.reset();
      return { members: this.members };
    }
    // Read before the lists: a fork after this read moves it by the next tick. A fork under way
    // at this read (its pid handed out, the child not yet in its cgroup) has finished by the
    // next tick, which reads again too: lists are kept only once the pid stood still over a tick.
    const lastPid = this.readLastPid();
    const moved = lastPid === undefined || lastPid !== this.membersLastPid;
    const fresh = moved || this.movedAtLastRead || ++this.readsSinceReread >= this.rereadEvery;
    if (fresh) this.readsSinceReread = 0;
    this.membersLastPid = lastPid;
    this.movedAtLastRead = moved;
    const previous = this.members;
    const members = new Map<TrackedProcesses, readonly number[]>();
    for (const set of tracked.values()) {
      if (set.kind !== 'members') continue;
      const known = fresh ? undefined : previous.get(set);
      const pids = known ?? set.pids();
      if (pids) members.set(set, pids);
    }
    this.members = members;
    return { members, lastPid };
  }

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
  ): { pids: Map<string, readonly number[]>; extraRoots: number[]; lastPid?: number } {
    const pids = new Map<string, readonly number[]>();
    let extra: Set<number> | undefined;
    const { members: cgroups, lastPid } = this.membersOf(tracked);
    for (const [jobId, set] of tracked) {
      const members = set.kind === 'members' ? cgroups.get(set) : this.byMarker.get(set.marker);
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
    // lastPid: what was read before the member lists, for the scan that follows (one read a tick).
    return { pids, extraRoots: extra ? [...extra].sort((a, b) => a - b) : [], lastPid };
  }

  /** Forgets the kept member lists (the next scan reads them all) and closes /proc/loadavg. */
  reset(): void {
    this.members = new Map();
    this.membersLastPid = undefined;
    this.movedAtLastRead = true;
    this.readsSinceReread = 0;
    this.loadavg.close();
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
