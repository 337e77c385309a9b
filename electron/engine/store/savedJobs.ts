import { dirname } from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../../../shared/lazySchema';
import type { JobDefinition } from '../../../shared/definition';
import type { JobSnapshot } from '../../../shared/jobSnapshot';
import type { RunRecord } from '../../../shared/run';
import { batchRecordSchema, type BatchRecord } from '../scheduler/batches';
import { readSavedText, setAside, writeJsonAtomic } from './atomicJson';
import { batchSubmittedSchema, expandBatchItems, type BatchSubmitted } from './batchItems';
import { describeFsError } from './fsErrors';
import { JobJournal, type JournalLine } from './jobJournal';
import { endedWithEngine, mergeRuns, parseSavedEntry, snapshotOfSaved, type SavedJob } from './savedJob';

/**
 * jobs.json: every job and batch as of journal record `journalSeq`; later records are in the
 * journal. Version 1 held each job as its snapshot; version 2 as its definition, status and
 * runs (savedJob.ts). Either is read (a version-1 file, and its journal, are migrated as they
 * are read); version 2 is written.
 */
const baseSchema = lazySchema(() => z.object({
  version: z.union([z.literal(1), z.literal(2)]),
  journalSeq: z.number().int().nonnegative().default(0),
  jobs: z.array(z.unknown()),
  batches: z.array(z.unknown()).default([]),
}));

/** A job changed (as saved, or a version-1 snapshot), a job was removed, or new jobs (maybe a batch) were submitted. */
export const journalRecordSchema = lazySchema(() => z.union([
  // Each job is checked on its own (parseSavedEntry): one bad one must not hide the others.
  z.object({ job: z.unknown().refine((job) => job !== undefined, 'a job record without its job') }),
  z.object({ removed: z.string() }),
  z.object({ submitted: z.object({ jobs: z.array(z.unknown()), batch: z.unknown().optional() }) }),
  // A big batch by its items' differences (batchItems.ts).
  z.object({ batchSubmitted: batchSubmittedSchema }),
]));
export type JournalRecord = { job: SavedJob } | { removed: string } | { submitted: { jobs: SavedJob[]; batch?: BatchRecord } } | { batchSubmitted: BatchSubmitted };

export interface Rejected {
  path: string;
  content: object;
  /** What could not be read, for the notice: "1 of 4 saved jobs (spec.command: …)". */
  summary: string;
}

export interface SavedState {
  /** What the list shows of each job, in the saved order. */
  jobs: JobSnapshot[];
  /** Each job's definition and its runs (oldest first, at most runsKept). */
  saved: Map<string, { definition: JobDefinition; runs: RunRecord[] }>;
  batches: BatchRecord[];
  /** Where the journal goes on from. */
  journal: { lastSegment: number; lastSeq: number };
  /** Unreadable entries, to be written next to jobs.json before jobs.json is rewritten without them. */
  rejected?: Rejected;
  problems: string[];
}

type Parse<T> = (entry: unknown) => { ok: true; value: T } | { ok: false; problem: string };

/** Entries of an array that parse, and the first problem of those that do not. */
function sortEntries<T>(entries: readonly unknown[], parse: Parse<T>): { good: T[]; bad: unknown[]; firstProblem?: string } {
  const good: T[] = [];
  const bad: unknown[] = [];
  let firstProblem: string | undefined;
  for (const entry of entries) {
    const parsed = parse(entry);
    if (parsed.ok) good.push(parsed.value);
    else {
      bad.push(entry);
      firstProblem ??= parsed.problem;
    }
  }
  return { good, bad, firstProblem };
}

const bySchema =
  <S extends z.ZodType>(schema: S): Parse<z.output<S>> =>
  (entry) => {
    const parsed = schema.safeParse(entry);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ') };
  };

