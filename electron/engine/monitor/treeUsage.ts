import { isDeadProcess, type ProcEntry } from './procStat';
import { isFresh, type ProcTable } from './procTable';
import { buildForest, collectTree, type ProcessForest } from './processTree';
import type { TreeUsage } from './sampler';

/** One scan of /proc with its tree indexes. */
export interface ProcSnapshot {
  readonly table: ProcTable;
  readonly forest: ProcessForest;
  /** collectTree results by root pid, filled on first use (treeOf): every tree is collected once per scan. */
  readonly trees: Map<number, number[]>;
}

export function snapshotOf(table: ProcTable): ProcSnapshot {
  return { table, forest: buildForest(table.processes.values()), trees: new Map() };
}

/** The pids of root's tree in this snapshot (collectTree), collected once. Do not modify the array. */
export function treeOf(snapshot: ProcSnapshot, root: ProcEntry): number[] {
  let pids = snapshot.trees.get(root.pid);
  if (!pids) {
    pids = collectTree(snapshot.forest, root);
    snapshot.trees.set(root.pid, pids);
  }
  return pids;
}

function totalTicks(entry: ProcEntry): number {
  return entry.cpuTicks + entry.childCpuTicks;
}

/** The same process (pid and start time match) in another snapshot, if it was there. */
function sameProcess(entry: ProcEntry, snapshot: ProcSnapshot): ProcEntry | undefined {
  const other = snapshot.table.processes.get(entry.pid);
  return other?.startTime === entry.startTime ? other : undefined;
}

/**
 * CPU ticks a live process used since the previous scan, including (through cutime/cstime)
 * the children it reaped in between, so short-lived children that no scan ever saw count too.
 * An entry that either scan carried over from an earlier one (see ProcTable.fresh) has no
 * figure for this interval: 0, as for a process the previous scan missed.
 */
export function ticksSince(entry: ProcEntry, current: ProcSnapshot, previous: ProcSnapshot): number {
  if (!isFresh(current.table, entry.pid)) return 0;
  const before = sameProcess(entry, previous);
  if (before) {
    if (!isFresh(previous.table, before.pid)) return 0;
    const reaped = countedBeforeReaped(before, current, previous);
    return reaped === undefined ? 0 : totalTicks(entry) - totalTicks(before) - reaped;
  }
  // Born after the previous scan started: everything it used falls into this interval.
  // Otherwise it existed but the previous scan missed it (a race), and its past is unknown.
  return entry.startTime >= previous.table.uptimeTicks ? totalTicks(entry) : 0;
}

/**
 * Ticks of processes that were below `parent` at the previous scan and are gone now, as
 * the previous scan saw them. When a child is reaped the kernel adds its whole lifetime to
 * the parent's cutime/cstime; the part before the previous scan must not be counted again.
 * Undefined when a gone child's figures there were carried over (not known at that scan).
 */
function countedBeforeReaped(parent: ProcEntry, current: ProcSnapshot, previous: ProcSnapshot): number | undefined {
  let ticks = 0;
  // Indexed, and no `?? []`: this runs for every sampled process at every tick, mostly unoptimized (see computeTreeUsage).
  const children = previous.forest.children.get(parent.pid);
  if (children === undefined) return 0;
  for (let i = 0; i < children.length; i++) {
    const childPid = children[i]!;
    const child = previous.table.processes.get(childPid);
    if (!child || sameProcess(child, current)) continue;
    if (!isFresh(previous.table, childPid)) return undefined;
    const below = countedBeforeReaped(child, current, previous);
    if (below === undefined) return undefined;
    ticks += totalTicks(child) + below;
  }
  return ticks;
}

/**
 * The root's tree plus the tracked pids outside it, root first. Every process of a job's
 * group is in the tree already (collectTree), so only a tracked pid in another group can be
 * missing: the common case (nothing escaped) allocates nothing.
 */
export function withTracked(current: ProcSnapshot, root: ProcEntry | undefined, tracked: readonly number[] | undefined): number[] {
  const tree = root ? treeOf(current, root) : [];
  if (!tracked || tracked.length === 0) return tree;
  const { processes } = current.table;
  const leads = root !== undefined && root.pgid === root.pid;
  let inTree: Set<number> | undefined;
  let pids: number[] | undefined;
  for (let i = 0; i < tracked.length; i++) {
    const pid = tracked[i]!;
    const entry = processes.get(pid);
    if (!entry || isDeadProcess(entry) || (leads && entry.pgid === root.pid)) continue;
    inTree ??= new Set(tree);
    if (inTree.has(pid)) continue;
    inTree.add(pid);
    (pids ??= [...tree]).push(pid);
  }
  return pids ?? tree;
}

/**
 * Sums CPU % and RSS over each root's process tree and the job's tracked processes outside
 * it. CPU is the ticks since `previous` over the wall time between the two scans (100 = one
 * full core); without a previous scan it is 0. A job with neither its root nor a tracked
 * process in the current scan is left out. Each usage also carries the interval and the
 * tree's lifetime CPU (a run's first sample counts that), and its process count.
 *
 * This runs for every job at every tick, mostly in V8's unoptimized tiers (once a second is
 * too rarely for the optimizing compiler for minutes): there, a for-of step allocates an
 * iterator result (and a Map entry an array more), so the loops are forEach and indexed
 * ones, and each usage is built whole, in one shape (a property added later grows it).
 */
export function computeTreeUsage(
  current: ProcSnapshot,
  previous: ProcSnapshot | undefined,
  roots: ReadonlyMap<string, number>,
  tracked?: ReadonlyMap<string, readonly number[]>,
): Map<string, TreeUsage> {
  const { processes, clockTicks } = current.table;
  const seconds = previous ? (current.table.takenAt - previous.table.takenAt) / 1000 : 0;
  const usage = new Map<string, TreeUsage>();
  roots.forEach((rootPid, jobId) => {
    const root = processes.get(rootPid);
    const pids = withTracked(current, root, tracked?.get(jobId));
    if (pids.length === 0) return;
    let rss = 0;
    let ticks = 0;
    let lifetimeTicks = 0;
    for (let i = 0; i < pids.length; i++) {
      const entry = processes.get(pids[i]!);
      if (!entry) continue;
      rss += entry.rss;
      lifetimeTicks += entry.cpuTicks + entry.childCpuTicks;
      if (previous) ticks += ticksSince(entry, current, previous);
    }
    const cpu = seconds > 0 ? (Math.max(0, ticks) / clockTicks / seconds) * 100 : 0;
    const tree: TreeUsage & { processes: number } = { cpu, rss, pids, intervalSeconds: seconds, lifetimeCpuSeconds: lifetimeTicks / clockTicks, processes: pids.length };
    usage.set(jobId, tree);
  });
  return usage;
}
