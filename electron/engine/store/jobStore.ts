import { renameSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JobDefinition } from '../../../shared/definition';
import type { JobSnapshot } from '../../../shared/jobSnapshot';
import { isActive } from '../../../shared/jobState';
import type { RunRecord } from '../../../shared/run';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { EngineError } from '../engineError';
import type { BatchRecord } from '../scheduler/batches';
import { PRIVATE_FILE_MODE, temporaryPathFor, writeAllvAsync, writeTextAtomic } from './atomicJson';
import { batchSubmittedRecord, encodeBatchItems, listRecordPieces } from './batchItems';
import { describeFsError } from './fsErrors';
import { JobJournal } from './jobJournal';
import { SaveFailures } from './saveFailures';
import { savedJobOf, type SavedJob } from './savedJob';
import { readSavedJobs, writeRejected, type JournalRecord, type Rejected, type SavedState } from './savedJobs';

/** What the store saves, read from the engine when it writes. */
export interface StoreSources {
  jobIds(): string[];
  snapshot(jobId: string): JobSnapshot | undefined;
  /** Its definition (labels, origin, when it was made); without it, what the snapshot says. */
  definition?(jobId: string): JobDefinition | undefined;
  /** Its runs, oldest first, the latest (the snapshot's) included; without them, the snapshot's run only. */
  runs?(jobId: string): readonly RunRecord[];
  batches(): BatchRecord[];
  /** Called before each compaction: the engine applies its retention setting then. */
  beforeCompaction(): void;
}

export interface StoreOptions {
  /** Changes are coalesced into one journal append per this delay. */
  flushDelayMs?: number;
  /** The journal is compacted into jobs.json once it has grown past this, or past jobs.json's size. */
  compactAfterBytes?: number;
  /** Runs kept per job when the saved runs are read back (the settings' runsKept). */
  runsKept?: () => number;
}

/** Records per journal append from the change timer: a burst of 100,000 changes is written in slices, never in one long stall. */
const RECORDS_PER_FLUSH = 5000;
/** Snapshots serialised per event-loop turn while compacting. */
const SNAPSHOTS_PER_TURN = 2000;

const record = (value: JournalRecord) => JSON.stringify(value);

/** The highest run number among `runs` that had ended, or `from`. */
function endedUpTo(runs: readonly RunRecord[], from: number): number {
  let upTo = from;
  for (const run of runs) if (!isActive(run.state) && run.number > upTo) upTo = run.number;
  return upTo;
}

/**
 * One journal record for new jobs (and the batch they form), as pieces: never joined into one
 * string. Records and jobs.json are version 2 (savedJob.ts); version 1 is read, never written.
 */
function submittedRecord(slices: readonly Buffer[], batch?: BatchRecord): Buffer[] {
  return listRecordPieces(`{"submitted":{${batch ? `"batch":${JSON.stringify(batch)},` : ''}"jobs":[`, slices);
}

function submitFailed(what: string, error: unknown, count: number): EngineError {
  return new EngineError('SYSTEM_REFUSED', `could not save ${what} before starting ${count === 1 ? 'it' : 'them'} (${describeFsError(error)}); nothing was started`);
}
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Jobs and batches, kept across engine restarts: jobs.json plus a journal of what changed
 * since (see JobJournal). A new job is in the journal before the engine answers for it;
 * other changes are appended at most flushDelayMs later; the journal is folded into jobs.json
 * once it has grown as large as jobs.json itself, so saving costs O(1) per change amortised
 * and never rewrites 100,000 jobs because one of them changed.
 *
 * Nothing here throws out of a timer: a failed write is reported once (`report`), retried
 * with a growing delay, and reported again when it works; the previous files stay intact.
 */
