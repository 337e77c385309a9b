import { readdirSync } from 'node:fs';
import { uptime } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseProcStat, withLiveThreadsMemory, type ProcEntry } from './procStat';
import { otherThreadStat, readSmall } from './statReader';
import { clockTicksPerSecond, memoryPageSize } from './systemConstants';

/** Every process of the system at one moment, from one pass over /proc. */
export interface ProcTable {
  /** performance.now() when the scan started. */
  readonly takenAt: number;
  /** Time since boot when the scan started, in clock ticks: comparable with ProcEntry.startTime. */
  readonly uptimeTicks: number;
  /** Clock ticks per second, the unit of the CPU times and start times. */
  readonly clockTicks: number;
  readonly processes: ReadonlyMap<number, ProcEntry>;
  /**
   * Pids whose entry was read by this scan. Absent when every entry was (a full scan); an
   * incremental scan carries the other entries over from an earlier scan, so their CPU
   * times are older than takenAt and must not be compared as if they were taken then.
   */
  readonly fresh?: ReadonlySet<number>;
  /**
   * Pids this scan read that the scan before it did not have, or had with another start time
   * (new processes, pids handed out again). Absent when not known (no scan before it): take
   * every process as new.
   */
  readonly born?: readonly number[];
  /** pid → nice value (stat field 19), present when the scan was asked for it. */
  readonly nice?: ReadonlyMap<number, number>;
}

export interface ProcTableOptions {
  /** Also collect nice values (the system process list shows them; job sampling does not need them). */
  nice?: boolean;
}

/** Field 19 of a stat line (nice, -20…19); undefined when the text is not a stat line. */
export function parseNice(text: string): number | undefined {
  const value = Number(text.slice(text.lastIndexOf(')') + 2).split(' ', 17)[16]);
  return Number.isInteger(value) ? value : undefined;
}

/** Time since boot in clock ticks, from /proc/uptime (`text`: its content when already read). */
export function readUptimeTicks(clockTicks: number, text = readSmall('/proc/uptime')): number {
  const seconds = text === undefined ? Number.NaN : Number.parseFloat(text);
  return Math.floor((Number.isFinite(seconds) ? seconds : uptime()) * clockTicks);
}

/** True when the table's entry for `pid` was read by its own scan (see ProcTable.fresh). */
export function isFresh(table: ProcTable, pid: number): boolean {
  return table.fresh === undefined || table.fresh.has(pid);
}

/** Scans /proc once: one read of /proc/<pid>/stat per process. Linux only (throws if /proc is missing). */
export function readProcTable(options: ProcTableOptions = {}): ProcTable {
  const clockTicks = clockTicksPerSecond();
  const pageSize = memoryPageSize();
  const takenAt = performance.now();
  const uptimeTicks = readUptimeTicks(clockTicks);
  const processes = new Map<number, ProcEntry>();
  const nice = options.nice ? new Map<number, number>() : undefined;
  for (const name of readdirSync('/proc')) {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const text = readSmall(`/proc/${name}/stat`);
    if (text === undefined) continue;
    const parsed = parseProcStat(text, pageSize);
    if (!parsed) continue;
    const entry = withLiveThreadsMemory(parsed, pageSize, otherThreadStat);
    processes.set(entry.pid, entry);
    if (nice) nice.set(entry.pid, parseNice(text) ?? 0);
  }
  return { takenAt, uptimeTicks, clockTicks, processes, nice };
}
