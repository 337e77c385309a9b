import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Append-only log file capped at maxBytes per file; when full it becomes `<path>.1`
 * (older ones shift up) and at most filesKept files exist, so disk use is bounded by
 * maxBytes × filesKept.
 *
 * Writes are synchronous on purpose: the caller is a pipe 'data' handler, so a slow disk
 * slows the reading of the pipe, which in turn blocks the writer process (backpressure)
 * instead of piling up chunks in our heap.
 */
export class RotatingLogFile {
  private fd: number;
  private size = 0;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
    private readonly filesKept: number,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
  }

  write(chunk: Uint8Array): void {
    if (this.closed) return;
    let offset = 0;
    while (offset < chunk.length) {
      if (this.size >= this.maxBytes) this.rotate();
      const room = this.maxBytes - this.size;
      const n = Math.min(room, chunk.length - offset);
      writeSync(this.fd, chunk, offset, n);
      this.size += n;
      offset += n;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    if (this.filesKept <= 1) {
      rmSync(this.path, { force: true });
    } else {
      rmSync(`${this.path}.${this.filesKept - 1}`, { force: true });
      for (let i = this.filesKept - 2; i >= 1; i--) {
        try {
          renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
        } catch {
          // that generation does not exist yet
        }
      }
      renameSync(this.path, `${this.path}.1`);
    }
    this.fd = openSync(this.path, 'a');
    this.size = 0;
  }
}
