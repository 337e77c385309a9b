import type { LogChunk, LogStream } from '../../../shared/jobSnapshot';
import { LINE_GOES_ON, LINE_ENDS, streamOfMark, TIME_LINE_CHARS, TIME_MARK, type LogFileVersion } from './logFileFormat';

/** A chunk of decoded output, as the live log carries it: its stream, text and arrival time. */
export type TimedChunk = LogChunk & { at?: number };

const TIME_LINE = /^@(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)$/;
const V2_ENTRY = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (stdout|stderr|procdeck) ([FP]) /;

/** The time of a version 3 time line, or undefined for any other line. */
export function timeOfLine(line: string): number | undefined {
  if (line.length !== TIME_LINE_CHARS || line.charCodeAt(0) !== TIME_MARK) return undefined;
  const time = TIME_LINE.exec(line);
  return time ? Date.parse(time[1]!) : undefined;
}

/** What one line of a file says: a time (version 3), or a piece of a stream's output. */
type FileLine = { at: number } | { stream?: LogStream; piece: string; at?: number };

/** A version 3 line: a time line, a marked line, or (a cut) text that goes on in the stream before it. */
function v3Line(line: string): FileLine {
  const at = timeOfLine(line);
  if (at !== undefined) return { at };
  const stream = streamOfMark(line.charCodeAt(0));
  const flag = line.charCodeAt(1);
  if (stream === undefined || (flag !== LINE_ENDS && flag !== LINE_GOES_ON)) return { piece: `${line}\n` };
  return { stream, piece: flag === LINE_ENDS ? `${line.slice(2)}\n` : line.slice(2) };
}

/** A version 2 line: `<ISO time> <stream> <F|P> <text>`, or text that goes on in the stream before it. */
function v2Line(line: string): FileLine {
  const entry = V2_ENTRY.exec(line);
  if (!entry) return { piece: `${line}\n` };
  const stream: LogStream = entry[2] === 'procdeck' ? 'system' : (entry[2] as LogStream);
  return { stream, at: Date.parse(entry[1]!), piece: line.slice(entry[0].length) + (entry[3] === 'F' ? '\n' : '') };
}

/**
 * Reads a version 3 or 2 file's text back into chunks (the live log's shape: consecutive pieces
 * of one stream and time joined). `text` may start inside a line (a tail read from the middle of
 * a file): what comes before the first line start is skipped, and (version 3) lines before the
 * first time line in it have the time `at` (the one before the text, when the caller found it). A line that is not an entry (a file cut inside an entry when it
 * rotated, or by a full disk) continues the previous entry's stream.
 */
export function decodeEntries(text: string, version: Exclude<LogFileVersion, 'unmarked'>, startsAtLine = true, timeBefore?: number): TimedChunk[] {
  const chunks: TimedChunk[] = [];
  let position = 0;
  if (!startsAtLine) {
    const first = text.indexOf('\n');
    position = first === -1 ? text.length : first + 1;
  }
  if (text.startsWith('# procdeck-log ', position)) {
    const headerEnd = text.indexOf('\n', position);
    position = headerEnd === -1 ? text.length : headerEnd + 1;
  }
  const readLine = version === 'v3' ? v3Line : v2Line;
  let stream: LogStream = 'stdout';
  let at = timeBefore;
  while (position < text.length) {
    const newline = text.indexOf('\n', position);
    const line = readLine(text.slice(position, newline === -1 ? text.length : newline));
    position = newline === -1 ? text.length : newline + 1;
    if (!('piece' in line)) {
      at = line.at;
      continue;
    }
    if (line.stream) stream = line.stream;
    if (line.at !== undefined) at = line.at;
    const last = chunks[chunks.length - 1];
    if (last && last.stream === stream && last.at === at) last.text += line.piece;
    else chunks.push({ stream, text: line.piece, ...(at !== undefined && { at }) });
  }
  return chunks;
}

/**
 * A file from before any format: both streams as they came, and Procdeck's notes as lines
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

/** A file's text in whichever version it was written. */
export function decodeLogText(text: string, version: LogFileVersion, startsAtLine = true, timeBefore?: number): TimedChunk[] {
  if (version !== 'unmarked') return decodeEntries(text, version, startsAtLine, timeBefore);
  return decodeUnmarked(startsAtLine ? text : text.slice(text.indexOf('\n') + 1));
}
