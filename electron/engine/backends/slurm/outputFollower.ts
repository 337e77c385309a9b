import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface FollowOptions {
  /** How often the file is looked at. inotify does not see writes made on another node of a shared file system, so this polls. */
  intervalMs?: number;
  /** At most this much is read per look, so a job writing fast cannot make one look unbounded. */
  maxBytesPerRead?: number;
}

export type FollowEvent = { kind: 'text'; text: string } | { kind: 'truncated'; size: number };

/**
 * Follows a Slurm job's output file from where Procdeck last read: text as it is appended
 * (UTF-8 kept whole across reads), nothing while the file does not exist yet (slurmstepd
 * creates it when the job starts), and a `truncated` event when it shrinks (then from 0).
 */
export class OutputFollower {
  private offset = 0;
  private readonly decoder = new StringDecoder('utf8');
  private timer: NodeJS.Timeout | undefined;
  private readonly buffer: Buffer;

  constructor(
    readonly path: string,
    private readonly onEvent: (event: FollowEvent) => void,
    private readonly options: FollowOptions = {},
  ) {
    this.buffer = Buffer.alloc(options.maxBytesPerRead ?? 1 << 20);
  }

  get bytesRead(): number {
    return this.offset;
  }

  start(): this {
    this.timer ??= setInterval(() => this.poll(), this.options.intervalMs ?? 500);
    return this;
  }

  /** One look at the file; the timer calls this, and so may a caller that knows the job has ended. Returns the bytes read. */
  poll(): number {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return 0; // not there yet (or gone): the next look will tell
    }
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) {
        this.offset = 0;
        this.onEvent({ kind: 'truncated', size });
      }
      let total = 0;
      while (this.offset < size && total < this.buffer.length) {
        const n = readSync(fd, this.buffer, 0, Math.min(this.buffer.length - total, size - this.offset), this.offset);
        if (n === 0) break;
        this.offset += n;
        total += n;
        const text = this.decoder.write(this.buffer.subarray(0, n));
        if (text) this.onEvent({ kind: 'text', text });
      }
      return total;
    } finally {
      closeSync(fd);
    }
  }

  /** Stops the timer after a last look, so what the job wrote before it ended is not lost. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    while (this.poll() > 0) {
      // each look reads at most maxBytesPerRead: read on to the end
    }
    const rest = this.decoder.end();
    if (rest) this.onEvent({ kind: 'text', text: rest });
  }
}
