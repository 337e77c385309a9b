import { closeSync, openSync, read, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { promisify } from 'node:util';
import type { LogStream } from '../../../shared/jobSnapshot';
import { lineMatcher } from '../../../shared/lineMatcher';
import { EngineError } from '../engineError';
import { LINE_ENDS, LINE_GOES_ON, streamOfMark, versionOf, type LogFileVersion } from './logFileFormat';
import { timeOfLine } from './logFileDecoding';
import { readableLine } from './lastLine';

const readAt = promisify(read);

/** Bytes read at a time: a 1 GiB log is never in memory, and the engine's thread gets a turn between chunks. */
const CHUNK_BYTES = 256 * 1024;
/** What is kept of one line to match against; the rest of a longer line is read past, not held. */
export const MAX_SEARCHED_LINE_CHARS = 64 * 1024;
/** What a match's text carries back at most (a result of thousands of long lines stays small). */
export const MAX_MATCH_TEXT_CHARS = 4 * 1024;

export interface LogSearchQuery {
  query: string;
  regex: boolean;
  caseSensitive: boolean;
  limit: number;
}

export interface LogMatch {
  /** Its line in the whole log: 1 is the first line of the oldest part kept (`<file>.N`, … `.1`, then the file). */
  line: number;
  stream: LogStream;
  text: string;
  /** Its text was longer than MAX_MATCH_TEXT_CHARS and is cut there. */
  clipped?: true;
}

export interface LogSearchResult {
  matches: LogMatch[];
  /** Every match in the files, also those past the limit. */
  total: number;
  /** The limit cut the matches short of the total. */
  limited: boolean;
  /** Lines read, in all parts. */
  lines: number;
}

/**
 * The parts of a rotated log, oldest first: `<file>.N` … `<file>.1`, then the file. Opened all
 * at once, in one turn of the engine's thread: rotation renames them on that thread, so the set
 * read is the log as it was at one instant, whatever is written while the search reads.
 */
function openParts(filePath: string): number[] {
  const name = basename(filePath);
  let names: string[];
  try {
    names = readdirSync(dirname(filePath));
  } catch {
    return [];
  }
  const rotated = names
    .filter((entry) => entry.startsWith(`${name}.`) && /^\d+$/.test(entry.slice(name.length + 1)))
    .map((entry) => Number(entry.slice(name.length + 1)))
    .sort((a, b) => b - a)
    .map((n) => `${filePath}.${n}`);
  const fds: number[] = [];
  for (const path of [...rotated, filePath]) {
    try {
      fds.push(openSync(path, 'r'));
    } catch {
      // A part removed between the listing and the open (the oldest, by a rotation): the rest is still the log.
    }
  }
  return fds;
}

/** How a line is tested (the log pane's matcher too); a bad or exponential regular expression is INVALID_REQUEST naming `query`. */
function matcherOf(query: LogSearchQuery): (text: string) => boolean {
  const matcher = lineMatcher({ text: query.query, regex: query.regex, caseSensitive: query.caseSensitive });
  if (!matcher.ok) throw new EngineError('INVALID_REQUEST', `query: ${matcher.problem}`, 'query');
  return matcher.matches;
}

const V2_ENTRY = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (?:stdout|stderr|procdeck) [FP] /;
/** Where a version 2 entry's stream starts: after its time (`2025-05-01T09:30:00.123Z`, fixed width) and a space. */
const V2_STREAM_AT = 25;

/**
 * Output lines out of a log file's lines (logFileFormat.ts, and version 2 before it), numbered
 * as they end: a line written in several pieces (`+` then ` `; version 2's `P` then `F`) is one
 * line, of its stream, even with the other stream's lines in between. Time lines are no output.
 * A file line that is not an entry (a long entry cut by rotation) goes on in the stream before
 * it, as decodeEntries reads it. Runs for every line of the log: an entry is recognised by its
 * first bytes (version 2: one regex test) and read at fixed places, with no per-line object.
 */
class LineAssembler {
  /** The line each stream has open (its `+` pieces so far). */
  private openStdout = '';
  private openStderr = '';
  private openSystem = '';
  private stream: LogStream = 'stdout';
  private lineCount = 0;

  constructor(private readonly onLine: (line: number, stream: LogStream, text: string) => void) {}

  get lines(): number {
    return this.lineCount;
  }

  /** One line of a part written in `version`. */
  fileLine(text: string, version: LogFileVersion, firstOfPart: boolean): void {
    if (firstOfPart && version !== 'unmarked') return; // its header
    if (version === 'v3') return this.v3Line(text);
    if (version === 'v2') return this.v2Line(text);
    const system = text.startsWith('[procdeck] ');
    this.finish(system ? 'system' : 'stdout', system ? text.slice('[procdeck] '.length) : text);
  }

  private v3Line(text: string): void {
    const stream = streamOfMark(text.charCodeAt(0));
    const flag = text.charCodeAt(1);
    if (stream === undefined || (flag !== LINE_ENDS && flag !== LINE_GOES_ON)) {
      if (timeOfLine(text) === undefined) this.finish(this.stream, text);
      return;
    }
    this.stream = stream;
    if (flag === LINE_ENDS) return this.finish(stream, text.slice(2));
    this.setOpen(stream, clipLine(this.openOf(stream) + text.slice(2)));
  }

  private v2Line(text: string): void {
    // The 24th character is the time's Z: most lines of a log are entries, and a line that is not fails here cheaply.
    if (text.charCodeAt(V2_STREAM_AT - 2) !== 0x5a || !V2_ENTRY.test(text)) return this.finish(this.stream, text);
    const system = text.startsWith('procdeck', V2_STREAM_AT);
    this.stream = system ? 'system' : text.startsWith('stdout', V2_STREAM_AT) ? 'stdout' : 'stderr';
    const flagAt = V2_STREAM_AT + (system ? 9 : 7);
    const piece = text.slice(flagAt + 2);
    if (text.charCodeAt(flagAt) === 0x46 /* F */) return this.finish(this.stream, piece);
    this.setOpen(this.stream, clipLine(this.openOf(this.stream) + piece));
  }

  /** Lines still being written when the files end count too: the log pane shows them. */
  end(): void {
    for (const stream of ['stdout', 'stderr', 'system'] as const) {
      if (this.openOf(stream)) this.finish(stream, '');
    }
  }

  private finish(stream: LogStream, piece: string): void {
    const open = this.openOf(stream);
    const text = open === '' ? clipLine(piece) : clipLine(open + piece);
    if (open !== '') this.setOpen(stream, '');
    this.onLine(++this.lineCount, stream, text);
  }

  private openOf(stream: LogStream): string {
    return stream === 'stdout' ? this.openStdout : stream === 'stderr' ? this.openStderr : this.openSystem;
  }

  private setOpen(stream: LogStream, text: string): void {
    if (stream === 'stdout') this.openStdout = text;
    else if (stream === 'stderr') this.openStderr = text;
    else this.openSystem = text;
  }
}

const clipLine = (text: string): string => (text.length > MAX_SEARCHED_LINE_CHARS ? text.slice(0, MAX_SEARCHED_LINE_CHARS) : text);

/**
 * Reads one part in chunks, handing on each line. A chunk is decoded at once (a StringDecoder
 * carries a character split between two chunks over to the next); decoding each line on its
 * own cost a Buffer slice and a decode per line. Of a line longer than MAX_SEARCHED_LINE_CHARS
 * only the start is kept. The lines are slices of the chunk's string: what is kept of one (a
 * match) is copied by the caller.
 */
async function readLines(fd: number, onLine: (text: string, first: boolean) => void): Promise<void> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let first = true;
  let position = 0;
  const emit = (line: string) => {
    onLine(line, first);
    first = false;
  };
  for (;;) {
    const { bytesRead } = await readAt(fd, buffer, 0, CHUNK_BYTES, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const text = decoder.write(buffer.subarray(0, bytesRead));
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      const piece = text.slice(start, newline);
      // Past the cap, the rest of the line was read past: its end is not joined to its start.
      emit(carry === '' ? piece : carry.length >= MAX_SEARCHED_LINE_CHARS ? carry : clipLine(carry + piece));
      carry = '';
      start = newline + 1;
    }
    if (start < text.length && carry.length < MAX_SEARCHED_LINE_CHARS) carry = clipLine(carry + text.slice(start));
  }
  const rest = carry + decoder.end();
  if (rest !== '') emit(rest);
}

