import type { RunSample } from '../backends/backend';

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
  /** Wall time `cpu` was measured over (between the last two scans); absent where the sampler cannot tell. */
  intervalSeconds?: number;
  /** CPU seconds the tree's processes have used in their lives (their own and their reaped children's), as the kernel counts them. */
  lifetimeCpuSeconds?: number;
}

/**
 * A job's processes wherever they went, beyond the tree of its root (a new session, another
 * process group, a double fork): the members of its cgroup, read at the tick, or the
 * processes carrying its environment marker (PDK_RUN_ID), found in the tick's scan.
 */
export type TrackedProcesses = { kind: 'members'; pids(): readonly number[] | undefined } | { kind: 'marker'; marker: string };

/**
 * Measures CPU and memory of process trees. One call per tick covers every job, so an
 * implementation can read /proc once for all of them.
 */
export interface TreeSampler {
  readonly kind: 'procfs' | 'pidusage';
  /**
   * roots: job id → pid of the job's root process; tracked: job id → its processes beyond the
   * root's tree, counted too (a job whose root is gone is still measured through them). Jobs
   * with neither a live root nor a tracked process are left out of the result.
   */
  sample(roots: ReadonlyMap<string, number>, tracked?: ReadonlyMap<string, TrackedProcesses>): Promise<Map<string, TreeUsage>>;
  dispose(): void;
}

/**
 * A tree's usage as the sample of one run (what the monitor records; a new run id starts a new
 * history). The tree is the sample's usage, not copied: the sampler made it for this tick alone.
 */
export function runSampleOf(runId: string, startedAt: number, name: string | undefined, tree: TreeUsage): RunSample {
  const usage = tree as TreeUsage & { processes: number };
  usage.processes = tree.pids.length;
  return name === undefined ? { runId, startedAt, usage } : { runId, startedAt, name, usage };
}
