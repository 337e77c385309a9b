import { isDeadProcess, type ProcEntry } from './procStat';
import type { ProcSnapshot } from './treeUsage';

/** The namespace's init: every orphan can end up with it. */
const INIT_PID = 1;
/** This process (the jobs' parent): read once, process.pid asks the kernel each time. */
const SELF_PID = process.pid;

/**
 * After a scan: whether a job's process may be outside its root's tree without being in the
 * cgroup member lists kept (TrackedSets), so that the lists must be read again. A job's
 * process outside its root's tree counts in the job only through those lists; inside, the
 * tree has it anyway. A process joins a job's cgroup only by being forked from a member (or
 * moved in by hand, which the periodic re-read covers), so the lists can only fall behind
 * through processes this scan shows, and each of these says so:
 *
 * - a process new to this scan (or a pid handed out again), outside the job roots' trees,
 *   whose parent is not a process known to be nobody's: its parent is new too, is a job's
 *   process (in a tree or a list: a job that forked outside its root's tree), or is a
 *   process an orphan of a job can have been handed to. An orphan goes to the nearest
 *   child subreaper among the ancestors of its dying parent, else to its pid namespace's
 *   init: for a job's process that is a job's process, an ancestor of a job's root or of a
 *   listed process outside the trees (a reparented escapee: init), an ancestor of this
 *   process (the roots' parent), or init. clone(CLONE_PARENT) gives the child its parent's
 *   parent: the same set. Any other parent is an old process outside every job: its child
 *   is in its cgroup. This is what keeps the lists unread where other work forks: the
 *   children of a build's shell are none of the jobs' business;
 * - a new pid that a kept list names (that list may name the pid's former process);
 * - a process of the last scan's job trees that is alive, outside the roots' trees now and
 *   in no list (reparented away from its tree, a group member whose root exited).
 *
 * Ordering (the lists are read before the scan, this looks after it): a member forked after
 * the read is new to this scan, or to the next one when it came after this scan's listing of
 * /proc (the scanner lists /proc whenever a pid was handed out). A fork can still be under
 * way when the scan sees the child (the kernel makes it visible in /proc just before it
 * joins its parent's cgroup): the read this answer asks for, right after the scan, may miss
 * it, so TrackedSets reads again at the next tick, when that fork has long finished.
 */
export class UnlistedMembers {
  /** Pids of the roots' trees at the last scan that looked. */
  private inRootTrees?: ReadonlySet<number>;
  /** Those and the pids of the trees of listed processes outside them. */
  private covered?: ReadonlySet<number>;
  /** The scanner's trees these were built from: the scanner keeps the same map while nothing moved. */
  private builtFrom?: ReadonlyMap<number, readonly number[]>;

  /**
   * roots: the jobs' root pids; extraRoots: the listed processes outside the roots' trees
   * whose trees this scan read; listed: every pid the kept lists name.
   */
  mayHide(current: ProcSnapshot, previous: ProcSnapshot | undefined, roots: Iterable<number>, extraRoots: readonly number[], listed: ReadonlySet<number>): boolean {
    const { processes, born } = current.table;
    let inRootTrees = this.inRootTrees;
    let covered = this.covered;
    if (current.trees !== this.builtFrom || !inRootTrees || !covered) {
      const [wasInRootTrees, wasCovered] = [inRootTrees, covered];
      const rootTreePids = new Set<number>();
      for (const root of roots) for (const pid of current.trees.get(root) ?? []) rootTreePids.add(pid);
      const treePids = new Set(rootTreePids);
      for (const root of extraRoots) for (const pid of current.trees.get(root) ?? []) treePids.add(pid);
      this.inRootTrees = inRootTrees = rootTreePids;
      this.covered = covered = treePids;
      this.builtFrom = current.trees;
      // Left the roots' trees, or every tree, and in no list: read them (once: next time it is in neither set it came from).
      if (wasInRootTrees && wasCovered) {
        for (const pid of wasCovered) {
          if (inRootTrees.has(pid) || listed.has(pid) || !alive(processes.get(pid))) continue;
          if (wasInRootTrees.has(pid) || !covered.has(pid)) return true;
        }
      }
    } else if (born?.length === 0) {
      // The same trees as the last scan that looked (the scanner keeps them while nothing moved in or around them), and no newcomer.
      return false;
    }
    const nobodys = new NobodysProcesses(current, previous, roots, extraRoots, covered, listed);
    // Without the scan's newcomers (no scan before it), every process is one.
    for (const pid of born ?? processes.keys()) {
      const entry = processes.get(pid);
      if (!alive(entry) || inRootTrees.has(pid)) continue;
      if (listed.has(pid) || !nobodys.isParentOf(entry)) return true;
    }
    return false;
  }

  reset(): void {
    this.inRootTrees = this.covered = this.builtFrom = undefined;
  }
}

const alive = (entry: ProcEntry | undefined): entry is ProcEntry => entry !== undefined && !isDeadProcess(entry);

/** Chains of newcomers longer than this (a shell starting a shell…) are taken as the jobs' to be safe. */
const MAX_NEW_ANCESTORS = 32;

/** Which parents of newcomers are known to be outside every job (see UnlistedMembers), looked up once a scan. */
class NobodysProcesses {
  private readonly known = new Map<number, boolean>();
  private handedTo?: Set<number>;

  constructor(
    private readonly current: ProcSnapshot,
    private readonly previous: ProcSnapshot | undefined,
    private readonly roots: Iterable<number>,
    private readonly extraRoots: readonly number[],
    private readonly covered: ReadonlySet<number>,
    private readonly listed: ReadonlySet<number>,
  ) {}

  /** Whether a newcomer's parent is nobody's: its children are not a job's. */
  isParentOf(child: ProcEntry): boolean {
    const { processes } = this.current.table;
    // Up the newcomers' chain to the first old process; each newcomer on the way is nobody's if that one is.
    const chain: number[] = [];
    let answer: boolean | undefined;
    let entry = processes.get(child.ppid);
    while (answer === undefined) {
      if (!entry || chain.length >= MAX_NEW_ANCESTORS) answer = false;
      else if (this.known.has(entry.pid)) answer = this.known.get(entry.pid)!;
      else if (this.covered.has(entry.pid) || this.listed.has(entry.pid)) answer = false;
      else if (this.isOld(entry)) answer = !this.orphanTargets().has(entry.pid);
      else {
        chain.push(entry.pid);
        entry = processes.get(entry.ppid);
        continue;
      }
      if (entry) this.known.set(entry.pid, answer);
    }
    for (const pid of chain) this.known.set(pid, answer);
    return answer;
  }

  /** In the scan before with the same start time: not a newcomer. */
  private isOld(entry: ProcEntry): boolean {
    return this.previous?.table.processes.get(entry.pid)?.startTime === entry.startTime;
  }

  /** Init, this process and its ancestors, and those of the roots and of the listed processes outside them: where an orphan of a job can go. */
  private orphanTargets(): Set<number> {
    if (this.handedTo) return this.handedTo;
    const { processes } = this.current.table;
    const targets = new Set<number>([INIT_PID]);
    const climb = (pid: number): void => {
      // Stops at the first ancestor already climbed from: the jobs' roots share their parent, this process.
      for (let ppid = processes.get(pid)?.ppid; ppid !== undefined && ppid > 0 && !targets.has(ppid); ppid = processes.get(ppid)?.ppid) targets.add(ppid);
    };
    climb(SELF_PID);
    targets.add(SELF_PID);
    for (const root of this.roots) climb(root);
    for (const root of this.extraRoots) climb(root);
    this.handedTo = targets;
    return targets;
  }
}