/** The version a part's header says (a part from before the format has none). */
async function versionOfPart(fd: number): Promise<LogFileVersion> {
  const head = Buffer.alloc(64);
  const { bytesRead } = await readAt(fd, head, 0, head.length, 0);
  return versionOf(head.subarray(0, bytesRead).toString('utf8'));
}

/**
 * Every line of a run's log that matches, over all its parts on disk (read-only). A line is
 * matched as the operator reads it: after its last carriage return, without escape sequences.
 * A bad regular expression is INVALID_REQUEST naming `query`, before any file is read.
 */
export async function searchLogFiles(filePath: string, query: LogSearchQuery): Promise<LogSearchResult> {
  const matches = matcherOf(query);
  const found: LogMatch[] = [];
  let total = 0;
  const lines = new LineAssembler((line, stream, text) => {
    // Most lines have neither: skip the two replaces (a 1 GiB log is millions of lines).
    const readable = text.includes('\r') || text.includes('\u001b') ? readableLine(text) : text;
    if (!matches(readable)) return;
    total++;
    if (found.length >= query.limit) return;
    // A copy: the line is a slice of a 256 KiB chunk's string, which it would keep alive.
    const kept = Buffer.from(readable.length > MAX_MATCH_TEXT_CHARS ? readable.slice(0, MAX_MATCH_TEXT_CHARS) : readable).toString();
    found.push(readable.length > MAX_MATCH_TEXT_CHARS ? { line, stream, text: kept, clipped: true } : { line, stream, text: kept });
  });
  const fds = openParts(filePath);
  try {
    for (const fd of fds) {
      const version = await versionOfPart(fd);
      await readLines(fd, (text, first) => lines.fileLine(text, version, first));
    }
  } finally {
    for (const fd of fds) closeSync(fd);
  }
  lines.end();
  return { matches: found, total, limited: total > found.length, lines: lines.lines };
}
