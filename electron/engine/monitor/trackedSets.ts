import { MarkerCache } from '../supervisor/markedProcesses';
import { isDeadProcess, leaderThreadEnded } from './procStat';
import type { ProcTable } from './procTable';
import type { TrackedProcesses } from './sampler';
import type { ProcSnapshot } from './treeUsage';
import { UnlistedMembers } from './unlistedMembers';

/** A cgroup's members are read again at least this often, even while no scan asked for it (see afterScan). */
export const MEMBERS_REREAD_EVERY = 30;

export interface TrackedSetsOptions {
  rereadEvery?: number;
}

/**
 * Each job's tracked processes at a tick (see TrackedProcesses), for counting what left its
 * tree. Cheap when nothing escaped: a cgroup's list is read (one pread) only when the scan
 * shows a process that may be a member outside the trees (UnlistedMembers), and a job whose
 * tracked processes are all in its own process group adds nothing to the scan.
 */
export class TrackedSets {
  private readonly markers = new MarkerCache();
  /** Marker → its live processes, from the last scan that looked. */
  private byMarker = new Map<string, number[]>();
  /** Each cgroup-tracked set's members as last read, and every pid they name. */
  private members = new Map<TrackedProcesses, readonly number[]>();
  private listed: ReadonlySet<number> = new Set();
  /** The listed processes outside their job's group whose trees the tick's scan reads. */
  private extraRoots: readonly number[] = [];
  /** The lists are read at the next tick whatever the scan shows: see afterScan. */
  private readAtNextTick = false;
  private ticksSinceRead = 0;
  /** Whether the last tick tracked any job by its cgroup. */
  private anyCgroup = false;
  private readonly unlisted = new UnlistedMembers();
  /**
   * Each job's tracked pids at the tick (what beforeScan returns, and afterScan completes):
   * one map kept from tick to tick and updated, not one of 100 entries built every second.
   * It belongs to the latest tick; the host scan keeps it with that tick's scan only.
   */
  private pids = new Map<string, readonly number[]>();
  private readonly rereadEvery: number;

  constructor(options: TrackedSetsOptions = {}) {
    this.rereadEvery = Math.max(1, options.rereadEvery ?? MEMBERS_REREAD_EVERY);
  }

  /**
   * Each cgroup's members: the lists kept, unless the last scan asked for them at the next
   * tick too (see afterScan) or `rereadEvery` ticks went by (a process moved in by hand).
   * A set seen for the first time is read at once. While nothing is read, a cgroup can only
   * lose members: the lists kept may name some that are gone, which the scan drops like any
   * vanished pid (a pid handed out again to another process makes afterScan read them).
   */
  private membersOf(tracked: ReadonlyMap<string, TrackedProcesses>): Map<TrackedProcesses, readonly number[]> {
    if (tracked.size === 0) {
      this.reset();
      return this.members;
    }
    const fresh = this.readAtNextTick || ++this.ticksSinceRead >= this.rereadEvery;
    this.readAtNextTick = false;
    const previous = this.members;
    // Every set known and none gone (most ticks): the lists kept, without building their map again.
    if (!fresh && this.allKnown(tracked, previous)) return previous;
    const members = new Map<TrackedProcesses, readonly number[]>();
    let read = fresh;
    this.anyCgroup = false;
    for (const set of tracked.values()) {
      if (set.kind !== 'members') continue;
      this.anyCgroup = true;
      const known = fresh ? undefined : previous.get(set);
      if (!known) read = true;
      const pids = known ?? set.pids();
      if (pids) members.set(set, pids);
    }
    if (fresh) this.ticksSinceRead = 0;
    if (read || members.size !== previous.size) this.keep(members);
    return members;
  }

  /** Whether every cgroup-tracked set is in `previous` and it holds no other (sets anyCgroup). forEach: see beforeScan. */
  private allKnown(tracked: ReadonlyMap<string, TrackedProcesses>, previous: ReadonlyMap<TrackedProcesses, readonly number[]>): boolean {
    let known = 0;
    let all = true;
    this.anyCgroup = false;
    tracked.forEach((set) => {
      if (set.kind !== 'members') return;
      this.anyCgroup = true;
      if (previous.has(set)) known++;
      else all = false;
    });
    return all && known === previous.size;
  }

  private keep(members: Map<TrackedProcesses, readonly number[]>): void {
    this.members = members;
    const listed = new Set<number>();
    members.forEach((pids) => {
      for (let i = 0; i < pids.length; i++) listed.add(pids[i]!);
    });
    this.listed = listed;
  }

