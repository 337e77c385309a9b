import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The two ends of a kernel pipe: the engine reads `readFd`, the child gets `writeFd` as its
 * stdout or stderr. Both are close-on-exec (libuv opens every file O_CLOEXEC): only the child
 * it is given to has the write end, dup2'd over its fd 1 or 2.
 */
export interface OutputPipe {
  readFd: number;
  writeFd: number;
}

/** Where a spawn gets real pipes for a job's output; undefined: use libuv's socketpair. */
export interface PipeSource {
  take(): OutputPipe | undefined;
}

/** FIFOs of the first batch, made at open and waited for (one `mkfifo`, ~0.2–0.3 ms a FIFO on this machine's ext4). */
export const FIFO_BATCH = 64;
/** FIFOs of each later batch, made in the background: one `mkfifo`, a fork of the engine, per 64 runs. */
export const REFILL_BATCH = 128;
/**
 * How many the pool keeps ready, batch after batch from the open on: enough for a burst of
 * 100-odd runs (two a run). A run that finds the pool empty gets libuv's socketpair, whose EOF
 * at the job's death the engine cannot hold back (spawnProcess.ts): a burst of stops would then
 * wait on its EOFs before the reaping.
 */
export const POOL_TARGET = FIFO_BATCH + 2 * REFILL_BATCH;
/** mkfifo failing this many times in a row (missing, a full disk) leaves the pool off: every spawn uses the socketpair. */
const MAX_FAILURES = 3;

const { O_RDONLY, O_WRONLY, O_NONBLOCK, O_NOFOLLOW } = constants;

/** Closes an fd that may already be closed. */
export function closeFd(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to give back.
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already.
  }
}

/**
 * Real pipes for jobs' stdout and stderr, made from FIFOs. Node cannot call pipe(2), and
 * libuv gives a child's 'pipe' stdio a socketpair, whose reads and writes cost the kernel more
 * (a bare reader: ~1.2 against ~1.55 s of system time a GiB). A FIFO opened at both ends and
 * then unlinked is an anonymous pipe like pipe(2)'s. The FIFOs are made ahead, in batches, by
 * one `mkfifo` process, so a spawn never waits for one; when none is ready the spawn uses the
 * socketpair, as before.
 *
 * Containment: the directory is the engine's, 0700, under its data directory (hidden from a
 * sandboxed job, closed to a job of another user); a FIFO's path exists only from its batch
 * until the spawn that takes it, which unlinks it at once after opening both ends. The opens
 * are O_NOFOLLOW and checked to be one FIFO, and the write end's open is non-blocking (with
 * the read end open it cannot fail, so if the path were not ours any more it fails instead of
 * hanging the engine). A previous engine's FIFOs are removed unused. What this is not: a
 * boundary against a job of the engine's own user outside any sandbox. That job can enter the
 * directory as it can the rest of the data directory (and signal the other jobs), and a real
 * pipe, unlike a socket, can be opened again through /proc/<pid>/fd by a process allowed to
 * look there, as with supervisord's pipes.
 */
export class FifoPool implements PipeSource {
  private readonly ready: string[] = [];
  private filling = false;
  private failures = 0;
  private disabled = false;
  private made = 0;
  /** The batch being made in the background: its mkfifo, its paths, and when it is over. */
  private batch?: { child: ChildProcess; paths: string[]; ended: Promise<void> };
  /** Names no earlier engine's batch used. */
  private readonly prefix = randomBytes(6).toString('hex');

