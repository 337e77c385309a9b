import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import type { JobSnapshot } from '../../../shared/jobSnapshot';
import type { RunRecord } from '../../../shared/run';
import { runLogPath } from './runLogFiles';
import { versionOf, type LogFileVersion } from './logFileFormat';
import { decodeLogText, timeOfLine, type TimedChunk } from './logFileDecoding';

export interface SavedTail {
  runId?: string;
  chunks: TimedChunk[];
  truncated: boolean;
  filePath?: string;
}

/** How far before a tail a version 3 file is searched for the time line its first lines arrived at (a read is at most 64 KiB from a pipe). */
const TIME_LOOKBACK_BYTES = 256 * 1024;

/** Bytes `[from, to)` of an open file. */
function readRange(fd: number, from: number, to: number): Buffer {
  const buffer = Buffer.alloc(to - from);
  let read = 0;
  while (read < buffer.length) {
    const n = readSync(fd, buffer, read, buffer.length - read, from + read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

/** The time of the last time line that ends before `before` (version 3), for the lines a tail starts with. */
function timeBefore(fd: number, before: number): number | undefined {
  const text = readRange(fd, Math.max(0, before - TIME_LOOKBACK_BYTES), before).toString('latin1');
  // The time line must end before the tail: the last newline in `text` may be the one that ends it.
  for (let end = text.lastIndexOf('\n'); end > 0; end = text.lastIndexOf('\n', end - 1)) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const at = timeOfLine(text.slice(start, end));
    if (at !== undefined) return at;
    if (start === 0) break;
  }
  return undefined;
}

/** The last `maxBytes` of a file, the version its first bytes say, and (version 3) the time its first lines arrived at. */
function readEnd(path: string, maxBytes: number): { text: string; fromStart: boolean; version: LogFileVersion; at?: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const version = versionOf(readRange(fd, 0, Math.min(64, size)).toString('utf8'));
    const start = Math.max(0, size - maxBytes);
    const end = readRange(fd, start, size);
    // The tail's first (cut) line is left out: a time line must end before the first line kept.
    const at = version === 'v3' && start > 0 ? timeBefore(fd, start + end.indexOf(0x0a) + 1) : undefined;
    return { text: end.toString('utf8'), fromStart: start === 0, version, ...(at !== undefined && { at }) };
  } finally {
    closeSync(fd);
  }
}

/**
 * The output of a job's latest run as its log file kept it, for a run the engine has no tail of:
 * it ran before Procdeck restarted.
 */
export function savedRunTail(dataDir: string, job: JobSnapshot, maxBytes: number): SavedTail {
  if (job.runId === undefined) return { chunks: [], truncated: false };
  return logFileTail(runLogPath(dataDir, job.id, job.runId), job.runId, maxBytes, job.outputBytes);
}

/**
 * The end of a run's log file (at most `maxBytes`), read back in whichever version it was
 * written (a file from before the stream marks reads as stdout). Never throws: a file that cannot be read is said
 * so in a system line. A run with no output (`outputBytes` 0) may have no file at all: its
 * file is made at its first line (rotatingLogFile.ts), so a missing one is an empty log, not a lost one.
 */
export function logFileTail(filePath: string, runId: string, maxBytes: number, outputBytes?: number): SavedTail {
  const rotated = existsSync(`${filePath}.1`);
  let read;
  try {
    read = readEnd(filePath, maxBytes);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing && outputBytes === 0 && !rotated) return { runId, chunks: [], truncated: false, filePath };
    const why = missing ? 'its log file is gone' : `its log file cannot be read (${(error as Error).message})`;
    return { runId, chunks: [{ stream: 'system', text: `no output of this run to show: ${why}\n` }], truncated: rotated, filePath };
  }
  const chunks = decodeLogText(read.text, read.version, read.fromStart, read.at);
  return { runId, chunks, truncated: !read.fromStart || rotated, filePath };
}

/** A system line saying why a run whose log files were deleted (its record's `log.removed`) has none to show. */
export function removedLogNote(record: RunRecord): TimedChunk | undefined {
  const removed = record.log.removed;
  if (!removed) return undefined;
  return { stream: 'system', text: `no output of this run to show: its log was deleted ${removed.reason}\n`, at: removed.at };
}