  /**
   * Before the scan: each job's tracked pids as known now (a cgroup's list as kept or read
   * now; a marker's from the last scan), and those the scan must read fresh because they are
   * not in their job's process group (the monitor samples what it reads every tick; its trees
   * cover the group).
   */
  beforeScan(
    tracked: ReadonlyMap<string, TrackedProcesses>,
    roots: ReadonlyMap<string, number>,
    last: ProcTable | undefined,
  ): { pids: Map<string, readonly number[]>; extraRoots: number[] } {
    // One map for every tick, brought up to date (see `pids`). forEach and indexed loops: this
    // runs once a tick for every job, mostly in V8's unoptimized tiers, where a for-of step
    // allocates an iterator result (and a Map entry an array more).
    const cgroups = this.membersOf(tracked);
    const pids = this.pids;
    let extra: Set<number> | undefined;
    let kept = 0;
    tracked.forEach((set, jobId) => {
      const members = set.kind === 'members' ? cgroups.get(set) : this.byMarker.get(set.marker);
      if (!members || members.length === 0) {
        pids.delete(jobId);
        return;
      }
      kept++;
      if (pids.get(jobId) !== members) pids.set(jobId, members);
      const root = roots.get(jobId);
      for (let i = 0; i < members.length; i++) {
        const pid = members[i]!;
        if (pid === root) continue;
        const entry = last?.processes.get(pid);
        if (entry && entry.pgid === root) continue;
        (extra ??= new Set()).add(pid);
      }
    });
    // Jobs no longer tracked.
    if (pids.size > kept) {
      pids.forEach((_, jobId) => {
        if (!tracked.has(jobId)) pids.delete(jobId);
      });
    }
    // Sorted: the scanner keeps its trees while its roots are the same list.
    const extraRoots = extra ? [...extra].sort((a, b) => a - b) : [];
    this.extraRoots = extraRoots;
    return { pids, extraRoots };
  }

  /** Forgets the kept member lists (the next scan reads them all). */
  reset(): void {
    this.pids = new Map();
    this.members = new Map();
    this.listed = new Set();
    this.extraRoots = [];
    this.anyCgroup = false;
    this.readAtNextTick = false;
    this.ticksSinceRead = 0;
    this.unlisted.reset();
  }

  /**
   * After the scan: when it shows a process that may be a member of a job's cgroup outside
   * the trees and in no list kept (UnlistedMembers), every list is read now, and the tick's
   * pids are those. They are read at the next tick too: a fork can be under way when the scan
   * sees the child, which joins its cgroup a moment later (after the read just made, maybe),
   * and has long joined by then. Once that read shows the child, it is in a list (its tree
   * read like any listed process outside its group); if it does not, it is no member, and
   * its own children are none either (see UnlistedMembers: nobody's).
   */
  private afterScanMembers(tracked: ReadonlyMap<string, TrackedProcesses>, current: ProcSnapshot, previous: ProcSnapshot | undefined, roots: ReadonlyMap<string, number>, pids: Map<string, readonly number[]>): void {
    if (!this.anyCgroup) return;
    if (!this.unlisted.mayHide(current, previous, roots.values(), this.extraRoots, this.listed)) return;
    const members = new Map<TrackedProcesses, readonly number[]>();
    tracked.forEach((set) => {
      if (set.kind !== 'members') return;
      const read = set.pids();
      if (read) members.set(set, read);
    });
    this.keep(members);
    this.readAtNextTick = true;
    tracked.forEach((set, jobId) => {
      if (set.kind !== 'members') return;
      const read = members.get(set);
      if (read && read.length > 0) pids.set(jobId, read);
      else pids.delete(jobId);
    });
  }

  /**
   * After the scan (the one before it, `previous`, tells its newcomers): the cgroup lists read
   * again when it asks for it (see afterScanMembers), and jobs tracked by marker get the marked
   * processes of this scan (a process is looked at once in its life, see MarkerCache).
   * Nothing is read when no job is tracked by marker.
   */
  afterScan(tracked: ReadonlyMap<string, TrackedProcesses>, current: ProcSnapshot, previous: ProcSnapshot | undefined, roots: ReadonlyMap<string, number>, pids: Map<string, readonly number[]>): void {
    this.afterScanMembers(tracked, current, previous, roots, pids);
    const { table } = current;
    let wanted: Set<string> | undefined;
    tracked.forEach((set) => {
      if (set.kind === 'marker') (wanted ??= new Set()).add(set.marker);
    });
    if (!wanted) {
      // clear() gives even an empty map a new table.
      if (this.byMarker.size > 0) this.byMarker.clear();
      return;
    }
    const byMarker = new Map<string, number[]>();
    for (const entry of table.processes.values()) {
      if (isDeadProcess(entry)) continue;
      const marker = this.markers.markerOf(entry.pid, entry.startTime, leaderThreadEnded(entry));
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
