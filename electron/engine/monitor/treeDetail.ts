import type { ProcessTreeDetail, TreeProcess } from '../../../shared/monitoring';
import type { ProcessTextCache } from './processText';
import { ticksSince, withTracked, type ProcSnapshot } from './treeUsage';

/**
 * Every process of the tree rooted at `rootPid` and of the job's tracked processes outside it
 * (same membership as the job's samples), each with its command line, CPU % and RSS, and the
 * totals. Command lines are read only for these pids (cached by pid + start time). Undefined
 * when neither the root nor a tracked process is in the scan.
 */
export function describeTree(
  subjectId: string,
  rootPid: number,
  current: ProcSnapshot,
  previous: ProcSnapshot | undefined,
  texts: ProcessTextCache,
  at: number,
  tracked?: readonly number[],
): ProcessTreeDetail | undefined {
  const { processes: table, clockTicks, takenAt } = current.table;
  const pids = withTracked(current, table.get(rootPid), tracked);
  if (pids.length === 0) return undefined;
  const seconds = previous ? (takenAt - previous.table.takenAt) / 1000 : 0;
  const processes: TreeProcess[] = [];
  let cpuTotal = 0;
  let rssTotal = 0;
  for (const pid of pids) {
    const entry = table.get(pid);
    if (!entry) continue;
    const ticks = previous && seconds > 0 ? Math.max(0, ticksSince(entry, current, previous)) : 0;
    const cpu = seconds > 0 ? (ticks / clockTicks / seconds) * 100 : 0;
    cpuTotal += cpu;
    rssTotal += entry.rss;
    processes.push({
      pid,
      ppid: entry.ppid,
      command: texts.command(entry),
      cpu,
      rss: entry.rss,
      state: entry.state,
      threads: entry.threads,
    });
  }
  return { subjectId, rootPid, at, processes, totals: { cpu: cpuTotal, rss: rssTotal, processes: processes.length } };
}