export class JobStore {
  private journal!: JobJournal;
  private readonly dirty = new Set<string>();
  private flushTimer?: NodeJS.Timeout;
  private readonly flushDelayMs: number;
  private readonly compactAfterBytes: number;
  private baseBytes = 0;
  private compaction?: Promise<void>;
  /** The journal has grown enough to be folded into jobs.json (stays set until that succeeds). */
  private compactionDue = false;
  /** Bumped by every synchronous save: an asynchronous compaction that started before it does not rename over it. */
  private generation = 0;
  private readonly failures: SaveFailures;
  private rejected?: Rejected;
  private closed = false;
  /** Per job, the highest run number journaled in its final state: a change record carries the runs after it, and the latest. */
  private readonly journaledRuns = new Map<string, number>();
  /**
   * Big submissions saved (or being saved) whose jobs are not all in memory yet: jobs.json is
   * written from memory, so a cut now would leave their jobs out and delete the segment that has them.
   */
  private unlistedSubmissions = 0;
  private readonly dataDir: string;
  private readonly runsKept: () => number;

  constructor(
    private readonly path: string,
    private readonly sources: StoreSources,
    private readonly report: (message: string) => void,
    options: StoreOptions = {},
  ) {
    this.failures = new SaveFailures(report);
    this.flushDelayMs = options.flushDelayMs ?? 500;
    this.compactAfterBytes = options.compactAfterBytes ?? 4 * 1024 * 1024;
    this.runsKept = options.runsKept ?? (() => DEFAULT_SETTINGS.runsKept);
    this.dataDir = dirname(path);
  }

  private get journalDir(): string {
    return dirname(this.path);
  }

  /**
   * What the previous engine left, with what could not be read set aside. Jobs it left
   * active (or running, by the registry's word) are marked as ended with it. Call
   * compactNow() once they are back in memory.
   */
  load(wereRunning: ReadonlySet<string> = new Set()): SavedState {
    const state = readSavedJobs(this.path, this.journalDir, wereRunning, this.runsKept());
    // compactNow() follows, which puts every run read here into jobs.json.
    for (const [id, { runs }] of state.saved) this.journaledRuns.set(id, endedUpTo(runs, 0));
    this.journal = new JobJournal(this.journalDir, state.journal);
    if (state.rejected) {
      const { written, message } = writeRejected(state.rejected, state.jobs.length);
      if (!written) this.rejected = state.rejected;
      state.problems.push(message);
    }
    return state;
  }

  /** New jobs (without a run yet) as recordSubmitted takes them: a caller with many encodes them in slices, over several turns. */
  static encodeSubmitted(jobs: readonly SavedJob[]): Buffer {
    return Buffer.from(jobs.map((job) => JSON.stringify(job)).join(','));
  }

  /**
   * Saves new jobs (slices from encodeSubmitted), as one journal record, before they are
   * answered for. Throws an EngineError, and nothing is saved, if the journal cannot be written.
   */
  recordSubmitted(slices: readonly Buffer[], count: number, batch?: BatchRecord): void {
    try {
      this.journal.append([submittedRecord(slices, batch)]);
    } catch (error) {
      throw submitFailed(batch ? `the batch (${count} jobs)` : 'the job', error, count);
    }
    this.compactIfGrown();
  }

  /** A big batch's items (a slice of them) as recordBatchSubmitted takes them: by what sets each apart from `like`, its first (batchItems.ts). */
  static encodeBatchItems(like: SavedJob, jobs: readonly SavedJob[]): Buffer {
    return encodeBatchItems(like, jobs);
  }

  /**
   * recordSubmitted for a big batch, its items encoded by encodeBatchItems: written off the event loop, so other requests are served
   * meanwhile. Its jobs are listed (put in memory) over several turns after it is written: the
   * caller calls `listed` once they all are (never, if it stopped half-way). Until then jobs.json is not
   * rewritten (it is written from the jobs in memory): a compaction waits, and a shutdown's
   * leaves the journal, which has them, as it is.
   */
  async recordBatchSubmitted(like: SavedJob, slices: readonly Buffer[], count: number, batch: BatchRecord): Promise<{ listed(): void }> {
    this.unlistedSubmissions++;
    try {
      await this.journal.appendAlone(batchSubmittedRecord(batch, like, slices));
    } catch (error) {
      this.unlistedSubmissions--;
      throw submitFailed(`the batch (${count} jobs)`, error, count);
    }
    let released = false;
    return {
      listed: () => {
        if (released) return;
        released = true;
        this.unlistedSubmissions--;
        this.compactIfGrown();
      },
    };
  }

