import type { SystemProcess, SystemProcessList, SystemProcessQuery } from '../../../shared/monitoring';
import type { ProcEntry } from './procStat';
import { isFresh } from './procTable';
import { ProcessTextCache } from './processText';
import { orderProcesses } from './systemProcessOrder';
import type { ProcSnapshot } from './treeUsage';
import { UserNames } from './userNames';

/**
 * CPU % of the process itself (utime + stime, not its reaped children: htop's figure) since
 * the previous scan. A process born since then counts in full; one the previous scan missed, 0.
 */
function ownCpu(entry: ProcEntry, current: ProcSnapshot, previous: ProcSnapshot | undefined): number {
  if (!previous) return 0;
  const seconds = (current.table.takenAt - previous.table.takenAt) / 1000;
  if (seconds <= 0) return 0;
  const before = previous.table.processes.get(entry.pid);
  let ticks: number;
  // Figures the previous scan carried over from an earlier one are not of this interval.
  if (before?.startTime === entry.startTime) ticks = isFresh(previous.table, entry.pid) ? entry.cpuTicks - before.cpuTicks : 0;
  else ticks = entry.startTime >= previous.table.uptimeTicks ? entry.cpuTicks : 0;
  return (Math.max(0, ticks) / current.table.clockTicks / seconds) * 100;
}

/**
 * Every process of the machine (htop's list) from one scan. Command lines and uids are read
 * once per process and cached, so a steady system costs one scan and no extra reads per tick.
 * Computed only when asked (while someone is looking at the list).
 */
export class SystemProcessLister {
  constructor(
    private readonly texts = new ProcessTextCache(),
    private readonly users = new UserNames(),
  ) {}

  /** `current` should come from a scan with nice values (readProcTable({ nice: true })); without, nice reads 0. */
  list(current: ProcSnapshot, previous: ProcSnapshot | undefined, query: SystemProcessQuery, at = Date.now()): SystemProcessList {
    return this.order(this.rows(current, previous), query, at);
  }

  /** Every process of the scan as a row, unordered: one set of rows serves every viewer's query. */
  rows(current: ProcSnapshot, previous: ProcSnapshot | undefined): SystemProcess[] {
    const { processes, nice } = current.table;
    this.texts.prune(processes);
    const rows: SystemProcess[] = [];
    for (const entry of processes.values()) {
      const uid = this.texts.uid(entry);
      rows.push({
        pid: entry.pid,
        ppid: entry.ppid,
        startTime: entry.startTime,
        uid,
        user: uid < 0 ? '?' : this.users.name(uid),
        command: this.texts.command(entry),
        cpu: ownCpu(entry, current, previous),
        rss: entry.rss,
        state: entry.state,
        nice: nice?.get(entry.pid) ?? 0,
        threads: entry.threads,
        depth: 0,
      });
    }
    return rows;
  }

  /** One query's list from the rows (which it does not modify). */
  order(rows: readonly SystemProcess[], query: SystemProcessQuery, at = Date.now()): SystemProcessList {
    return { at, total: rows.length, processes: orderProcesses(rows, query) };
  }
}
