/** The parent and group links of one process: all that tree building needs. */
export interface ProcessLinks {
  pid: number;
  ppid: number;
  pgid: number;
}

/** Parent → children and group → members indexes over one snapshot of the process list. */
export interface ProcessForest {
  readonly children: ReadonlyMap<number, readonly number[]>;
  readonly groups: ReadonlyMap<number, readonly number[]>;
}

function append(index: Map<number, number[]>, key: number, pid: number): void {
  const list = index.get(key);
  if (list) list.push(pid);
  else index.set(key, [pid]);
}

export function buildForest(processes: Iterable<ProcessLinks>): ProcessForest {
  const children = new Map<number, number[]>();
  const groups = new Map<number, number[]>();
  for (const { pid, ppid, pgid } of processes) {
    append(children, ppid, pid);
    append(groups, pgid, pid);
  }
  return { children, groups };
}

/**
 * The processes of a job: the root, its descendants and, when the root leads its own
 * process group (as every job does), the rest of that group and their descendants, since
 * a child that daemonized (parent exited, reparented to init) still belongs to the job.
 * Root first, then breadth first.
 */
export function collectTree(forest: ProcessForest, root: ProcessLinks): number[] {
  const pids = [root.pid];
  const seen = new Set(pids);
  descend(forest, pids, seen, 0);
  if (root.pgid === root.pid) {
    const before = pids.length;
    for (const member of forest.groups.get(root.pid) ?? []) {
      if (seen.has(member)) continue;
      seen.add(member);
      pids.push(member);
    }
    descend(forest, pids, seen, before);
  }
  return pids;
}

/** Appends the descendants of pids[from…] to pids, breadth first (no closures: this runs per root per tick). */
function descend(forest: ProcessForest, pids: number[], seen: Set<number>, from: number): void {
  for (let i = from; i < pids.length; i++) {
    const children = forest.children.get(pids[i]!);
    if (!children) continue;
    for (const child of children) {
      if (seen.has(child)) continue;
      seen.add(child);
      pids.push(child);
    }
  }
}
