import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../store/atomicJson';
import { describeFsError } from '../store/fsErrors';
import { formatBytes } from '../../../shared/format';
import type { LogFileAccount } from './logSpace';

/** How often a log whose writes fail tries again (on its next output). */
export const LOG_RETRY_MS = 1000;

export interface LogFileListener {
  /** Writing failed (the disk is full, the directory is gone…): output is not being saved. */
  stopped(reason: string): void;
  /** Writing works again; lostBytes of output never reached the file. */
  resumed(lostBytes: number, reason: string): void;
}

/** What the file's lines look like (logFileFormat.ts): its first line, and Procdeck's own lines. */
export interface LogFileFormat {
  header: Uint8Array;
  note(text: string): Uint8Array;
  /** What a part that starts inside `chunk` writes after its header, before the rest of it (the chunk's time line). */
  repeatedAfterCut?(chunk: Uint8Array): Uint8Array | undefined;
}

const NEWLINE = 0x0a;

interface Failure {
  reason: string;
  lostBytes: number;
  retryAt: number;
}

/**
 * Append-only log file capped at maxBytes per file; when full it becomes `<path>.1`
 * (older ones shift up) and at most filesKept files exist, so disk use is bounded by
 * maxBytes × filesKept. What it is given is whole lines (entries, see logFileFormat.ts): a file
 * is cut after a line, so each file starts with the format's header and then a whole entry,
 * unless a single entry is longer than a whole file; a part that starts inside a chunk first
 * repeats what the format says it needs of it (the time of the chunk's read).
 *
 * Writes are synchronous on purpose: the caller is a pipe 'data' handler, so a slow disk
 * slows the reading of the pipe, which in turn blocks the writer process (backpressure)
 * instead of piling up chunks in our heap.
 *
 * A write that fails (ENOSPC on a full disk, a directory removed or replaced) never throws:
 * the file stops, the listener hears why, output is counted as lost, and the next output
 * after LOG_RETRY_MS tries again; once a write succeeds the file says how much is missing, on a
 * line of its own (a short write may have cut the last line).
 *
 * The account (the log budget's, logSpace.ts) hears of every byte written and every file made
 * or deleted, so the space all logs take is known without walking the tree.
 *
 * The file (and its directory) is made at the first write, not before: a run that writes
 * nothing, and that the engine has nothing to say about, leaves no file (readers take a missing
 * file of a run with no output as empty, savedRunTail.ts). Making them is kernel work that
 * counts: on this project's VM a directory and a file cost ~0.5-1 ms of CPU each (ext4
 * metadata), a third of the engine's whole cost of a short job, on its one thread.
 */
export class RotatingLogFile {
  private fd?: number;
  private size = 0;
  /** The size of the current part once its header (and what it repeats of a cut chunk) is in: no entry yet. */
  private emptySize = 0;
  /** The last byte written was not a newline: a short write cut a line. */
  private endsInsideLine = false;
  private closed = false;
  private failure?: Failure;

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
    private readonly filesKept: number,
    private readonly format: LogFileFormat,
    private readonly listener?: LogFileListener,
    private readonly account?: LogFileAccount,
  ) {}

  write(chunk: Uint8Array): void {
    if (this.closed) return;
    if (this.failure && !this.recover()) {
      this.failure.lostBytes += chunk.length;
      return;
    }
    this.writeOrFail(chunk);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.account?.closed();
  }

  private writeOrFail(chunk: Uint8Array): boolean {
    let offset = 0;
    try {
      while (offset < chunk.length) {
        if (this.fd === undefined) this.open();
        if (this.size >= this.maxBytes) this.rotate(chunk, offset);
        let length = Math.min(this.maxBytes - this.size, chunk.length - offset);
        if (length < chunk.length - offset) {
          const lastLineEnd = chunk.lastIndexOf(NEWLINE, offset + length - 1);
          if (lastLineEnd >= offset) length = lastLineEnd + 1 - offset;
          else if (this.size > this.emptySize) {
            this.rotate(chunk, offset); // not even one more entry fits: it starts the next file
            continue;
          }
          // Otherwise one entry is longer than a whole file: it is cut (the reader joins it up).
        }
        offset += this.writeSome(chunk, offset, length);
      }
      return true;
    } catch (error) {
      this.fail(error, chunk.length - offset);
      return false;
    }
  }

  /** Tries again at most every LOG_RETRY_MS; true once the file works (and says what it missed). */
  private recover(): boolean {
    const failure = this.failure!;
    if (Date.now() < failure.retryAt) return false;
    this.failure = undefined;
    const said = this.format.note(`${formatBytes(failure.lostBytes)} of output missing here: the log file could not be written (${failure.reason})`);
    // The note starts a line of its own, also after a write the full disk cut short.
    const note = this.endsInsideLine ? Buffer.concat([Buffer.from('\n'), said]) : said;
    if (!this.writeOrFail(note)) {
      // Still failing: the note was not written either; keep the first reason and the count.
      this.failure = { ...failure, retryAt: Date.now() + LOG_RETRY_MS };
      return false;
    }
    this.listener?.resumed(failure.lostBytes, failure.reason);
    return true;
  }

  private fail(error: unknown, unwrittenBytes: number): void {
    if (this.failure) {
      this.failure.lostBytes += unwrittenBytes;
      this.failure.retryAt = Date.now() + LOG_RETRY_MS;
      return;
    }
    const reason = describeFsError(error);
    this.failure = { reason, lostBytes: unwrittenBytes, retryAt: Date.now() + LOG_RETRY_MS };
    this.listener?.stopped(reason);
  }

  private open(): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: PRIVATE_DIR_MODE });
    const fd = openSync(this.path, 'a', PRIVATE_FILE_MODE);
    this.fd = fd;
    this.size = fstatSync(fd).size;
    this.emptySize = this.format.header.length;
    if (this.size === 0) {
      this.account?.created();
      this.writeSome(this.format.header, 0, this.format.header.length);
    }
  }

  /** One write(2); a short one is possible on a regular file just before ENOSPC: what went is counted. */
  private writeSome(chunk: Uint8Array, offset: number, length: number): number {
    const n = writeSync(this.fd!, chunk, offset, length);
    this.size += n;
    if (n > 0) this.endsInsideLine = chunk[offset + n - 1] !== NEWLINE;
    this.account?.wrote(n);
    return n;
  }

  /** The next part; one that starts inside `chunk` (past its `offset` 0) first repeats what the format asks. */
  private rotate(chunk: Uint8Array, offset: number): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.filesKept <= 1) {
      this.remove(this.path);
    } else {
      this.remove(`${this.path}.${this.filesKept - 1}`);
      for (let i = this.filesKept - 2; i >= 1; i--) {
        try {
          renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
        } catch {
          // that generation does not exist yet
        }
      }
      renameSync(this.path, `${this.path}.1`);
    }
    this.open();
    const repeated = offset > 0 ? this.format.repeatedAfterCut?.(chunk) : undefined;
    if (repeated) {
      this.writeSome(repeated, 0, repeated.length);
      this.emptySize = this.size;
    }
  }

  /** The oldest part goes; the account hears its size (it may be gone already: the budget deleted it). */
  private remove(path: string): void {
    let size: number | undefined;
    try {
      size = lstatSync(path).size;
    } catch {
      return;
    }
    rmSync(path, { force: true });
    this.account?.removed(size);
  }
}
