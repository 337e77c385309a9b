import type { LogStream } from '../../../shared/jobSnapshot';

/**
 * A run's log file (version 3), readable with `less` and `grep`:
 *
 *     # procdeck-log v3: …
 *     @2025-05-01T09:30:00.123Z
 *     1 listening on :8080
 *     @2025-05-01T09:30:00.124Z
 *     2 warning: no config file, using defaults
 *     @2025-05-01T09:30:01.007Z
 *     1+downloading… 40%
 *     @2025-05-01T09:30:05.990Z
 *     ! stopped by operator
 *
 * Each read of a job's pipe is a time line, `@` and the time it arrived (UTC, ms), then its
 * lines, each behind a two-byte mark: its stream (`1` stdout, `2` stderr, `!` Procdeck's own
 * line), then a space when the line ends there or `+` when it goes on in that stream's next
 * marked line (output read before its newline: a progress bar, or a line split across two
 * reads, maybe with the other stream's lines in between). `grep '^2'` finds stderr alone,
 * `grep '^!'` Procdeck's lines; every line of a read arrived at its time line's time.
 *
 * Why not version 2's `<ISO time> <stream> <F|P> ` before every line (CRI's format): 34 bytes a
 * line wrote 1449 MiB for a GiB of 80-byte lines, and writing those bytes was most of the
 * engine's time under a flood. A time per read is all the log pane needs (all lines of one read
 * share one arrival time): 26 bytes a read, 2 a line, 1049 MiB for that GiB.
 *
 * Every file (every rotated part too) starts with LOG_FORMAT_HEADER; logFileDecoding.ts reads
 * this version, version 2 and files from before any format (raw output, no header).
 */
export const LOG_FORMAT_HEADER =
  '# procdeck-log v3: "@<time (UTC)>" starts each read; then each line is <1 stdout | 2 stderr | ! procdeck><space: the line ends | +: it goes on in that stream\'s next line><text>\n';

/** How a file is written, by its first bytes. */
export type LogFileVersion = 'v3' | 'v2' | 'unmarked';

/** The version a file's first bytes say (its header, even one a full disk cut short). */
export function versionOf(head: string): LogFileVersion {
  if (head.startsWith('# procdeck-log v3')) return 'v3';
  if (head.startsWith('# procdeck-log v2')) return 'v2';
  return 'unmarked';
}

export type FileStream = 'stdout' | 'stderr' | 'procdeck';

export const TIME_MARK = 0x40; // @
export const LINE_ENDS = 0x20; // space
export const LINE_GOES_ON = 0x2b; // +
/** The first byte of a marked line, by stream. */
export const STREAM_MARKS = { stdout: 0x31, stderr: 0x32, procdeck: 0x21 } as const satisfies Record<FileStream, number>;
/** `@` and an ISO time, without its newline. */
export const TIME_LINE_CHARS = 25;

/** The stream a marked line's first byte names, or undefined for any other byte. */
export function streamOfMark(byte: number): LogStream | undefined {
  if (byte === STREAM_MARKS.stdout) return 'stdout';
  if (byte === STREAM_MARKS.stderr) return 'stderr';
  if (byte === STREAM_MARKS.procdeck) return 'system';
  return undefined;
}

const NEWLINE = 0x0a;

/**
 * Encodes chunks of output (one read each) into one buffer it keeps: the read's time line, a
 * marked line per line the chunk ends, and a `+` line for what follows its last newline. This
 * runs for every read of a job's pipes (~13 million lines a GiB of 80-byte lines), so nothing
 * is allocated per line: the newlines are found with indexOf (memchr) into a reused index, the
 * chunk is copied once to the end of the output and each line moved forward into place with
 * copyWithin (a memmove). A view per line (subarray, or Buffer.copy of a range, which makes one)
 * cost 3× the time; a string replaceAll of the newlines (latin1) 2×.
 *
 * What encode() returns is a view of that buffer, valid until the next encode().
 */
export class EntryEncoder {
  private out = Buffer.allocUnsafe(0);
  private newlines = new Int32Array(0);
  private timeLineFor?: { at: number; line: Buffer };

  /** @param keepUpTo the largest buffer kept between calls; a bigger chunk gets one of its own. */
  constructor(private readonly keepUpTo = Infinity) {}

  encode(stream: FileStream, data: Uint8Array, at: number): Buffer {
    if (data.length === 0) return Buffer.alloc(0);
    const time = this.timeLine(at);
    const mark = STREAM_MARKS[stream];
    const newlines = this.newlineIndex(data.length);
    let lines = 0;
    for (let i = data.indexOf(NEWLINE); i !== -1; i = data.indexOf(NEWLINE, i + 1)) newlines[lines++] = i;
    const endsLine = lines > 0 && newlines[lines - 1] === data.length - 1;
    const size = time.length + data.length + lines * 2 + (endsLine ? 0 : 3);
    const out = this.buffer(size);
    out.set(time, 0);
    // The chunk is copied to the end; each line then moves toward the front by the marks of the
    // lines after it, so its mark and its copy only overwrite bytes that were moved already.
    const source = size - data.length - (endsLine ? 0 : 1);
    out.set(data, source);
    let written = time.length;
    let start = 0;
    for (let k = 0; k < lines; k++) {
      out[written] = mark;
      out[written + 1] = LINE_ENDS;
      written += 2;
      const end = newlines[k]! + 1;
      out.copyWithin(written, source + start, source + end);
      written += end - start;
      start = end;
    }
    if (!endsLine) {
      // What follows the last newline is in place already, right after its mark: it was copied there.
      out[written] = mark;
      out[written + 1] = LINE_GOES_ON;
      out[size - 1] = NEWLINE;
    }
    return out.subarray(0, size);
  }

  /** Room for the position of every newline a chunk of `length` bytes can hold. */
  private newlineIndex(length: number): Int32Array {
    if (this.newlines.length >= length) return this.newlines;
    if (length > this.keepUpTo) return new Int32Array(length);
    this.newlines = new Int32Array(Math.min(Math.max(length, 2 * this.newlines.length), this.keepUpTo));
    return this.newlines;
  }

  private buffer(size: number): Buffer {
    if (this.out.length >= size) return this.out;
    if (size > this.keepUpTo) return Buffer.allocUnsafe(size);
    this.out = Buffer.allocUnsafe(Math.min(Math.max(size, 2 * this.out.length), this.keepUpTo));
    return this.out;
  }

  /** `@<time>\n`: made again only when the chunk's millisecond differs. */
  private timeLine(at: number): Buffer {
    if (this.timeLineFor?.at !== at) this.timeLineFor = { at, line: Buffer.from(`@${new Date(at).toISOString()}\n`, 'latin1') };
    return this.timeLineFor.line;
  }
}

/** The entries for one chunk of output that arrived at `at`, in a buffer of their own. */
export const encodeEntries = (stream: FileStream, data: Uint8Array, at: number): Buffer => new EntryEncoder().encode(stream, data, at);

/** Procdeck's own line, as an entry. */
export const encodeNote = (text: string, at: number): Buffer => encodeEntries('procdeck', Buffer.from(`${text}\n`), at);

/**
 * The time line an encoded chunk starts with, which a rotated part that starts inside the chunk
 * writes again after its header (every part says when its first lines arrived); undefined for
 * anything else (the header, a note written on its own).
 */
export function timeLineOf(chunk: Uint8Array): Uint8Array | undefined {
  if (chunk[0] !== TIME_MARK || chunk[TIME_LINE_CHARS] !== NEWLINE) return undefined;
  return chunk.subarray(0, TIME_LINE_CHARS + 1);
}
