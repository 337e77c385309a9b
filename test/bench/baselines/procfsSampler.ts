import { readProcTable } from '../../../electron/engine/monitor/procTable';
import type { TrackedProcesses, TreeSampler, TreeUsage } from '../../../electron/engine/monitor/sampler';
import { computeTreeUsage, snapshotOf, type ProcSnapshot } from '../../../electron/engine/monitor/treeUsage';

/**
 * The benches' baseline, not used by Procdeck: a plain full-scan sampler. Each call scans
 * /proc once (htop's method) and sums every job's tree from that one scan. CPU is measured
 * against the previous call's scan, so the first call reports 0. The engine's HostScan reads
 * incrementally instead (see electron/engine/monitor/procScanner.ts).
 */
export function createProcfsSampler(): TreeSampler {
  let previous: ProcSnapshot | undefined;
  return {
    kind: 'procfs',
    async sample(roots: ReadonlyMap<string, number>, tracked?: ReadonlyMap<string, TrackedProcesses>): Promise<Map<string, TreeUsage>> {
      if (roots.size === 0) {
        // Nothing to watch: skip the scan. The next job's first tick reports cpu 0 rather than
        // an average over the whole idle gap.
        previous = undefined;
        return new Map();
      }
      const current = snapshotOf(readProcTable());
      // Tracked processes by cgroup are counted; the marker needs the monitor's index (this sampler has none).
      const members = new Map<string, readonly number[]>();
      for (const [jobId, set] of tracked ?? []) if (set.kind === 'members') members.set(jobId, set.pids() ?? []);
      const usage = computeTreeUsage(current, previous, roots, members);
      previous = current;
      return usage;
    },
    dispose(): void {
      previous = undefined;
    },
  };
}
