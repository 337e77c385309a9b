// What the peer bench reads from /proc: which processes exist, who started them, what they
// cost. Every figure of every manager comes from here, so all three are measured the same way.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { clockTicksPerSecond, memoryPageSize } from '../../../electron/engine/monitor/systemConstants';
import { parseProcStat, type ProcEntry } from '../../../electron/engine/monitor/procStat';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined; // gone while we looked
  }
}

export function pidsInProc(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

export function statOf(pid: number): ProcEntry | undefined {
  const text = readText(`/proc/${pid}/stat`);
  return text === undefined ? undefined : parseProcStat(text, memoryPageSize());
}

export function commandLine(pid: number): string | undefined {
  return readText(`/proc/${pid}/cmdline`)?.replaceAll('\0', ' ').trim();
}

/** In /proc at all: a zombie still is (its parent has not reaped it yet). */
export const inProc = (pid: number) => readText(`/proc/${pid}/stat`) !== undefined;

/** The processes whose command line contains `marker` (every job of a bench step carries one). */
export class MarkedProcesses {
  // Processes that existed before the jobs were asked for are not jobs: skip re-reading them
  // (a scan then costs little CPU next to the managers being timed).
  private readonly before: Set<number>;

  constructor(
    readonly marker: string,
    onlyNew = true,
  ) {
    this.before = new Set(onlyNew ? pidsInProc() : []);
  }

  /** Marked processes now, zombies excluded unless asked for. */
  scan(withZombies = false): number[] {
    const found: number[] = [];
    for (const pid of pidsInProc()) {
      if (this.before.has(pid)) continue;
      if (!commandLine(pid)?.includes(this.marker)) continue;
      if (!withZombies && statOf(pid)?.state === 'Z') continue;
      found.push(pid);
    }
    return found;
  }
}

/** Every process whose parent chain reaches one of `roots` (the roots included), from one /proc scan. */
export function processTree(roots: readonly number[]): ProcEntry[] {
  const entries = pidsInProc()
    .map(statOf)
    .filter((e): e is ProcEntry => e !== undefined);
  const children = new Map<number, ProcEntry[]>();
  for (const e of entries) children.set(e.ppid, [...(children.get(e.ppid) ?? []), e]);
  const byPid = new Map(entries.map((e) => [e.pid, e]));
  const tree: ProcEntry[] = [];
  const queue = roots.map((pid) => byPid.get(pid)).filter((e): e is ProcEntry => e !== undefined);
  const seen = new Set<number>();
  while (queue.length > 0) {
    const entry = queue.shift()!;
    if (seen.has(entry.pid)) continue;
    seen.add(entry.pid);
    tree.push(entry);
    queue.push(...(children.get(entry.pid) ?? []));
  }
  return tree;
}

/**
 * The manager's own processes: the tree from `roots`, without the jobs (processes carrying
 * `jobMarker` in their command line) and without anything a job started.
 */
export function managerProcesses(roots: readonly number[], jobMarkers: readonly string[]): ProcEntry[] {
  const tree = processTree(roots);
  const jobs = new Set<number>();
  for (const e of tree) {
    const line = commandLine(e.pid) ?? '';
    if (jobMarkers.some((m) => line.includes(m)) || jobs.has(e.ppid)) jobs.add(e.pid);
  }
  return tree.filter((e) => !jobs.has(e.pid) && e.state !== 'Z');
}

export interface Memory {
  /** VmRSS, RssAnon (heap, stacks), RssFile (mapped binaries and libraries), VmHWM (peak RSS), Pss: bytes. */
  rss: number;
  anon: number;
  file: number;
  peak: number;
  pss: number;
}

const kib = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;

export function memoryOf(pid: number): Memory | undefined {
  const status = readText(`/proc/${pid}/status`);
  if (status === undefined) return undefined;
  const rollup = readText(`/proc/${pid}/smaps_rollup`) ?? '';
  return {
    rss: kib(status, 'VmRSS'),
    anon: kib(status, 'RssAnon'),
    file: kib(status, 'RssFile'),
    peak: kib(status, 'VmHWM'),
    pss: kib(rollup, 'Pss'),
  };
}

/** Sets VmHWM back to the current RSS (proc(5), clear_refs "5"), so the next peak is this step's. */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/**
 * CPU time of a set of processes, two ways: utime+stime from /proc/<pid>/stat (clock ticks:
 * 10 ms steps, but it keeps the time of threads that have exited) and the sum of each thread's
 * schedstat run time (nanoseconds). Both are kept: the second resolves 0.05 % of a core in a
 * 30 s window, the first checks it.
 */
export interface CpuTime {
  statMs: number;
  schedMs: number;
}

export function cpuTimeOf(pids: readonly number[]): CpuTime {
  let ticks = 0;
  let ns = 0;
  for (const pid of pids) {
    ticks += statOf(pid)?.cpuTicks ?? 0;
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) ns += Number(readText(`/proc/${pid}/task/${tid}/schedstat`)?.split(' ')[0] ?? 0);
  }
  return { statMs: (ticks * 1000) / clockTicksPerSecond(), schedMs: ns / 1e6 };
}

export function loadAverage(): string {
  return (readText('/proc/loadavg') ?? '').split(' ').slice(0, 3).join(' ');
}
