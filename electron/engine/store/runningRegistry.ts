import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../../../shared/lazySchema';

export const runningRecordSchema = lazySchema(() => z.object({
  jobId: z.string(),
  runId: z.string(),
  pgid: z.number().int(),
  /** Leader's start time in clock ticks since boot: tells our group from a recycled pgid. */
  startTime: z.number().optional(),
  command: z.string(),
  engineStartedAt: z.number(),
}));
export type RunningRecord = z.infer<typeof runningRecordSchema>;

const entrySchema = lazySchema(() => z.union([z.object({ add: runningRecordSchema }), z.object({ remove: z.string() })]));
/** The registry of earlier versions: one JSON document rewritten at each change. */
const legacySchema = lazySchema(() => z.object({ enginePid: z.number().int(), records: z.array(runningRecordSchema) }));

export const JOURNAL_FILE = 'running.journal';
const LEGACY_FILE = 'running.json';

export interface Leftovers {
  records: RunningRecord[];
  /** What was wrong with the registry (set aside, or cut short); recovery then relies on its /proc and cgroup scan. */
  problem?: string;
}

/**
 * The process groups this engine has running, as an append-only journal: one line per start
 * ("add") and per end ("remove"), written when it happens. A crash or a full disk can only
 * cut the last line short, which costs at most that one record (crash recovery's scan for
 * run markers and cgroups finds its processes anyway); every earlier line stays readable.
 * The journal is rewritten (temp file + rename) with just the live records when it has
 * grown, at start-up and at shutdown. One line per change also keeps a burst of a thousand
 * starts at a thousand small appends, not a thousand rewrites of the whole list.
 */
export class RunningRegistry {
  private readonly records = new Map<string, RunningRecord>();
  private readonly path: string;
  private fd?: number;
  private lines = 0;
  private failing = false;

  constructor(
    private readonly dataDir: string,
    /** A write failed (ENOSPC…): told once, until writing works again. */
    private readonly onProblem: (message: string) => void = () => undefined,
  ) {
    this.path = join(dataDir, JOURNAL_FILE);
  }

  /**
   * What a previous engine left behind; empty when it shut down cleanly. A journal with a line
   * that cannot be read (a last one cut short included) is moved aside, never overwritten, and
   * the records of its readable lines are still returned.
   */
  readLeftovers(): Leftovers {
    const replayed = new Map<string, RunningRecord>();
    const problems: string[] = [];
    const legacy = join(this.dataDir, LEGACY_FILE);
    if (existsSync(legacy)) {
      const read = readLegacy(legacy);
      for (const record of read.records) replayed.set(record.runId, record);
      if (read.problem) problems.push(read.problem);
    }
    let text: string | undefined;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(this.setAside(`could not read the running registry (${(error as NodeJS.ErrnoException).code})`));
    }
    if (text !== undefined) {
      const lines = text.split('\n');
      // After the last newline: empty, or a line the crash cut short.
      const tail = lines.pop()!;
      let bad = 0;
      for (const line of lines) if (!replay(line, replayed)) bad++;
      const torn = tail !== '' && !replay(tail, replayed);
      if (bad > 0 || torn) {
        const what = [bad > 0 && `${bad} record${bad === 1 ? '' : 's'} could not be read`, torn && 'the last record was cut short (a crash or a full disk while writing it)'].filter(Boolean).join(', and ');
        problems.push(this.setAside(`the running registry is damaged: ${what}`));
      }
    }
    const records = [...replayed.values()];
    return problems.length > 0 ? { records, problem: `${problems.join('; ')}; crash recovery scanned /proc for this data directory's run markers and cgroups instead` } : { records };
  }

  add(record: RunningRecord): void {
    this.records.set(record.runId, record);
    this.append({ add: record });
  }

  remove(runId: string): void {
    if (!this.records.delete(runId)) return;
    this.append({ remove: runId });
    if (this.lines > 1024 + 2 * this.records.size) this.compact();
  }

  /** Starts a fresh journal with the live records (at start-up after reaping, and at shutdown). */
  compact(): void {
    this.close();
    const tmp = `${this.path}.${process.pid}.tmp`;
    const text = [...this.records.values()].map((add) => `${JSON.stringify({ add })}\n`).join('');
    try {
      // No fsync: this file guards against the engine dying, not the machine; a dead engine's
      // writes are still in the page cache, and after a machine crash its jobs are gone anyway.
      writeFileSync(tmp, text, { mode: 0o600 });
      renameSync(tmp, this.path);
      rmSync(join(this.dataDir, LEGACY_FILE), { force: true });
      this.lines = this.records.size;
      this.succeeded();
    } catch (error) {
      rmSync(tmp, { force: true });
      this.failed(error);
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // nothing to release
    }
    this.fd = undefined;
  }

  private append(entry: z.infer<typeof entrySchema>): void {
    // After a failed write the journal lacks records (and may end in a torn line that the next
    // append would glue onto): write every live record afresh instead, until that works.
    if (this.failing) return this.compact();
    try {
      this.fd ??= openSync(this.path, 'a', 0o600);
      // One write(2) per line: a crash cannot interleave or half-write it, only a full disk can shorten it.
      const line = `${JSON.stringify(entry)}\n`;
      const written = writeSync(this.fd, line);
      if (written < Buffer.byteLength(line)) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
      this.lines++;
      this.succeeded();
    } catch (error) {
      this.failed(error);
    }
  }

  private setAside(problem: string): string {
    const aside = `${this.path}.unreadable-${Date.now()}`;
    try {
      renameSync(this.path, aside);
      return `${problem}; the file was moved to ${aside}`;
    } catch (error) {
      return `${problem}; it could not be moved aside (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    }
  }

  private succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.onProblem(`running jobs are recorded in ${this.path} again`);
  }

  private failed(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.onProblem(
      `could not record running jobs in ${this.path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); if the engine dies, recovery relies on its scan for run markers and cgroups`,
    );
  }
}

function replay(line: string, into: Map<string, RunningRecord>): boolean {
  if (line === '') return true;
  let parsed;
  try {
    parsed = entrySchema.safeParse(JSON.parse(line));
  } catch {
    return false;
  }
  if (!parsed.success) return false;
  if ('add' in parsed.data) into.set(parsed.data.add.runId, parsed.data.add);
  else into.delete(parsed.data.remove);
  return true;
}

function readLegacy(path: string): Leftovers {
  try {
    const parsed = legacySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (parsed.success) return { records: parsed.data.records };
  } catch {
    // set aside below
  }
  const aside = `${path}.unreadable-${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch {
    // reported below all the same
  }
  return { records: [], problem: `could not read the running registry ${path}; the file was moved to ${aside}` };
}
