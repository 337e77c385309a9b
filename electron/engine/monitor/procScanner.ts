import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseProcStatBytes, withLiveThreadsMemory, type ProcEntry } from './procStat';
import { readUptimeTicks } from './procTable';
import { buildForest, collectTree, type ProcessForest } from './processTree';
import { otherThreadStat, ProcFile, StatReader } from './statReader';
import { clockTicksPerSecond, memoryPageSize } from './systemConstants';
import type { ProcSnapshot } from './treeUsage';

export interface ProcScanRequest {
  /** Pids whose whole trees (collectTree) must be read fresh: job roots and watched processes. */
  roots: Iterable<number>;
  /** Read every process, with nice values: the system list is on screen and its CPU column needs them all. */
  everything?: boolean;
}

export interface ProcScannerOptions {
  /** Every this many scans, every process is read again (bounds what an incremental scan can miss). */
  fullEvery?: number;
  reader?: StatReader;
  /** The pid the kernel handed out last (default: from /proc/loadavg); injected in tests. */
  lastPid?: () => number | undefined;
}

/** Re-reads that change the tree shape make the forest be rebuilt; more rounds than this are left for the next tick. */
const MAX_TREE_PASSES = 4;

/** The last field of /proc/loadavg: the pid the kernel handed out last. */
export function parseLastPid(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.slice(text.lastIndexOf(' ') + 1));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * Whether `pid` was handed out after `before` up to `after` (the pid counter runs upwards
 * and wraps around at pid_max). Pids outside that range cannot have been reused in between.
 */
export function allocatedBetween(pid: number, before: number, after: number): boolean {
  if (after === before) return false;
  return after > before ? pid > before && pid <= after : pid > before || pid <= after;
}

