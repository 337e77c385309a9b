import { NOT_SHOWN_LIVE, type LogChunk, type LogStream } from '../../../shared/jobSnapshot';

export interface LogLine {
  id: number;
  stream: LogStream;
  text: string;
  /** When its first text reached Procdeck (epoch ms), when known. */
  at?: number;
  /** Its line in the whole log file (a whole-log search's match). */
  lineNumber?: number;
}

/** A line still being written: after a lone \r the next text replaces it (progress bars). */
export interface OpenLine {
  text: string;
  overwrite: boolean;
  at?: number;
}

export interface LogText {
  lines: LogLine[];
  open: Partial<Record<LogStream, OpenLine>>;
  chars: number;
  nextId: number;
  /** Older output is no longer shown (dropped by the engine's tail or by our cap). */
  truncated: boolean;
}

export const MAX_LINES = 5_000;
export const MAX_CHARS = 2 * 1024 * 1024;
/** A line without a newline is cut here so one endless line cannot grow without bound. */
export const MAX_LINE_CHARS = 16 * 1024;

export const emptyLogText = (): LogText => ({ lines: [], open: {}, chars: 0, nextId: 1, truncated: false });

/** Appends decoded chunks, splitting them into lines; returns a new LogText (the input is not changed). */
export function appendChunks(log: LogText, chunks: readonly LogChunk[]): LogText {
  const added: LogLine[] = [];
  const open = { ...log.open };
  let nextId = log.nextId;
  let truncated = log.truncated;
  let addedChars = 0;

  const finish = (stream: LogStream, text: string, at: number | undefined) => {
    added.push(at === undefined ? { id: nextId++, stream, text } : { id: nextId++, stream, text, at });
    addedChars += text.length;
  };

  for (const chunk of chunks) {
    // Output the engine skipped for the live view (a flood, a busy host) is not held here either.
    if (chunk.stream === 'system' && chunk.text.includes(NOT_SHOWN_LIVE)) truncated = true;
    let text = chunk.text;
    const line = { ...(open[chunk.stream] ?? { text: '', overwrite: false }) };
    if (text.length > MAX_CHARS) {
      // Only the end can survive the cap: skip straight to it instead of splitting megabytes.
      text = text.slice(text.length - MAX_CHARS);
      line.text = '';
      line.overwrite = false;
      truncated = true;
    }
    let pieces = text.split('\n');
    if (pieces.length > MAX_LINES + 1) {
      pieces = pieces.slice(pieces.length - MAX_LINES - 1);
      line.text = '';
      line.overwrite = false;
      truncated = true;
    }
    for (let i = 0; i < pieces.length; i++) {
      // A line's time is when its first text (or its newline, for an empty one) arrived.
      if (i > 0) {
        finish(chunk.stream, line.text, line.at);
        line.text = '';
        line.overwrite = false;
        line.at = chunk.at;
      } else {
        line.at ??= chunk.at;
      }
      writePiece(line, pieces[i]!);
      while (line.text.length > MAX_LINE_CHARS) {
        finish(chunk.stream, line.text.slice(0, MAX_LINE_CHARS), line.at);
        line.text = line.text.slice(MAX_LINE_CHARS);
      }
    }
    open[chunk.stream] = line;
  }

  let lines = added.length > 0 ? log.lines.concat(added) : log.lines;
  let chars = log.chars + addedChars;
  let drop = Math.max(0, lines.length - MAX_LINES);
  for (let i = 0; i < drop; i++) chars -= lines[i]!.text.length;
  while (chars > MAX_CHARS && drop < lines.length) chars -= lines[drop++]!.text.length;
  if (drop > 0) {
    lines = lines.slice(drop);
    truncated = true;
  }
  return { lines, open, chars, nextId, truncated };
}

/** Writes text that contains no \n into the open line, honouring \r. */
function writePiece(line: OpenLine, piece: string): void {
  if (!piece.includes('\r')) {
    if (piece) put(line, piece);
    return;
  }
  const parts = piece.split('\r');
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) line.overwrite = true;
    if (parts[i]) put(line, parts[i]!);
  }
}

function put(line: OpenLine, text: string): void {
  line.text = line.overwrite ? text : line.text + text;
  line.overwrite = false;
}

/** Closes every open line (e.g. when a new run starts) and adds an engine-style note. */
export function appendNote(log: LogText, note: string): LogText {
  const chunks: LogChunk[] = [];
  for (const [stream, line] of Object.entries(log.open) as [LogStream, OpenLine][]) {
    if (line.text) chunks.push({ stream, text: '\n' });
  }
  chunks.push({ stream: 'system', text: `${note}\n` });
  return appendChunks(log, chunks);
}

// Stable keys for the lines still being written, apart from the positive ids of finished lines.
const OPEN_LINE_IDS: Record<LogStream, number> = { stdout: -1, stderr: -2, system: -3 };

/** Complete lines followed by the non-empty lines still being written. */
export function visibleLines(log: LogText): LogLine[] {
  const openLines: LogLine[] = [];
  for (const [stream, line] of Object.entries(log.open) as [LogStream, OpenLine][]) {
    if (line.text) openLines.push({ id: OPEN_LINE_IDS[stream], stream, text: line.text, ...(line.at !== undefined && { at: line.at }) });
  }
  return openLines.length > 0 ? log.lines.concat(openLines) : log.lines;
}
