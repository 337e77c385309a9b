import { closeSync, constants, openSync, readdirSync, readFileSync, readSync } from 'node:fs';

// A stat line is a few hundred bytes; one buffer serves every read of every scan.
const buffer = Buffer.alloc(4096);

// A process can exit between readdir and open (ENOENT) or between open and read (ESRCH);
// hidepid and LSMs can refuse single entries (EACCES, EPERM). None of these is an error of the scan.
const VANISHED = new Set(['ENOENT', 'ESRCH', 'EACCES', 'EPERM']);

export function isVanished(error: unknown): boolean {
  return VANISHED.has((error as NodeJS.ErrnoException).code ?? '');
}

/** Reads a small procfs file from offset 0 of an open fd into the shared buffer; returns its length. */
function readAt(fd: number): number {
  return readSync(fd, buffer, 0, buffer.length, 0);
}

/** Reads a small file (procfs) without fstat or allocation. Undefined if it is gone. */
export function readSmall(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch (error) {
    if (isVanished(error)) return undefined;
    throw error;
  }
  try {
    return buffer.toString('utf8', 0, readAt(fd));
  } catch (error) {
    if (isVanished(error)) return undefined;
    throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * The stat line of one of the process's threads other than its first (/proc/<pid>/task/<tid>/stat),
 * undefined when it has none or it is gone. A leader whose own thread has ended reads RSS 0 in
 * its stat (the kernel reports an exited thread's memory as none), while its other threads
 * share the whole of it: theirs is the process's memory.
 */
export function otherThreadStat(pid: number): string | undefined {
  for (const tid of otherThreads(pid)) {
    const text = readSmall(`/proc/${pid}/task/${tid}/stat`);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** The ids of the process's threads other than its first (/proc/<pid>/task), none when it is gone. */
export function otherThreads(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`).filter((tid) => tid !== String(pid));
  } catch (error) {
    if (isVanished(error)) return [];
    throw error;
  }
}

/** The soft RLIMIT_NOFILE of this process (/proc/self/limits); undefined when unlimited or unreadable. */
export function openFileSoftLimit(): number | undefined {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How many stat fds the monitor may keep open: at most 512, and at most a quarter of the soft
 * open-file limit, so it never starves the engine (pipes and log files of every job). Node
 * raises its soft limit to the hard one at start; Electron's main process may not, and the
 * usual soft limit of 1024 then allows 256.
 */
export function defaultFdCapacity(softLimit = openFileSoftLimit() ?? 1024): number {
  return Math.max(0, Math.min(512, Math.floor(softLimit / 4)));
}

interface KeptFd {
  pid: number;
  fd: number;
  /** The scan that last read it. */
  scan: number;
}

/**
 * Reads /proc/<pid>/stat, keeping the file open for processes that are read every tick: a
 * pread at offset 0 of a kept fd regenerates the line (about 3× cheaper than open + read +
 * close). A kept fd belongs to one process, not to a pid: once that process is reaped, reads
 * fail with ESRCH, so a reused pid is never read through an old fd (it is reopened instead).
 * Past `capacity` kept fds, reads fall back to open + read + close.
 */
export class StatReader {
  private readonly kept = new Map<number, KeptFd>();
  private scan = 0;

  constructor(readonly capacity = defaultFdCapacity()) {}

  /** Starts a scan: fds not read from the previous scan on are closed by endScan(). */
  beginScan(): void {
    this.scan++;
  }

  /** Where read() leaves the bytes of the line; valid until the next read. */
  readonly bytes: Buffer = buffer;

  /**
   * Reads the stat line of `pid` into `bytes` and returns its length, or -1 when the process
   * is gone (or refused). With `keep` the fd stays open for the next scans, if there is room.
   */
  read(pid: number, keep: boolean): number {
    const kept = this.kept.get(pid);
    if (kept) {
      try {
        const length = readAt(kept.fd);
        kept.scan = this.scan;
        return length;
      } catch (error) {
        this.drop(kept);
        if (!isVanished(error)) throw error;
        // The process it belonged to is gone; the pid may name a new one: open it afresh.
      }
    }
    let fd: number;
    try {
      fd = openSync(`/proc/${pid}/stat`, constants.O_RDONLY);
    } catch (error) {
      if (isVanished(error)) return -1;
      throw error;
    }
    let length: number;
    try {
      length = readAt(fd);
    } catch (error) {
      closeSync(fd);
      if (isVanished(error)) return -1;
      throw error;
    }
    if (keep && this.kept.size < this.capacity) this.kept.set(pid, { pid, fd, scan: this.scan });
    else closeSync(fd);
    return length;
  }

  /** Room left for kept fds. */
  get room(): number {
    return this.capacity - this.kept.size;
  }

  /** Closes the fds that this scan did not read (processes gone, or no longer read every tick). */
  endScan(): void {
    // forEach: a for-of step allocates in the unoptimized code this runs in (once a tick). Deleting the entry visited is allowed.
    this.kept.forEach((kept) => {
      if (kept.scan !== this.scan) this.drop(kept);
    });
  }

  get openCount(): number {
    return this.kept.size;
  }

  dispose(): void {
    for (const kept of this.kept.values()) this.drop(kept);
  }

  private drop(kept: KeptFd): void {
    this.kept.delete(kept.pid);
    try {
      closeSync(kept.fd);
    } catch {
      // Already closed: nothing to release.
    }
  }
}

/**
 * One procfs file read again and again (/proc/uptime, /proc/loadavg, /proc/stat, /proc/meminfo)
 * through a kept-open fd: a pread at offset 0 regenerates its content, without the open, fstat
 * and close of readFileSync. The file is reopened after a failed read.
 */
export class ProcFile {
  private fd?: number;
  private bytes = Buffer.alloc(4096);

  constructor(readonly path: string) {}

  /** The file's text, or undefined when it cannot be read. */
  read(): string | undefined {
    try {
      this.fd ??= openSync(this.path, constants.O_RDONLY);
      for (;;) {
        const length = readSync(this.fd, this.bytes, 0, this.bytes.length, 0);
        // A full buffer may mean more to come: read it whole again into a larger one.
        if (length < this.bytes.length) return this.bytes.toString('latin1', 0, length);
        this.bytes = Buffer.alloc(this.bytes.length * 2);
      }
    } catch {
      this.close();
      return undefined;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Nothing left to release.
    }
  }
}
