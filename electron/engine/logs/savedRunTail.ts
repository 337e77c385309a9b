import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import type { JobSnapshot } from '../../../shared/jobSnapshot';
import type { RunRecord } from '../../../shared/run';
import { runLogPath } from './runLogFiles';
import { versionOf, type LogFileVersion } from './logFileFormat';
import { decodeLogText, type TimedChunk } from './logFileDecoding';

export interface SavedTail {
  runId?: string;
  chunks: TimedChunk[];
  truncated: boolean;
  filePath?: string;
}

/** The last `maxBytes` of a file, and the version its first bytes say. */
function readEnd(path: string, maxBytes: number): { text: string; fromStart: boolean; version: LogFileVersion } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(64, size));
    readSync(fd, head, 0, head.length, 0);
    const start = Math.max(0, size - maxBytes);
    const end = Buffer.alloc(size - start);
    let read = 0;
    while (read < end.length) {
      const n = readSync(fd, end, read, end.length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    return { text: end.subarray(0, read).toString('utf8'), fromStart: start === 0, version: versionOf(head.toString('utf8')) };
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
  return logFileTail(runLogPath(dataDir, job.id, job.runId), job.runId, maxBytes);
}

/**
 * The end of a run's log file (at most `maxBytes`), read back in whichever version it was
 * written (a file from before the stream marks reads as stdout). Never throws: a file that cannot be read is said
 * so in a system line.
 */
export function logFileTail(filePath: string, runId: string, maxBytes: number): SavedTail {
  const rotated = existsSync(`${filePath}.1`);
  let read;
  try {
    read = readEnd(filePath, maxBytes);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'its log file is gone' : `its log file cannot be read (${(error as Error).message})`;
    return { runId, chunks: [{ stream: 'system', text: `no output of this run to show: ${why}\n` }], truncated: rotated, filePath };
  }
  const chunks = decodeLogText(read.text, read.version, read.fromStart);
  return { runId, chunks, truncated: !read.fromStart || rotated, filePath };
}

/** A system line saying why a run whose log files were deleted (its record's `log.removed`) has none to show. */
export function removedLogNote(record: RunRecord): TimedChunk | undefined {
  const removed = record.log.removed;
  if (!removed) return undefined;
  return { stream: 'system', text: `no output of this run to show: its log was deleted ${removed.reason}\n`, at: removed.at };
}