  constructor(private readonly dir: string) {
    try {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // ENOTEMPTY: a killed engine's background mkfifo is still adding to it. Its entries
        // go one by one; what it adds after has another prefix, is never taken, and goes at
        // the next open.
        for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
      }
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chmodSync(dir, 0o700);
    } catch {
      this.disabled = true;
      return;
    }
    // The first batch now, while the engine opens (a few ms, once): its first runs get pipes too.
    const paths = this.nextPaths(FIFO_BATCH);
    const made = spawnSync('mkfifo', ['-m', '600', '--', ...paths], { stdio: 'ignore' });
    // The next batches wait for the first run (take): an engine that runs nothing forks no
    // mkfifo, and nothing is being made in its data directory while it idles.
    this.batchDone(paths, made.status === 0, false);
  }

  /** FIFOs made and not yet taken. */
  get size(): number {
    return this.ready.length;
  }

  take(): OutputPipe | undefined {
    const path = this.ready.pop();
    this.refill();
    return path === undefined ? undefined : openBothEnds(path);
  }

  /**
   * The engine is closing: its unused FIFOs go (the next engine would remove them anyway), and
   * a batch still being made is stopped and waited for, so no FIFO appears in the directory
   * after this (whoever removes the data directory next would race it).
   */
  async dispose(): Promise<void> {
    this.disabled = true;
    for (const path of this.ready.splice(0)) unlinkQuietly(path);
    const batch = this.batch;
    if (!batch) return;
    batch.child.kill('SIGKILL');
    await batch.ended;
    for (const path of batch.paths) unlinkQuietly(path);
  }

  private nextPaths(count: number): string[] {
    return Array.from({ length: count }, () => join(this.dir, `${this.prefix}-${this.made++}`));
  }

  /** `topUp`: a background batch follows while a whole one fits under POOL_TARGET (batch after batch once runs have started). */
  private batchDone(paths: string[], ok: boolean, topUp = true): void {
    if (ok && !this.disabled) {
      this.failures = 0;
      this.ready.push(...paths);
      if (topUp) this.refill();
      return;
    }
    for (const path of paths) unlinkQuietly(path);
    if (++this.failures >= MAX_FAILURES) this.disabled = true;
  }

  /** A new batch in the background, while a whole one fits under POOL_TARGET: the engine goes on, spawns meanwhile take what is left or use the socketpair. */
  private refill(): void {
    if (this.filling || this.disabled || this.ready.length + REFILL_BATCH > POOL_TARGET) return;
    this.filling = true;
    const paths = this.nextPaths(REFILL_BATCH);
    let ended!: () => void;
    const done = (ok: boolean) => {
      if (!this.filling) return;
      this.filling = false;
      this.batch = undefined;
      this.batchDone(paths, ok);
      ended();
    };
    try {
      const child = spawn('mkfifo', ['-m', '600', '--', ...paths], { stdio: 'ignore' });
      this.batch = { child, paths, ended: new Promise<void>((resolve) => (ended = resolve)) };
      child.once('error', () => done(false));
      child.once('exit', (code) => done(code === 0));
      // Not a reason to keep the engine's event loop alive.
      child.unref();
    } catch {
      ended = () => undefined;
      done(false);
    }
  }
}

/** Opens a FIFO's read end, then its write end, and unlinks it: the pipe lives on with no name. */
function openBothEnds(path: string): OutputPipe | undefined {
  let readFd = -1;
  let writeFd = -1;
  try {
    // Non-blocking: a FIFO's read end opens at once even with no writer yet.
    readFd = openSync(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
    writeFd = openSync(path, O_WRONLY | O_NONBLOCK | O_NOFOLLOW);
    const read = fstatSync(readFd);
    const write = fstatSync(writeFd);
    if (!read.isFIFO() || read.ino !== write.ino || read.dev !== write.dev) throw new Error(`${path} is not the FIFO it was`);
    return { readFd, writeFd };
  } catch {
    if (writeFd >= 0) closeFd(writeFd);
    if (readFd >= 0) closeFd(readFd);
    return undefined;
  } finally {
    unlinkQuietly(path);
  }
}

/** Closes both ends of pipes a spawn did not use. */
export function closePipes(...pipes: (OutputPipe | undefined)[]): void {
  for (const pipe of pipes) {
    if (!pipe) continue;
    closeFd(pipe.writeFd);
    closeFd(pipe.readFd);
  }
}

