import { readFileSync, statSync } from 'node:fs';
import type { ProcEntry } from './procStat';
import { otherThreads } from './statReader';

/** A vanished process or a refused read: the caller falls back to what the scan knows. */
function quietly<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * The command line of a process: /proc/PID/cmdline has its arguments NUL-separated. Kernel
 * threads and zombies have an empty one; htop shows their comm in brackets, and so do we. A
 * process whose first thread ended while others run reads empty too: a live thread's is its own.
 */
export function readCommandLine(pid: number, comm: string): string {
  const raw = quietly(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8')) || otherThreadCommandLine(pid);
  if (!raw) return `[${comm}]`;
  const text = raw.replace(/\0+$/, '').replaceAll('\0', ' ').trim();
  return text || `[${comm}]`;
}

function otherThreadCommandLine(pid: number): string | undefined {
  for (const tid of quietly(() => otherThreads(pid)) ?? []) {
    const raw = quietly(() => readFileSync(`/proc/${pid}/task/${tid}/cmdline`, 'utf8'));
    if (raw) return raw;
  }
  return undefined;
}

/** Owner of /proc/PID: the process's effective uid (htop's method, one stat call, no read). */
export function readProcessUid(pid: number): number | undefined {
  return quietly(() => statSync(`/proc/${pid}`).uid);
}

interface TextEntry {
  key: string;
  command: string;
  uid: number;
}

/**
 * Command lines and uids, read once per process. The key is pid + start time (pid reuse) +
 * comm: a forked child shows its parent's command line until it execs, and exec changes
 * comm and the command line but neither the pid nor the start time.
 */
export class ProcessTextCache {
  private readonly entries = new Map<number, TextEntry>();

  private entryOf(entry: ProcEntry): TextEntry {
    const key = `${entry.startTime}:${entry.comm}`;
    const cached = this.entries.get(entry.pid);
    if (cached?.key === key) return cached;
    const fresh = { key, command: readCommandLine(entry.pid, entry.comm), uid: readProcessUid(entry.pid) ?? -1 };
    this.entries.set(entry.pid, fresh);
    return fresh;
  }

  command(entry: ProcEntry): string {
    return this.entryOf(entry).command;
  }

  uid(entry: ProcEntry): number {
    return this.entryOf(entry).uid;
  }

  /** Drops entries of pids that are no longer in the scan. */
  prune(live: ReadonlyMap<number, ProcEntry>): void {
    for (const pid of this.entries.keys()) if (!live.has(pid)) this.entries.delete(pid);
  }

  get size(): number {
    return this.entries.size;
  }
}
