/** Resource use of one job's whole process tree at one tick. */
export interface TreeUsage {
  /** Percent of one core summed over the tree since the previous tick (200 = two busy cores). */
  cpu: number;
  /** Resident set size in bytes, summed over the tree. */
  rss: number;
  /**
   * Pids in the tree, root first: the root's descendants and, when the root leads its process
   * group (every job does), the other members of that group and their descendants.
   */
  pids: number[];
}

/**
 * Measures CPU and memory of process trees. One call per tick covers every job, so an
 * implementation can read /proc once for all of them.
 */
export interface TreeSampler {
  readonly kind: 'procfs' | 'pidusage';
  /** roots: job id → pid of the job's root process. Jobs whose root is gone are left out of the result. */
  sample(roots: ReadonlyMap<string, number>): Promise<Map<string, TreeUsage>>;
  dispose(): void;
}