  /** The job changed (or was removed): saved with the next flush. */
  changed(jobId: string): void {
    if (this.closed) return;
    this.dirty.add(jobId);
    this.flushTimer ??= setTimeout(() => this.flushSoonFromTimer(), this.flushDelayMs);
  }

  /**
   * Writes everything to jobs.json now and empties the journal (at start-up, and at shutdown).
   * Returns false, after reporting why, if it could not.
   */
  compactNow(): boolean {
    this.generation++;
    // Into the journal first: should jobs.json fail to be written, the journal still has it all.
    this.flushAll();
    // A batch still being listed (the engine shuts down meanwhile): its jobs are in the journal
    // only, which the next engine replays whole; jobs.json written now would drop them.
    if (this.unlistedSubmissions > 0) return this.dirty.size === 0;
    try {
      this.writeRejectedFirst();
      this.sources.beforeCompaction();
      const upTo = this.journal.startSegment();
      const cutSeq = this.journal.lastSeq;
      const snapshots = this.sources.jobIds().flatMap((id) => {
        const saved = this.savedJob(id);
        return saved ? [JSON.stringify(saved)] : [];
      });
      const text = `${this.baseHead(cutSeq)}${snapshots.join(',')}]}`;
      writeTextAtomic(this.path, text);
      this.compacted(text.length, upTo);
      return true;
    } catch (error) {
      this.failed('jobs.json', `could not save jobs to ${this.path}`, error);
      return false;
    }
  }

  /** Saves what is pending and stops writing (engine shutdown). */
  close(): void {
    this.compactNow();
    this.closed = true;
    // A failed last save leaves the journal as the record; no retry outlives the engine.
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.journal.close();
  }

  private flushSoonFromTimer(): void {
    this.flushTimer = undefined;
    if (this.closed) return;
    if (this.flushSlice() && this.dirty.size > 0) {
      // More than one slice waiting: go on at the next turn, after other work got its go.
      this.flushTimer = setTimeout(() => this.flushSoonFromTimer(), 0);
    }
  }

  private flushAll(): void {
    while (this.dirty.size > 0 && this.flushSlice());
  }

  /** Appends up to RECORDS_PER_FLUSH pending changes; false (reported, retried later) if the append failed. */
  private flushSlice(): boolean {
    const ids: string[] = [];
    for (const id of this.dirty) {
      ids.push(id);
      if (ids.length >= RECORDS_PER_FLUSH) break;
    }
    const journaled = new Map<string, number>();
    const records = ids.map((id) => {
      const job = this.savedJob(id);
      if (!job) return record({ removed: id });
      const upTo = this.journaledRuns.get(id) ?? 0;
      // The runs not yet journaled in their final state, and the latest (the list shows it).
      const runs = job.runs.filter((run) => run.number > upTo || run.runId === job.status.runId);
      journaled.set(id, endedUpTo(runs, upTo));
      return record({ job: { ...job, runs } });
    });
    try {
      this.journal.append(records);
    } catch (error) {
      this.failed('journal', 'could not save job changes to the journal', error);
      return false;
    }
    for (const id of ids) {
      this.dirty.delete(id);
      const upTo = journaled.get(id);
      if (upTo === undefined) this.journaledRuns.delete(id);
      else this.journaledRuns.set(id, upTo);
    }
    this.failures.succeeded('journal');
    this.compactIfGrown();
    return true;
  }

