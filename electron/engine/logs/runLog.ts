import type { LogChunk, LogStream } from '../../../shared/jobSnapshot';
import { formatBytes } from './formatBytes';
import { LogTail } from './logTail';
import { RotatingLogFile } from './rotatingLogFile';

export interface RunLogOptions {
  filePath: string;
  fileMaxBytes: number;
  filesKept: number;
  tailMaxBytes: number;
  /**
   * Most output one drain (one tick) passes on live. A job printing 10 MB/s would otherwise
   * make every client parse and lay out 10 MB/s; what is skipped is in the file, and a note says so.
   */
  liveMaxBytesPerDrain?: number;
  /** Called whenever output or a note is waiting to be drained. */
  onPending?: () => void;
  /** The log file stopped or works again: one sentence for the operator (an engine notice). */
  onFileProblem?: (message: string) => void;
}

type OutputStream = Exclude<LogStream, 'system'>;

/**
 * One run's output: every byte goes to the rotating file as it arrives; the UI's share is
 * decoded once per tick (drain). Between ticks at most tailMaxBytes of raw output wait in
 * memory; under a flood the older part is skipped for the live view (it is in the file).
 */
export class RunLog {
  private pending: { stream: LogStream; data: Buffer | string }[] = [];
  private pendingBytes = 0;
  private skippedBytes = 0;
  private lastSkipNoteAt = 0;
  // One streaming decoder per stream: a UTF-8 sequence split across two reads must join up,
  // and stdout's half-sequence must not be glued onto stderr's bytes.
  private readonly decoders = { stdout: new TextDecoder('utf-8'), stderr: new TextDecoder('utf-8') };
  totalBytes = 0;
  private readonly tail: LogTail;
  // Last: opening the file may already report a problem, which lands in `pending`.
  private readonly file: RotatingLogFile;

  constructor(private readonly options: RunLogOptions) {
    this.tail = new LogTail(options.tailMaxBytes);
    this.file = new RotatingLogFile(options.filePath, options.fileMaxBytes, options.filesKept, {
      stopped: (reason) =>
        this.tellOperator(`the log file ${options.filePath} stopped: ${reason}. The job goes on; its output is shown live but not saved until the file can be written again.`),
      resumed: (lostBytes) => this.tellOperator(`the log file ${options.filePath} is written again; ${formatBytes(lostBytes)} of output were not saved while it could not be.`),
    });
  }

  get filePath(): string {
    return this.file.path;
  }

  append(stream: OutputStream, data: Buffer): void {
    this.totalBytes += data.length;
    this.file.write(data);
    this.pending.push({ stream, data });
    this.pendingBytes += data.length;
    if (this.pendingBytes > this.options.tailMaxBytes) this.dropOldestPending(this.options.tailMaxBytes);
    this.options.onPending?.();
  }

  /** A line from the engine itself (timeouts, escalation, recovery), shown apart from output. */
  note(text: string): void {
    const line = `[procdeck] ${text}\n`;
    this.file.write(Buffer.from(line));
    this.pending.push({ stream: 'system', data: line });
    this.options.onPending?.();
  }

  /** Decoded output since the last drain, in arrival order; also kept in the tail. */
  drain(final = false): LogChunk[] {
    const liveCap = this.options.liveMaxBytesPerDrain;
    if (liveCap !== undefined && this.pendingBytes > liveCap) this.dropOldestPending(liveCap);
    if (this.pending.length === 0 && this.skippedBytes === 0) return [];
    const chunks: LogChunk[] = [];
    // At most one note a second under a flood, and a last one when the run ends.
    const now = Date.now();
    if (this.skippedBytes > 0 && (final || now - this.lastSkipNoteAt >= 1000)) {
      chunks.push({
        stream: 'system',
        text: `\n[procdeck] ${formatBytes(this.skippedBytes)} of output not shown live (full output is in ${this.file.path})\n`,
      });
      this.skippedBytes = 0;
      this.lastSkipNoteAt = now;
    }
    for (const { stream, data } of this.pending) {
      const text = typeof data === 'string' ? data : this.decoders[stream as OutputStream].decode(data, { stream: true });
      const last = chunks[chunks.length - 1];
      if (last && last.stream === stream) last.text += text;
      else if (text) chunks.push({ stream, text });
    }
    this.pending = [];
    this.pendingBytes = 0;
    for (const chunk of chunks) this.tail.push(chunk.stream, chunk.text);
    return chunks.filter((c) => c.text.length > 0);
  }

  snapshot(): { chunks: LogChunk[]; truncated: boolean } {
    return this.tail.snapshot();
  }

  close(): void {
    this.file.close();
  }

  /** A system line in the live log (not in the file: it is the file that failed) and a notice. */
  private tellOperator(message: string): void {
    this.pending.push({ stream: 'system', data: `\n[procdeck] ${message}\n` });
    this.options.onPending?.();
    this.options.onFileProblem?.(message);
  }

  private dropOldestPending(limit: number): void {
    // The engine's own lines (the log file stopped, a timeout) are kept: only output is skipped.
    const notes: typeof this.pending = [];
    while (this.pendingBytes > limit && this.pending.length > 1) {
      const dropped = this.pending.shift()!;
      if (typeof dropped.data === 'string') {
        notes.push(dropped);
        continue;
      }
      this.pendingBytes -= dropped.data.length;
      this.skippedBytes += dropped.data.length;
    }
    this.pending.unshift(...notes);
    // The cut may land inside a multi-byte sequence: the decoders start afresh. decode() with no
    // input ends a decoder's stream, which resets it; a new TextDecoder per cut would be a new
    // ICU converter per chunk under a flood: malloc'd memory V8 does not count, freed only
    // when the wrapper is collected (two per 64 KiB chunk, ~32,000 per GiB of output).
    this.decoders.stdout.decode();
    this.decoders.stderr.decode();
  }
}
