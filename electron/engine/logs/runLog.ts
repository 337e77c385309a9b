import { NOT_SHOWN_LIVE, type LogStream } from '../../../shared/jobSnapshot';
import { formatBytes } from '../../../shared/format';
import { encodeNote, LOG_FORMAT_HEADER, timeLineOf } from './logFileFormat';
import type { TimedChunk } from './logFileDecoding';
import { LogTail } from './logTail';
import { outputRead } from './readBufferCollector';
import { RotatingLogFile } from './rotatingLogFile';
import type { LogFileAccount } from './logSpace';
import { readEncoder, type ReadEncoder } from './wasmEntryEncoder';

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
  /** Where the space its files take is counted (the log budget). */
  account?: LogFileAccount;
}

type OutputStream = Exclude<LogStream, 'system'>;

interface Pending {
  stream: LogStream;
  /** Output as read (decoded at the drain), or Procdeck's own line. */
  data: Buffer | string;
  /** The read is a view of the reader's buffer (supervisor/outputReader.ts), copied if it is still here when that buffer is read into again. */
  lent?: boolean;
  /** When it arrived (epoch ms). */
  at: number;
}

// One encoder for every run's output: its buffer is written out (synchronously) before append
// returns, so no two runs ever need it at once. Notes have buffers of their own (a note is
// written while a chunk of output waits: the note saying what a failed file missed).
// WebAssembly (one call a read), or the JS encoder where the runtime lacks WebAssembly SIMD;
// made at the first output, so an idle server compiles and instantiates nothing.
let outputEntries: ReadEncoder | undefined;

const FILE_FORMAT = { header: Buffer.from(LOG_FORMAT_HEADER), note: (text: string) => encodeNote(text, Date.now()), repeatedAfterCut: timeLineOf };

/**
 * One run's output: every byte goes to the rotating file as it arrives, as entries that mark
 * its stream and arrival time (logFileFormat.ts); the UI's share is decoded once per tick
 * (drain). Between ticks at most what one drain passes on live (liveMaxBytesPerDrain, never
 * more than tailMaxBytes) waits in memory, as read; under a flood the older part is skipped for
 * the live view as it arrives (it is in the file).
 *
 * Order: stdout and stderr are two pipes, and what the job wrote to both between two reads
 * comes in one read of each, one after the other; nothing in either pipe says which was first.
 * Within a stream the order is the job's; across the two it is the order in which the reads
 * arrived, kept alike in the file, the tail and the live view. A job that needs a strict order
 * sends stderr into stdout (the spec's mergeStderr), and loses the stream mark.
 */
export class RunLog {
  private pending: Pending[] = [];
  /**
   * The pending reads that are views of a reader's buffer. A reader reads into its two buffers
   * in turn and reclaims each before reading into it again, so this holds at most two a stream:
   * reclaim looks at these, never at every pending read (a job writing a byte at a time would
   * make that a scan of thousands per read).
   */
  private lent: Pending[] = [];
  private pendingBytes = 0;
  private skippedBytes = 0;
  private lastSkipNoteAt = 0;
  // One streaming decoder per stream: a UTF-8 sequence split across two reads must join up,
  // and stdout's half-sequence must not be glued onto stderr's bytes.
  private readonly decoders = { stdout: new TextDecoder('utf-8'), stderr: new TextDecoder('utf-8') };
  totalBytes = 0;
  private readonly tail: LogTail;
  /** Most output one drain passes on live: the newest, the rest is skipped (it is in the file). */
  private readonly liveCap: number;
  private readonly file: RotatingLogFile;

  constructor(private readonly options: RunLogOptions) {
    this.tail = new LogTail(options.tailMaxBytes);
    this.liveCap = Math.min(options.tailMaxBytes, options.liveMaxBytesPerDrain ?? Infinity);
    this.file = new RotatingLogFile(options.filePath, options.fileMaxBytes, options.filesKept, FILE_FORMAT, {
      stopped: (reason) =>
        this.tellOperator(`the log file ${options.filePath} stopped: ${reason}. The job goes on; its output is shown live but not saved until the file can be written again.`),
      resumed: (lostBytes) => this.tellOperator(`the log file ${options.filePath} is written again; ${formatBytes(lostBytes)} of output were not saved while it could not be.`),
    }, options.account);
  }

  get filePath(): string {
    return this.file.path;
  }