function readBase(path: string, problems: string[]): z.output<typeof baseSchema> | undefined {
  const read = readSavedText(path);
  if (!read.ok) {
    if (!read.missing) problems.push(`could not read saved jobs (${read.problem}); ${setAside(path)}`);
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(read.text);
  } catch (error) {
    problems.push(`could not read saved jobs (${(error as Error).message}); ${setAside(path)}`);
    return undefined;
  }
  const parsed = baseSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  problems.push(`could not read saved jobs (${parsed.error.message}); ${setAside(path)}`);
  return undefined;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Reads jobs.json and replays the journal on it. A file that cannot be read at all is set
 * aside whole; entries that do not parse (a bad job among good ones, a torn journal line)
 * are kept apart for a file next to jobs.json, and every good entry is kept.
 */
export function readSavedJobs(path: string, journalDir: string, wereRunning: ReadonlySet<string>, runsKept: number): SavedState {
  const problems: string[] = [];
  const dataDir = dirname(path);
  const parseJob: Parse<SavedJob> = (entry) => {
    const parsed = parseSavedEntry(entry, dataDir);
    return parsed.ok ? { ok: true, value: parsed.job } : parsed;
  };
  const base = readBase(path, problems);
  const jobs = sortEntries(base?.jobs ?? [], parseJob);
  let totalJobs = base?.jobs.length ?? 0;
  const batches = sortEntries(base?.batches ?? [], bySchema(batchRecordSchema));
  const byId = new Map(jobs.good.map((job) => [job.definition.id, job]));
  const batchesById = new Map(batches.good.map((batch) => [batch.id, batch]));
  /** A job record replaces what is known of the job, except its earlier runs, which it adds to. */
  const replay = (job: SavedJob) => {
    const known = byId.get(job.definition.id);
    byId.set(job.definition.id, known ? { ...job, runs: mergeRuns(known.runs, job.runs, runsKept) } : job);
  };

  const journal = JobJournal.read(journalDir);
  problems.push(...journal.problems.map((p) => `could not read the job journal (${p})`));
  const badLines: unknown[] = [...journal.unreadable];
  let journalProblem = journal.unreadable.length > 0 ? 'a line that is not a complete record: the engine died while writing it, before answering for it' : undefined;
  const after = base?.journalSeq ?? 0;
  for (const line of journal.lines.filter((l: JournalLine) => l.seq > after).sort((a, b) => a.seq - b.seq)) {
    const parsed = journalRecordSchema.safeParse(line.record);
    const changed = parsed.success && 'job' in parsed.data ? parseJob(parsed.data.job) : undefined;
    if (!parsed.success || (changed && !changed.ok)) {
      badLines.push(line);
      journalProblem ??= parsed.success ? (changed as { problem: string }).problem : parsed.error.issues[0]?.message;
      continue;
    }
    const record = parsed.data;
    if (changed?.ok) replay(changed.value);
    else if ('removed' in record) byId.delete(record.removed);
    else if ('submitted' in record || 'batchSubmitted' in record) {
      const { jobs: entries, batch: batchEntry } = 'submitted' in record ? record.submitted : { jobs: expandBatchItems(record.batchSubmitted), batch: record.batchSubmitted.batch };
      const submitted = sortEntries(entries, parseJob);
      for (const job of submitted.good) replay(job);
      jobs.bad.push(...submitted.bad);
      jobs.firstProblem ??= submitted.firstProblem;
      totalJobs += entries.length;
      if (batchEntry !== undefined) {
        const batch = batchRecordSchema.safeParse(batchEntry);
        if (batch.success) batchesById.set(batch.data.id, batch.data);
        else batches.bad.push(batchEntry);
      }
    }
  }

  const saved = new Map<string, { definition: SavedJob['definition']; runs: RunRecord[] }>();
  const snapshots: JobSnapshot[] = [];
  for (const [id, job] of byId) {
    const ended = endedWithEngine(job, wereRunning.has(id));
    const runs = ended.runs.length > runsKept ? ended.runs.slice(-runsKept) : ended.runs;
    saved.set(id, { definition: ended.definition, runs });
    snapshots.push(snapshotOfSaved(ended));
  }
  const state: SavedState = {
    jobs: snapshots,
    saved,
    batches: [...batchesById.values()],
    journal: { lastSegment: journal.lastSegment, lastSeq: Math.max(journal.lastSeq, after) },
    problems,
  };
  if (jobs.bad.length + batches.bad.length + badLines.length > 0) {
    const parts = [
      jobs.bad.length > 0 && `${jobs.bad.length} of ${totalJobs} saved jobs (${jobs.firstProblem})`,
      batches.bad.length > 0 && `${count(batches.bad.length, 'saved batch', 'saved batches')} (${batches.firstProblem})`,
      badLines.length > 0 && `${count(badLines.length, 'journal record', 'journal records')} (${journalProblem})`,
    ].filter(Boolean);
    state.rejected = { path: `${path}.rejected-${Date.now()}`, summary: parts.join(', '), content: { jobs: jobs.bad, batches: batches.bad, journalLines: badLines } };
  }
  return state;
}

/**
 * Writes the entries that could not be read next to jobs.json; until that succeeds, jobs.json
 * must not be rewritten without them. Returns the sentence for the operator.
 */
export function writeRejected(rejected: Rejected, keptJobs: number): { written: boolean; message: string } {
  try {
    writeJsonAtomic(rejected.path, { rejectedAt: new Date().toISOString(), ...rejected.content });
    return { written: true, message: `could not read ${rejected.summary}: set aside in ${rejected.path}; the other ${count(keptJobs, 'job is', 'jobs are')} kept` };
  } catch (error) {
    return {
      written: false,
      message: `could not read ${rejected.summary}, nor set them aside in ${rejected.path} (${describeFsError(error)}); the other ${count(keptJobs, 'job is', 'jobs are')} kept, and jobs.json is left as it is until they can be set aside`,
    };
  }
}