  private compactIfGrown(): void {
    if (this.journal.bytesSinceCompaction >= Math.max(this.compactAfterBytes, this.baseBytes)) this.compactionDue = true;
    // Not while a big submission is being written to its own segment: the cut would skip it.
    if (!this.compactionDue || this.compaction || this.closed || this.journal.isWritingAlone || this.unlistedSubmissions > 0) return;
    // From the next turn: not inside the request or append that found the journal grown.
    this.compaction = nextTurn()
      .then(() => this.compactInTurns())
      .finally(() => (this.compaction = undefined));
  }

  private compacted(bytes: number, upTo: number): void {
    this.baseBytes = bytes;
    this.compactionDue = false;
    this.journal.deleteSegments(upTo);
    this.failures.succeeded('jobs.json');
  }

  /**
   * The same as compactNow, spread over event-loop turns: serialising 100,000 snapshots at
   * once would hold every other request for a second. Snapshots taken after the cut may be
   * newer than it; replaying the records after the cut on top of them is still right, since
   * every record is a whole snapshot (or a removal).
   */
  private async compactInTurns(): Promise<void> {
    // Started a turn after it was asked for: a big submission may have begun writing since (it
    // asks again when it is done).
    if (this.closed || this.journal.isWritingAlone || this.unlistedSubmissions > 0) return;
    const generation = this.generation;
    const tmp = temporaryPathFor(this.path);
    let file: FileHandle | undefined;
    try {
      this.writeRejectedFirst();
      this.sources.beforeCompaction();
      const upTo = this.journal.startSegment();
      const cutSeq = this.journal.lastSeq;
      const ids = this.sources.jobIds();
      // Encoded slice by slice, never joined: one 50 MB string would hold the loop for a while.
      const slices: Buffer[] = [];
      for (let i = 0; i < ids.length; i += SNAPSHOTS_PER_TURN) {
        const texts: string[] = [];
        for (const id of ids.slice(i, i + SNAPSHOTS_PER_TURN)) {
          const saved = this.savedJob(id);
          if (saved) texts.push(JSON.stringify(saved));
        }
        if (texts.length > 0) slices.push(Buffer.from((slices.length > 0 ? ',' : '') + texts.join(',')));
        await nextTurn();
        if (this.closed || generation !== this.generation) return;
      }
      const pieces = [Buffer.from(this.baseHead(cutSeq)), ...slices, Buffer.from(']}')];
      file = await open(tmp, 'w', PRIVATE_FILE_MODE);
      await writeAllvAsync(file, pieces);
      await file.sync();
      await file.close();
      file = undefined;
      if (this.closed || generation !== this.generation) return;
      renameSync(tmp, this.path);
      this.compacted(pieces.reduce((n, p) => n + p.length, 0), upTo);
    } catch (error) {
      this.failed('jobs.json', `could not save jobs to ${this.path}`, error);
    } finally {
      await file?.close().catch(() => undefined);
      rmSync(tmp, { force: true });
    }
  }

  /** A job as saved now (savedJob.ts), undefined once it is gone. */
  private savedJob(id: string): SavedJob | undefined {
    const snapshot = this.sources.snapshot(id);
    if (!snapshot) return undefined;
    return savedJobOf(snapshot, this.dataDir, this.sources.definition?.(id), this.sources.runs?.(id));
  }

  /** jobs.json up to its list of jobs, which follows as comma-separated saved jobs and `]}`. */
  private baseHead(journalSeq: number): string {
    return `{"version":2,"journalSeq":${journalSeq},"batches":${JSON.stringify(this.sources.batches())},"jobs":[`;
  }

  private writeRejectedFirst(): void {
    if (!this.rejected) return;
    const { written, message } = writeRejected(this.rejected, this.sources.jobIds().length);
    if (!written) throw new Error(message);
    this.rejected = undefined;
    this.report(message);
  }

  private failed(channel: string, what: string, error: unknown): void {
    const delay = this.failures.failed(channel, what, error);
    if (this.closed) return;
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushSoonFromTimer();
      this.compactIfGrown();
    }, delay);
  }
}