  /**
   * A read of the job's output. A `lent` read is a view of a buffer its reader reads into again
   * (after calling `reclaim` with it): nothing is allocated for it, and only a read still waiting
   * for the drain then is copied; a read in a buffer of its own counts for the read buffer collector.
   */
  append(stream: OutputStream, data: Buffer, lent = false): void {
    const at = Date.now();
    this.totalBytes += data.length;
    if (!lent) outputRead(data.length);
    this.file.write((outputEntries ??= readEncoder(1024 * 1024)).encode(stream, data, at));
    if (lent) {
      const entry: Pending = { stream, data, at, lent };
      this.pending.push(entry);
      this.lent.push(entry);
    } else this.pending.push({ stream, data, at });
    this.pendingBytes += data.length;
    // Cut to what the next drain will pass on, now rather than at the drain: under a flood a read
    // held until the drain (up to tailMaxBytes of them) outlives the young generation and its
    // 64 KiB stays in memory until a full collection. What is cut is the same either way.
    if (this.pendingBytes > this.liveCap) this.dropOldestPending(this.liveCap);
    this.options.onPending?.();
  }

  /**
   * `buffer` (memory of its own, not a slice of Node's pool) is about to be read into again: a
   * read waiting for the drain that is a view of it gets a copy of its own.
   */
  reclaim(buffer: Buffer): void {
    // Filtered in place: this runs before every read under a flood, and the list is short.
    let kept = 0;
    for (const entry of this.lent) {
      if (typeof entry.data === 'string' || !entry.lent) continue; // drained or skipped since
      if (entry.data.buffer !== buffer.buffer) this.lent[kept++] = entry;
      else {
        entry.data = Buffer.from(entry.data);
        entry.lent = false;
      }
    }
    this.lent.length = kept;
  }

  /** A line from the engine itself (timeouts, escalation, recovery), shown apart from output. */
  note(text: string): void {
    const at = Date.now();
    this.file.write(encodeNote(text, at));
    this.pending.push({ stream: 'system', data: `${text}\n`, at });
    this.options.onPending?.();
  }

  /** Decoded output since the last drain, in arrival order; also kept in the tail. */
  drain(final = false): TimedChunk[] {
    if (this.pending.length === 0 && this.skippedBytes === 0) return [];
    const chunks: TimedChunk[] = [];
    // At most one note a second under a flood, and a last one when the run ends.
    const now = Date.now();
    if (this.skippedBytes > 0 && (final || now - this.lastSkipNoteAt >= 1000)) {
      chunks.push({ stream: 'system', text: `${formatBytes(this.skippedBytes)} ${NOT_SHOWN_LIVE} (full output is in ${this.file.path})\n`, at: now });
      this.skippedBytes = 0;
      this.lastSkipNoteAt = now;
    }
    for (const { stream, data, at } of this.pending) {
      const text = typeof data === 'string' ? data : this.decoders[stream as OutputStream].decode(data, { stream: true });
      const last = chunks[chunks.length - 1];
      // Reads of one stream within the same millisecond travel as one chunk; each keeps its time otherwise.
      if (last && last.stream === stream && last.at === at) last.text += text;
      else if (text) chunks.push({ stream, text, at });
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.lent.length = 0; // decoded: nothing of the readers' buffers is held any more
    for (const chunk of chunks) this.tail.push(chunk);
    return chunks.filter((c) => c.text.length > 0);
  }

  snapshot(): { chunks: TimedChunk[]; truncated: boolean; filePath: string } {
    return { ...this.tail.snapshot(), filePath: this.file.path };
  }

  close(): void {
    this.file.close();
  }

  /** A system line in the live log (not in the file: it is the file that failed) and a notice. */
  private tellOperator(message: string): void {
    this.pending.push({ stream: 'system', data: `${message}\n`, at: Date.now() });
    this.options.onPending?.();
    this.options.onFileProblem?.(message);
  }

  private dropOldestPending(limit: number): void {
    // The engine's own lines (the log file stopped, a timeout) are kept, where they were: only output is skipped.
    const kept: Pending[] = [];
    let index = 0;
    while (this.pendingBytes > limit && this.pending.length - index > 1) {
      const dropped = this.pending[index++]!;
      if (typeof dropped.data === 'string') {
        kept.push(dropped);
        continue;
      }
      this.pendingBytes -= dropped.data.length;
      this.skippedBytes += dropped.data.length;
      dropped.lent = false; // skipped: its buffer may be read into again without a copy
    }
    if (index === 0) return;
    this.pending = kept.concat(this.pending.slice(index));
    if (kept.length === index) return; // only the engine's own lines were passed over
    // What is skipped never reaches the tail, which may then hold less than its cap and yet not the whole output.
    this.tail.markDropped();
    // The cut may land inside a multi-byte sequence: the decoders start afresh. decode() with no
    // input ends a decoder's stream, which resets it; a new TextDecoder per cut would be a new
    // ICU converter per chunk under a flood: malloc'd memory V8 does not count, freed only
    // when the wrapper is collected (two per 64 KiB chunk, ~32,000 per GiB of output).
    this.decoders.stdout.decode();
    this.decoders.stderr.decode();
  }
}
