import type { LogChunk, LogStream } from '../../../shared/jobSnapshot';

/**
 * A run's log file, one entry per line, readable with `less` and `grep` (as the CRI log format
 * of Kubernetes, which solves the same problem):
 *
 *     2025-05-01T09:30:00.123Z stdout F listening on :8080
 *     2025-05-01T09:30:00.124Z stderr F warning: no config file, using defaults
 *     2025-05-01T09:30:01.007Z stdout P downloading… 40%
 *     2025-05-01T09:30:05.990Z procdeck F stopped by operator
 *
 * The time a chunk of output arrived (UTC, ms), the stream, then `F` when the entry ends a line
 * of output or `P` when the line goes on in the next entry of the same stream (output read
 * before its newline: a progress bar, or a line split across two reads), then the bytes as the
 * job wrote them. `grep ' stderr ' run.log` finds what went to stderr. Procdeck's own lines are
 * the `procdeck` stream. Every file starts with LOG_FORMAT_HEADER; a file without it was written
 * before this format, as the raw output of both streams, and is read back as such.
 */
// No " procdeck " in it, so that `grep ' procdeck '` finds Procdeck's own lines alone.
const FORMAT_MARK = '# procdeck-log v2';
export const LOG_FORMAT_HEADER =
  `${FORMAT_MARK}: each line is <time (UTC)> <stdout|stderr|procdeck> <F: line ends here | P: it goes on in the next entry of that stream> <text>\n`;

/** Whether a file's text is in this format (its header, even one a full disk cut short). */
export const isEntryFile = (text: string): boolean => text.startsWith(FORMAT_MARK);

export type FileStream = 'stdout' | 'stderr' | 'procdeck';

const NEWLINE = 0x0a;

const logStreamOf = (stream: FileStream): LogStream => (stream === 'procdeck' ? 'system' : stream);

/**
 * Encodes chunks of output as entries into one buffer it keeps: a full entry per line a chunk
 * ends, and a partial one for what follows its last newline. This runs for every read of a
 * job's pipes (~13 million lines a GiB of 80-byte lines), so nothing is allocated per line: the
 * newlines are found with indexOf (memchr) into a reused index, the chunk is copied once to the
 * end of the output and each line moved forward into place with copyWithin (a memmove). A view
 * per line (subarray, or Buffer.copy of a range, which makes one) cost 3× the time and most of
 * the engine's garbage collection under a flood.
 *
 * What encode() returns is a view of that buffer, valid until the next encode().
 */
export class EntryEncoder {
  private out = Buffer.allocUnsafe(0);
  private newlines = new Int32Array(0);
  private prefixFor?: { stream: FileStream; at: number; full: Buffer; partial: Buffer };

  /** @param keepUpTo the largest buffer kept between calls; a bigger chunk gets one of its own. */
  constructor(private readonly keepUpTo = Infinity) {}

  encode(stream: FileStream, data: Uint8Array, at: number): Buffer {
    if (data.length === 0) return Buffer.alloc(0);
    const { full, partial } = this.prefixes(stream, at);
    const newlines = this.newlineIndex(data.length);
    let lines = 0;
    for (let i = data.indexOf(NEWLINE); i !== -1; i = data.indexOf(NEWLINE, i + 1)) newlines[lines++] = i;
    const endsLine = lines > 0 && newlines[lines - 1] === data.length - 1;
    const size = data.length + lines * full.length + (endsLine ? 0 : partial.length + 1);
    const out = this.buffer(size);
    // The chunk is copied to the end; each line then moves toward the front by the prefixes of the
    // entries after it, so its prefix and its copy only overwrite bytes that were moved already.
    const source = size - data.length - (endsLine ? 0 : 1);
    out.set(data, source);
    let written = 0;
    let start = 0;
    for (let k = 0; k < lines; k++) {
      out.set(full, written);
      written += full.length;
      const end = newlines[k]! + 1;
      out.copyWithin(written, source + start, source + end);
      written += end - start;
      start = end;
    }
    if (!endsLine) {
      // What follows the last newline is in place already: it was copied there.
      out.set(partial, written);
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

  /** `<time> <stream> F ` and `… P `: made again only when the chunk's millisecond or stream differs. */
  private prefixes(stream: FileStream, at: number): { full: Buffer; partial: Buffer } {
    const cached = this.prefixFor;
    if (cached?.stream === stream && cached.at === at) return cached;
    const head = `${new Date(at).toISOString()} ${stream} `;
    this.prefixFor = { stream, at, full: Buffer.from(`${head}F `, 'latin1'), partial: Buffer.from(`${head}P `, 'latin1') };
    return this.prefixFor;
  }
}

/** The entries for one chunk of output that arrived at `at`, in a buffer of their own. */
export const encodeEntries = (stream: FileStream, data: Uint8Array, at: number): Buffer => new EntryEncoder().encode(stream, data, at);

/** Procdeck's own line, as an entry. */
export const encodeNote = (text: string, at: number): Buffer => encodeEntries('procdeck', Buffer.from(`${text}\n`), at);

const ENTRY = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (stdout|stderr|procdeck) ([FP]) /;

/** A chunk of decoded output, as the live log carries it: its stream, text and arrival time. */
export type TimedChunk = LogChunk & { at?: number };

/**
 * Reads entries back into chunks (the live log's shape: consecutive entries of one stream and
 * time joined). `text` may start inside an entry (a tail read from the middle of a file): what
 * comes before the first line start is skipped. A line that is not an entry (a file cut inside an
 * entry when it rotated) continues the previous entry's stream.
 */
export function decodeEntries(text: string, startsAtLine = true): TimedChunk[] {
  const chunks: TimedChunk[] = [];
  let position = 0;
  if (!startsAtLine) {
    const first = text.indexOf('\n');
    position = first === -1 ? text.length : first + 1;
  }
  if (text.startsWith(FORMAT_MARK, position)) {
    const headerEnd = text.indexOf('\n', position);
    position = headerEnd === -1 ? text.length : headerEnd + 1;
  }
  let stream: LogStream = 'stdout';
  let at: number | undefined;
  while (position < text.length) {
    const newline = text.indexOf('\n', position);
    const line = text.slice(position, newline === -1 ? text.length : newline);
    position = newline === -1 ? text.length : newline + 1;
    const entry = ENTRY.exec(line);
    let piece: string;
    if (entry) {
      at = Date.parse(entry[1]!);
      stream = logStreamOf(entry[2] as FileStream);
      piece = line.slice(entry[0].length) + (entry[3] === 'F' ? '\n' : '');
    } else {
      piece = `${line}\n`;
    }
    const last = chunks[chunks.length - 1];
    if (last && last.stream === stream && last.at === at) last.text += piece;
    else chunks.push({ stream, text: piece, ...(at !== undefined && { at }) });
  }
  return chunks;
}

/**
 * A file from before this format: both streams as they came, and Procdeck's notes as lines
 * starting "[procdeck] ". Which stream a line was written to is not known (all read as stdout).
 */
export function decodeUnmarked(text: string): TimedChunk[] {
  const chunks: TimedChunk[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    const stream: LogStream = line.startsWith('[procdeck] ') ? 'system' : 'stdout';
    const piece = stream === 'system' ? line.slice('[procdeck] '.length) : line;
    const last = chunks[chunks.length - 1];
    if (last && last.stream === stream) last.text += piece;
    else if (piece) chunks.push({ stream, text: piece });
  }
  return chunks;
}
