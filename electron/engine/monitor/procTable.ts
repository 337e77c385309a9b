import { closeSync, constants, openSync, readdirSync, readSync } from 'node:fs';
import { uptime } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseProcStat, type ProcEntry } from './procStat';
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

// A stat line is a few hundred bytes; one buffer serves every read of every scan.
const buffer = Buffer.alloc(4096);

// A process can exit between readdir and open (ENOENT) or between open and read (ESRCH);
// hidepid and LSMs can refuse single entries (EACCES, EPERM). None of these is an error of the scan.
const VANISHED = new Set(['ENOENT', 'ESRCH', 'EACCES', 'EPERM']);

function isVanished(error: unknown): boolean {
  return VANISHED.has((error as NodeJS.ErrnoException).code ?? '');
}

/** Reads a small file (procfs) without fstat or allocation. Undefined if it is gone. */
function readSmall(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch (error) {
    if (isVanished(error)) return undefined;
    throw error;
  }
  try {
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (isVanished(error)) return undefined;
    throw error;
  } finally {
    closeSync(fd);
  }
}

function readUptimeTicks(clockTicks: number): number {
  const text = readSmall('/proc/uptime');
  const seconds = text === undefined ? Number.NaN : Number.parseFloat(text);
  return Math.floor((Number.isFinite(seconds) ? seconds : uptime()) * clockTicks);
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
    const entry = parseProcStat(text, pageSize);
    if (!entry) continue;
    processes.set(entry.pid, entry);
    if (nice) nice.set(entry.pid, parseNice(text) ?? 0);
  }
  return { takenAt, uptimeTicks, clockTicks, processes, nice };
}
