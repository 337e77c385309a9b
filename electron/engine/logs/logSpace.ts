import { lstatSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** What a rotating log file tells about the disk space it takes (rotatingLogFile.ts). */
export interface LogFileAccount {
  /** A new, empty file was opened (the first, or the next after a rotation). */
  created(): void;
  /** Bytes were appended to its current file. */
  wrote(bytes: number): void;
  /** A rotation deleted its oldest part, of this size. */
  removed(bytes: number): void;
  /** It is not written any more: the run ended. */
  closed(): void;
}

/** One run's log on disk: the file it writes (`<run>.log`) and its rotated parts beside it (`.1`, `.2`…). */
export interface RunLogSpace {
  readonly path: string;
  readonly jobId: string;
  readonly runId: string;
  bytes: number;
  files: number;
  /** Written by a live run: its current file is never deleted. */
  live: boolean;
}

/** The most rotated parts a run log has (settings.logFilesKept's maximum). */
const MAX_PARTS = 20;
const RUN_LOG_NAME = /^(.+\.log)(?:\.(\d+))?$/;

/** Size and age of one file, or undefined when it is not there. */
function sizeOf(path: string): { size: number; mtimeMs: number } | undefined {
  try {
    const stat = lstatSync(path);
    return stat.isFile() ? { size: stat.size, mtimeMs: stat.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The disk space of every run log under `<data dir>/logs`: scanned once when the engine opens,
 * then kept up to date from what the run logs say they write, rotate and close, so nothing
 * walks the tree again. Ended runs are held oldest ended first (the order the budget deletes
 * them in); a scanned log's age is its newest file's mtime.
 */
export class LogSpace {
  private usedBytes = 0;
  private fileCount = 0;
  /** Insertion order is the order they ended. */
  private readonly ended = new Map<string, RunLogSpace>();
  private readonly live = new Map<string, RunLogSpace>();
  /** Paths of each job's logs, so a removed job's are found without visiting all. */
  private readonly byJob = new Map<string, Set<string>>();
  private changes = 0;

  /** `grew`: the space used went up (the budget looks whether it is over). */
  constructor(
    readonly logsDir: string,
    private readonly grew: () => void = () => {},
  ) {
    this.scan();
  }

  get bytes(): number {
    return this.usedBytes;
  }

  get files(): number {
    return this.fileCount;
  }

  /**
   * Moves whenever something the budget could delete appears: a run ended, a live log rotated
   * (a new part). A budget pass that could not get under the limit needs none again until then.
   */
  get deletableChanges(): number {
    return this.changes;
  }

  /** Ended runs' logs, the oldest ended first. */
  endedOldestFirst(): RunLogSpace[] {
    return [...this.ended.values()];
  }

  liveRuns(): RunLogSpace[] {
    return [...this.live.values()];
  }

  isLive(path: string): boolean {
    return this.live.has(path);
  }

  /** The log a run is about to write: live until its account is closed. */
  open(jobId: string, runId: string, path: string): LogFileAccount {
    let entry = this.ended.get(path) ?? this.live.get(path);
    this.ended.delete(path);
    if (entry) {
      // Written before (a run adopted again after a restart): what is on disk now is what counts.
      this.adjust(entry, -entry.bytes, -entry.files);
      const found = this.partsOnDisk(path);
      this.adjust(entry, found.bytes, found.files);
      entry.live = true;
    } else {
      entry = { path, jobId, runId, bytes: 0, files: 0, live: true };
      this.index(entry);
    }
    this.live.set(path, entry);
    const run = entry;
    return {
      created: () => {
        this.adjust(run, 0, 1);
        if (run.files > 1) this.changes++;
      },
      wrote: (bytes) => {
        this.adjust(run, bytes, 0);
        this.grew();
      },
      removed: (bytes) => this.adjust(run, -bytes, -1),
      closed: () => {
        if (this.live.get(run.path) !== run) return;
        this.live.delete(run.path);
        run.live = false;
        this.ended.set(run.path, run);
        this.changes++;
      },
    };
  }

  /** Deletes every file of a run's log that is not live; the bytes it freed. */
  deleteRun(entry: RunLogSpace): number {
    if (entry.live) return 0;
    for (const path of this.partPaths(entry.path)) rmSync(path, { force: true });
    const freed = entry.bytes;
    this.adjust(entry, -entry.bytes, -entry.files);
    this.ended.delete(entry.path);
    const paths = this.byJob.get(entry.jobId);
    paths?.delete(entry.path);
    if (paths?.size === 0) this.byJob.delete(entry.jobId);
    this.removeDirIfEmpty(dirname(entry.path));
    return freed;
  }

  /**
   * A live run's rotated parts, oldest first (the current file is not one). They are `.1` to
   * `.<files - 1>`: rotation shifts them up and the budget deletes the highest first, so none is skipped.
   */
  rotatedParts(entry: RunLogSpace): { path: string; size: number; mtimeMs: number }[] {
    const parts: { path: string; size: number; mtimeMs: number }[] = [];
    for (let i = Math.min(MAX_PARTS, entry.files - 1); i >= 1; i--) {
      const found = sizeOf(`${entry.path}.${i}`);
      if (found) parts.push({ path: `${entry.path}.${i}`, ...found });
    }
    return parts;
  }

  /** Deletes one rotated part of a live run's log; the bytes it freed. */
  deletePart(entry: RunLogSpace, partPath: string): number {
    const found = sizeOf(partPath);
    if (!found || partPath === entry.path) return 0;
    rmSync(partPath, { force: true });
    this.adjust(entry, -found.size, -1);
    return found.size;
  }

  /** Deletes the log of a run whose record is gone (runsKept, a removed job); a live one stays. */
  forgetRun(path: string): void {
    const entry = this.ended.get(path);
    if (entry) this.deleteRun(entry);
  }

  /** Deletes every log of a removed job, also those of runs no record names any more. */
  forgetJob(jobId: string): void {
    for (const path of [...(this.byJob.get(jobId) ?? [])]) this.forgetRun(path);
  }

  private index(entry: RunLogSpace): void {
    const paths = this.byJob.get(entry.jobId) ?? new Set<string>();
    paths.add(entry.path);
    this.byJob.set(entry.jobId, paths);
  }

  private adjust(entry: RunLogSpace, bytes: number, files: number): void {
    entry.bytes += bytes;
    entry.files += files;
    this.usedBytes += bytes;
    this.fileCount += files;
  }

  private partPaths(path: string): string[] {
    return [path, ...Array.from({ length: MAX_PARTS }, (_, i) => `${path}.${i + 1}`)];
  }

  private partsOnDisk(path: string): { bytes: number; files: number } {
    let bytes = 0;
    let files = 0;
    for (const part of this.partPaths(path)) {
      const found = sizeOf(part);
      if (found) {
        bytes += found.size;
        files++;
      }
    }
    return { bytes, files };
  }

  private removeDirIfEmpty(dir: string): void {
    if (dir === this.logsDir) return;
    try {
      rmdirSync(dir);
    } catch {
      // not empty (another run's log), or already gone
    }
  }

  /** `logs/<job>/<run>.log[.N]`; anything else in the tree is not a run's log and is left alone. */
  private scan(): void {
    let jobDirs: string[];
    try {
      jobDirs = readdirSync(this.logsDir);
    } catch {
      return; // no logs yet
    }
    const found = new Map<string, RunLogSpace & { newest: number }>();
    for (const jobId of jobDirs) {
      const dir = join(this.logsDir, jobId);
      let names: string[];
      try {
        if (!statSync(dir).isDirectory()) continue;
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        const match = RUN_LOG_NAME.exec(name);
        if (!match) continue;
        const file = sizeOf(join(dir, name));
        if (!file) continue;
        const path = join(dir, match[1]!);
        const entry = found.get(path) ?? { path, jobId, runId: basename(match[1]!, '.log'), bytes: 0, files: 0, live: false, newest: 0 };
        entry.bytes += file.size;
        entry.files++;
        entry.newest = Math.max(entry.newest, file.mtimeMs);
        found.set(path, entry);
      }
    }
    for (const { newest: _newest, ...entry } of [...found.values()].sort((a, b) => a.newest - b.newest)) {
      this.ended.set(entry.path, entry);
      this.index(entry);
      this.usedBytes += entry.bytes;
      this.fileCount += entry.files;
    }
  }
}
