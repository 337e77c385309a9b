import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, readSavedText, writeAllv, writeAllvAsync } from './atomicJson';

/** One line of the journal: a record with its sequence number (the base file says up to which one it holds). */
export interface JournalLine {
  seq: number;
  record: unknown;
}

const SEGMENT = /^jobs\.journal-(\d+)$/;
const LINE_END = Buffer.from('}\n');

/**
 * The append-only journal beside jobs.json: one JSON record per line, written with a single
 * write(2) before the engine answers the request that made it. No fsync: the journal guards
 * against the engine dying (SIGKILL, a crash), and what a dead process wrote is in the page
 * cache, which the kernel writes out; only a machine crash can lose the last seconds, and
 * jobs.json, compacted from the journal from time to time, is fsynced. An fsync per request
 * would cost more than the spawn itself (the README's registry note measured it).
 *
 * The journal is a series of segments (jobs.journal-<n>): compaction starts a new segment,
 * writes jobs.json from memory, then deletes the older segments. Records carry a global
 * sequence number and jobs.json the last one it holds, so a compaction interrupted at any
 * point replays correctly.
 */
export class JobJournal {
  private fd?: number;
  private segment: number;
  private segmentBytes = 0;
  private nextSeq: number;
  /** Bytes appended since the last compaction started. */
  bytesSinceCompaction = 0;
  /** Records being written to their own segment (appendAlone): no compaction may cut meanwhile. */
  private writingAlone = 0;

  constructor(
    private readonly dir: string,
    existing: { lastSegment: number; lastSeq: number },
  ) {
    this.segment = existing.lastSegment + 1;
    this.nextSeq = existing.lastSeq + 1;
  }

  /** The segments in the directory, oldest first. */
  static segments(dir: string): number[] {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .map((name) => SEGMENT.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** Every line of every segment, in order; lines that do not parse are returned apart. */
  static read(dir: string): { lines: JournalLine[]; unreadable: string[]; problems: string[]; lastSegment: number; lastSeq: number } {
    const lines: JournalLine[] = [];
    const unreadable: string[] = [];
    const problems: string[] = [];
    const segments = JobJournal.segments(dir);
    let lastSeq = 0;
    for (const n of segments) {
      const read = readSavedText(join(dir, `jobs.journal-${n}`));
      if (!read.ok) {
        if (!read.missing) problems.push(`journal segment ${n}: ${read.problem}`);
        continue;
      }
      for (const text of read.text.split('\n')) {
        if (text === '') continue;
        const line = parseLine(text);
        if (line) {
          lines.push(line);
          lastSeq = Math.max(lastSeq, line.seq);
        } else unreadable.push(text);
      }
    }
    return { lines, unreadable, problems, lastSegment: segments.at(-1) ?? 0, lastSeq };
  }

  /** The sequence number the next record gets; every one before it has been appended. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /**
   * Appends records in one write. Each record is given as its JSON text, or as pieces of it
   * (a 100,000-job submission is encoded in slices beforehand, never joined into one string).
   * On failure (a full disk) the segment is cut back to where it was, so a torn record never
   * runs into the next one, and the error is thrown.
   */
  append(records: readonly (string | readonly Uint8Array[])[]): void {
    if (records.length === 0) return;
    let seq = this.nextSeq;
    const buffers: Uint8Array[] = [];
    for (const record of records) {
      buffers.push(Buffer.from(`{"seq":${seq++},"record":`));
      if (typeof record === 'string') buffers.push(Buffer.from(record));
      else buffers.push(...record);
      buffers.push(LINE_END);
    }
    const fd = this.openSegment();
    try {
      writeAllv(fd, buffers);
    } catch (error) {
      this.cutBack(fd);
      throw error;
    }
    const bytes = buffers.reduce((n, b) => n + b.length, 0);
    this.segmentBytes += bytes;
    this.bytesSinceCompaction += bytes;
    this.nextSeq = seq;
  }

  /**
   * Appends one large record (a big batch) to a segment of its own, written off the event
   * loop: other records go on being appended meanwhile. Its sequence number is taken now, so
   * replay puts it before whatever is appended while it is written; a compaction waits for it
   * (see isWritingAlone). On failure the segment is removed and the error thrown.
   */
  async appendAlone(record: readonly Uint8Array[]): Promise<void> {
    const seq = this.nextSeq++;
    this.closeSegment();
    const own = ++this.segment;
    this.segment++;
    const path = join(this.dir, `jobs.journal-${own}`);
    const buffers = [Buffer.from(`{"seq":${seq},"record":`), ...record, LINE_END];
    this.writingAlone++;
    try {
      mkdirSync(this.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      const file = await open(path, 'wx', PRIVATE_FILE_MODE);
      try {
        await writeAllvAsync(file, buffers);
      } finally {
        await file.close();
      }
    } catch (error) {
      rmSync(path, { force: true });
      throw error;
    } finally {
      this.writingAlone--;
    }
    this.bytesSinceCompaction += buffers.reduce((n, b) => n + b.length, 0);
  }

  get isWritingAlone(): boolean {
    return this.writingAlone > 0;
  }

  /**
   * Starts a new segment for what comes next; returns the last segment a compaction that
   * covers every record so far may delete.
   */
  startSegment(): number {
    this.closeSegment();
    this.bytesSinceCompaction = 0;
    return this.segment++;
  }

  /** Deletes the segments up to and including `last` (jobs.json now holds their records). */
  deleteSegments(last: number): void {
    for (const n of JobJournal.segments(this.dir)) if (n <= last) rmSync(join(this.dir, `jobs.journal-${n}`), { force: true });
  }

  close(): void {
    this.closeSegment();
  }

  private openSegment(): number {
    if (this.fd === undefined) {
      mkdirSync(this.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      this.fd = openSync(join(this.dir, `jobs.journal-${this.segment}`), 'a', PRIVATE_FILE_MODE);
      this.segmentBytes = 0;
    }
    return this.fd;
  }

  private cutBack(fd: number): void {
    try {
      ftruncateSync(fd, this.segmentBytes);
    } catch {
      // Cannot cut it back: leave the torn tail where it is (it will not parse, and is set
      // aside at load) and go on in a fresh segment.
      this.closeSegment();
      this.segment++;
    }
  }

  private closeSegment(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function parseLine(text: string): JournalLine | undefined {
  try {
    const value = JSON.parse(text) as { seq?: unknown; record?: unknown };
    if (typeof value !== 'object' || value === null || typeof value.seq !== 'number' || value.record === undefined) return undefined;
    return { seq: value.seq, record: value.record };
  } catch {
    return undefined;
  }
}
