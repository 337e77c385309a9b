import type pidusageModule from 'pidusage';
import { buildForest, collectTree } from './processTree';
import { listProcessesWithPs } from './psProcessList';
import type { TreeSampler, TreeUsage } from './sampler';

type Stats = Map<number, pidusageModule.Status>;

// Loaded when first used: only where there is no /proc, which the engine knows at start.
let loading: Promise<typeof pidusageModule> | undefined;
const loadPidusage = () => (loading ??= import('pidusage').then((module) => module.default));

function toStats(result: Record<string, pidusageModule.Status | undefined>): Stats {
  const stats: Stats = new Map();
  for (const status of Object.values(result)) if (status) stats.set(status.pid, status);
  return stats;
}

/**
 * pidusage answers a batch with the pids it found, but rejects the whole batch when it has a
 * single pid that is gone, and with `ps` (macOS) possibly when any pid is gone. Retry one by one then.
 */
async function statsOf(pids: number[]): Promise<Stats> {
  const pidusage = await loadPidusage();
  try {
    return toStats(await pidusage([...pids]));
  } catch {
    const stats: Stats = new Map();
    await Promise.all(
      pids.map(async (pid) => {
        try {
          stats.set(pid, await pidusage(pid));
        } catch {
          // The process is gone.
        }
      }),
    );
    return stats;
  }
}

/**
 * Fallback sampler where /proc does not exist. pidusage knows no trees: one `ps` run per call
 * finds each root's descendants, then one pidusage call measures all of their pids.
 * pidusage reports cpu 0 the first time it sees a pid.
 */
export function createPidusageSampler(): TreeSampler {
  return {
    kind: 'pidusage',
    async sample(roots: ReadonlyMap<string, number>): Promise<Map<string, TreeUsage>> {
      const usage = new Map<string, TreeUsage>();
      if (roots.size === 0) return usage;
      const listed = await listProcessesWithPs();
      const trees = new Map<string, number[]>();
      if (listed) {
        const forest = buildForest(listed);
        const byPid = new Map(listed.map((links) => [links.pid, links]));
        for (const [jobId, rootPid] of roots) {
          const root = byPid.get(rootPid);
          if (root) trees.set(jobId, collectTree(forest, root));
        }
      } else {
        for (const [jobId, rootPid] of roots) trees.set(jobId, [rootPid]);
      }
      const allPids = [...new Set([...trees.values()].flat())];
      if (allPids.length === 0) return usage;
      const stats = await statsOf(allPids);
      for (const [jobId, pids] of trees) {
        if (!stats.has(pids[0])) continue;
        let cpu = 0;
        let rss = 0;
        const alive: number[] = [];
        for (const pid of pids) {
          const status = stats.get(pid);
          if (!status) continue;
          cpu += status.cpu;
          rss += status.memory;
          alive.push(pid);
        }
        usage.set(jobId, { cpu, rss, pids: alive });
      }
      return usage;
    },
    dispose(): void {
      // pidusage.clear() is deliberately not called: it drops pidusage's history without
      // closing the /proc file descriptors the history holds (they leak), and the history is
      // global to the process. Entries of vanished pids expire on their own after maxage.
    },
  };
}
