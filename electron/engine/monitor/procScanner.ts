import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseProcStatBytes, type ProcEntry } from './procStat';
import { readUptimeTicks } from './procTable';
import { buildForest, collectTree, type ProcessForest } from './processTree';
import { ProcFile, StatReader } from './statReader';
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
  private scansSinceFull = 0;
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
    const pageSize = memoryPageSize();
    const takenAt = performance.now();
    const uptimeTicks = readUptimeTicks(clockTicks, this.uptime.read());
    // Before listing /proc: a process created after this read is looked at by the next scan.
    const lastPid = this.readLastPid();
    const since = this.lastPid;
    const reusable = (pid: number) => since === undefined || lastPid === undefined || allocatedBetween(pid, since, lastPid);
    const roots = [...request.roots];
    const hot = new Set(this.hot);
    for (const root of roots) hot.add(root);
    const processes = new Map<number, ProcEntry>();
    const fresh = full ? undefined : new Set<number>();
    const nice = listing ? new Map<number, number>() : undefined;
    const reader = this.reader;
    const half = reader.capacity / 2;

    const extras = { nice: 0 };
    /** Reads one process into the table; false when it is gone (or its line is unreadable). */
    const read = (pid: number, keep: boolean): boolean => {
      const length = reader.read(pid, keep);
      const entry = length < 0 ? undefined : parseProcStatBytes(reader.bytes, length, pageSize, extras, previous?.table.processes.get(pid));
      if (!entry) {
        processes.delete(pid);
        return false;
      }
      processes.set(pid, entry);
      fresh?.add(pid);
      if (nice) nice.set(pid, extras.nice);
      return true;
    };

    reader.beginScan();
    const carried = full ? undefined : previous.table.processes;
    if (carried && lastPid !== undefined && lastPid === since) {
      // No task created since the last scan: the same processes, less those that exited.
      for (const [pid, known] of carried) {
        if (hot.has(pid)) read(pid, true);
        else processes.set(pid, known);
      }
      for (const root of roots) if (!carried.has(root)) read(root, true);
    } else {
      for (const name of readdirSync('/proc')) {
        const first = name.charCodeAt(0);
        if (first < 48 || first > 57) continue;
        const pid = Number(name);
        const known = carried?.get(pid);
        if (known && !hot.has(pid) && !reusable(pid)) {
          processes.set(pid, known);
          continue;
        }
        // Processes read every tick keep their fd; while the list is shown, others may use half the room.
        read(pid, hot.has(pid) || (listing && reader.room > half));
      }
    }

    const { forest, trees } = this.treesOf(roots, processes, fresh, read);
    const hotNext = new Set<number>();
    for (const pids of trees.values()) for (const pid of pids) hotNext.add(pid);
    reader.endScan();

    this.hot = hotNext;
    this.lastPid = lastPid;
    this.scansSinceFull = full ? 0 : this.scansSinceFull + 1;
    this.last = { table: { takenAt, uptimeTicks, clockTicks, processes, fresh, nice }, forest, trees };
    return this.last;
  }

  /**
   * The forest and the roots' trees. In an incremental scan, members of those trees that were
   * carried over (a new root, a process that joined a tree) are read now; a re-read that shows
   * a new parent or group changes the trees, so the forest is rebuilt and they are collected again.
   */
  private treesOf(
    roots: readonly number[],
    processes: Map<number, ProcEntry>,
    fresh: Set<number> | undefined,
    read: (pid: number, keep: boolean) => boolean,
  ): { forest: ProcessForest; trees: Map<number, number[]> } {
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
        if (!read(pid, true)) moved = true;
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