/** A known pid may name another process now, unless the last pids show it was not handed out again. */
function mayBeReused(pid: number, before: number | undefined, after: number | undefined): boolean {
  return before === undefined || after === undefined || allocatedBetween(pid, before, after);
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const NO_ROOTS: readonly number[] = [];

/**
 * The roots not in `hot` (usually none: the same array every tick, nothing allocated). The
 * scan runs once a second, too rarely for V8 to optimize it for minutes, and in the
 * unoptimized tiers every for-of step allocates an iterator result (a Map entry an array
 * more): the per-process loops here are indexed or forEach.
 */
function rootsOutside(roots: readonly number[], hot: ReadonlySet<number>): readonly number[] {
  let outside: number[] | undefined;
  for (let i = 0; i < roots.length; i++) if (!hot.has(roots[i]!)) (outside ??= []).push(roots[i]!);
  return outside ?? NO_ROOTS;
}

/** The table one scan builds (a class, not closures: this runs for every sampled process every tick). */
class TableBuilder {
  readonly processes = new Map<number, ProcEntry>();
  /** A process read by this scan is new, gone, or has another parent or group than before. */
  private moved = false;
  /** Such a process was in the last scan's trees, or names one of their processes as its parent or group. */
  private touched = false;
  /** Processes of the last scan's trees read by this one (fewer than there were: one is gone). */
  private hotRead = 0;
  /** Pids read by this scan; undefined when it reads them all. */
  readonly fresh: Set<number> | undefined;
  readonly nice: Map<number, number> | undefined;
  /** See ProcTable.born. */
  readonly born: number[] | undefined;
  private readonly extras = { nice: 0 };

  constructor(
    private readonly reader: StatReader,
    private readonly pageSize: number,
    private readonly previous: ReadonlyMap<number, ProcEntry> | undefined,
    private readonly hot: ReadonlySet<number>,
    full: boolean,
    listing: boolean,
  ) {
    this.fresh = full ? undefined : new Set();
    this.nice = listing ? new Map() : undefined;
    this.born = previous ? [] : undefined;
  }

  /** Reads one process into the table; false when it is gone (or its line is unreadable). */
  read(pid: number, keep: boolean): boolean {
    const length = this.reader.read(pid, keep);
    const before = this.previous?.get(pid);
    const parsed = length < 0 ? undefined : parseProcStatBytes(this.reader.bytes, length, this.pageSize, this.extras, before);
    const entry = parsed && withLiveThreadsMemory(parsed, this.pageSize, otherThreadStat);
    const hot = this.hot;
    if (!entry) {
      this.processes.delete(pid);
      this.moved = true;
      if (hot.has(pid)) this.touched = true;
      return false;
    }
    if (hot.has(pid)) this.hotRead++;
    if (entry !== before && (before?.ppid !== entry.ppid || before.pgid !== entry.pgid)) {
      this.moved = true;
      if (hot.has(pid) || hot.has(entry.ppid) || hot.has(entry.pgid)) this.touched = true;
    }
    if (this.born && before?.startTime !== entry.startTime) this.born.push(pid);
    this.processes.set(pid, entry);
    this.fresh?.add(pid);
    this.nice?.set(pid, this.extras.nice);
    return true;
  }

  /** Whether the forest of `previous` no longer describes this table (same pids, same links otherwise). */
  reshaped(previous: ReadonlyMap<number, ProcEntry>): boolean {
    return this.moved || this.processes.size !== previous.size;
  }

  /**
   * Whether the last scan's trees may not be this one's: a process of theirs is gone or has
   * another parent or group, or a process came (or changed links) under one of theirs or into
   * the group of one. What moved elsewhere on the machine leaves them as they were.
   */
  treesMoved(): boolean {
    return this.touched || this.hotRead < this.hot.size;
  }
}

/**
 * Successive scans of /proc for a monitor that samples a few trees of a larger machine.
 * Every scan lists /proc (new processes appear, gone ones disappear) but reads the stat line
 * only of processes not seen before (to learn their parent: a job's new children are found
 * this way), of the processes of the sampled trees (read every tick, through kept-open fds),
 * and of any process that joins a tree. The other entries are carried over from the previous
 * scan: their parent, group and start time do not change. Reparenting and setpgid cannot
 * bring an outside process into a job's tree (orphans go to an ancestor subreaper, a job has
 * its own session); pid reuse could, so a known pid the kernel may have handed out again since
 * the last scan (the last pid in /proc/loadavg says which) is read again too. A full re-read
 * every `fullEvery` scans is a safety net. Entries carried over are not in ProcTable.fresh,
 * so no CPU figure is ever computed from them. When no pid at all was handed out since the
 * last scan, no process can have appeared, and /proc is not even listed: the sampled trees'
 * processes are read again and the rest carried over (a process that exited outside the trees
 * stays listed until the next listing, which is harmless: it is nobody's parent any more).
 */
export class ProcScanner {
  private readonly reader: StatReader;
  private readonly fullEvery: number;
  private last?: ProcSnapshot;
  /** The processes of the sampled trees at the last scan: read again at the next one. */
  private hot: ReadonlySet<number> = new Set();
  /** The roots of the last scan, to tell whether its trees can be kept. */
  private lastRoots: readonly number[] = [];
  private scansSinceFull = 0;
  /** The last scan's forest was built from its own table (not kept from an earlier one because only other processes moved). */
  private forestExact = false;
  private lastPid?: number;
  private readonly uptime = new ProcFile('/proc/uptime');
  private readonly loadavg = new ProcFile('/proc/loadavg');
  private readonly readLastPid: () => number | undefined;

  constructor(options: ProcScannerOptions = {}) {
    this.reader = options.reader ?? new StatReader();
    this.fullEvery = Math.max(1, options.fullEvery ?? 30);
    this.readLastPid = options.lastPid ?? (() => parseLastPid(this.loadavg.read()));
  }

  scan(request: ProcScanRequest): ProcSnapshot {
    const listing = request.everything ?? false;
    const previous = this.last;
    const full = listing || previous === undefined || this.scansSinceFull + 1 >= this.fullEvery;
    const clockTicks = clockTicksPerSecond();
    const takenAt = performance.now();
    const uptimeTicks = readUptimeTicks(clockTicks, this.uptime.read());
    // Before listing /proc: a process created after this read is looked at by the next scan.
    const lastPid = this.readLastPid();
    const since = this.lastPid;
    // An array is taken as it is (the host scan builds one per tick): no copy, no iterator.
    const roots = Array.isArray(request.roots) ? (request.roots as readonly number[]) : [...request.roots];
    // Read every tick: the last scan's trees, and the roots (new ones are rare: no copy of the set for them).
    const hot = this.hot;
    const newRoots = rootsOutside(roots, hot);
    const reader = this.reader;
    const table = new TableBuilder(reader, memoryPageSize(), previous?.table.processes, hot, full, listing);
    const half = reader.capacity / 2;

    reader.beginScan();
    const carried = full ? undefined : previous.table.processes;
    if (carried && lastPid !== undefined && lastPid === since) {
      // No task created since the last scan: the same processes, less those that exited.
      // forEach, not for-of: see rootsOutside.
      carried.forEach((known, pid) => {
        if (hot.has(pid) || (newRoots.length > 0 && newRoots.includes(pid))) table.read(pid, true);
        else table.processes.set(pid, known);
      });
      for (let i = 0; i < newRoots.length; i++) if (!carried.has(newRoots[i]!)) table.read(newRoots[i]!, true);
    } else {
      const names = readdirSync('/proc');
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        const first = name.charCodeAt(0);
        if (first < 48 || first > 57) continue;
        const pid = Number(name);
        const known = carried?.get(pid);
        const sampled = hot.has(pid) || (newRoots.length > 0 && newRoots.includes(pid));
        if (known && !sampled && !mayBeReused(pid, since, lastPid)) {
          table.processes.set(pid, known);
          continue;
        }
        // Processes read every tick keep their fd; while the list is shown, others may use half the room.
        table.read(pid, sampled || (listing && reader.room > half));
      }
    }

    // The same roots, and nothing moved in or around their trees: the last scan's trees still
    // hold, and so does its forest for their processes (the parent and group links the trees
    // and the reaped children's CPU are read from). Where other work forks, that is most ticks.
    // While the process list is on screen, the forest must hold for every process: kept only
    // when nothing moved at all (and it was built for the table before). Otherwise both are built again.
    let forest: ProcessForest;
    let trees: Map<number, number[]>;
    const exact = previous !== undefined && this.forestExact && !table.reshaped(previous.table.processes);
    if (previous && sameList(roots, this.lastRoots) && (exact || (!listing && !table.treesMoved()))) {
      ({ forest, trees } = previous);
      this.forestExact = exact;
    } else {
      ({ forest, trees } = this.treesOf(roots, table));
      this.forestExact = true;
      const hotNext = new Set<number>();
      for (const pids of trees.values()) for (const pid of pids) hotNext.add(pid);
      this.hot = hotNext;
    }
    reader.endScan();

    this.lastRoots = roots;
    this.lastPid = lastPid;
    this.scansSinceFull = full ? 0 : this.scansSinceFull + 1;
    const { processes, fresh, nice, born } = table;
    this.last = { table: { takenAt, uptimeTicks, clockTicks, processes, fresh, nice, born }, forest, trees };
    return this.last;
  }

  /**
   * The forest and the roots' trees. In an incremental scan, members of those trees that were
   * carried over (a new root, a process that joined a tree) are read now; a re-read that shows
   * a new parent or group changes the trees, so the forest is rebuilt and they are collected again.
   */
  private treesOf(roots: readonly number[], table: TableBuilder): { forest: ProcessForest; trees: Map<number, number[]> } {
    const { processes, fresh } = table;
    let forest = buildForest(processes.values());
    for (let pass = 1; ; pass++) {
      const trees = new Map<number, number[]>();
      const stale = new Set<number>();
      for (const root of roots) {
        const entry = processes.get(root);
        if (!entry || trees.has(root)) continue;
        const pids = collectTree(forest, entry);
        trees.set(root, pids);
        if (fresh) for (const pid of pids) if (!fresh.has(pid)) stale.add(pid);
      }
      if (stale.size === 0 || pass === MAX_TREE_PASSES) return { forest, trees };
      let moved = false;
      for (const pid of stale) {
        const before = processes.get(pid)!;
        if (!table.read(pid, true)) moved = true;
        else {
          const after = processes.get(pid)!;
          if (after.ppid !== before.ppid || after.pgid !== before.pgid || after.startTime !== before.startTime) moved = true;
        }
      }
      if (!moved) return { forest, trees };
      forest = buildForest(processes.values());
    }
  }

  /** Forgets the last scan (the next is a full one) and closes every kept fd. */
  reset(): void {
    this.last = undefined;
    this.hot = new Set();
    this.lastRoots = [];
    this.lastPid = undefined;
    this.reader.dispose();
    this.uptime.close();
    this.loadavg.close();
  }

  /** Kept-open stat fds (for tests and diagnostics). */
  get openFds(): number {
    return this.reader.openCount;
  }

  dispose(): void {
    this.reset();
  }
}
