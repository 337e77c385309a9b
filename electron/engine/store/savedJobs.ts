import { z } from 'zod';
import { jobSnapshotSchema, type JobSnapshot } from '../../../shared/jobSnapshot';
import { isActive } from '../../../shared/jobState';
import { batchRecordSchema, type BatchRecord } from '../scheduler/batches';
import { readSavedText, setAside, writeJsonAtomic } from './atomicJson';
import { describeFsError } from './fsErrors';
import { JobJournal, type JournalLine } from './jobJournal';

/** jobs.json: every job and batch as of journal record `journalSeq`; later records are in the journal. */
const baseSchema = z.object({
  version: z.literal(1),
  journalSeq: z.number().int().nonnegative().default(0),
  jobs: z.array(z.unknown()),
  batches: z.array(z.unknown()).default([]),
});

/** A job changed (its whole snapshot), a job was removed, or new jobs (maybe a batch) were submitted. */
export const journalRecordSchema = z.union([
  z.object({ job: jobSnapshotSchema }),
  z.object({ removed: z.string() }),
  // Each submitted job is checked on its own at load: one bad one must not hide the others.
  z.object({ submitted: z.object({ jobs: z.array(z.unknown()), batch: z.unknown().optional() }) }),
]);
export type JournalRecord = z.infer<typeof journalRecordSchema>;

export interface Rejected {
  path: string;
  content: object;
  /** What could not be read, for the notice: "1 of 4 saved jobs (spec.command: …)". */
  summary: string;
}

export interface SavedState {
  jobs: JobSnapshot[];
  batches: BatchRecord[];
  /** Where the journal goes on from. */
  journal: { lastSegment: number; lastSeq: number };
  /** Unreadable entries, to be written next to jobs.json before jobs.json is rewritten without them. */
  rejected?: Rejected;
  problems: string[];
}

/** Entries of an array that match the schema, and the first problem of those that do not. */
function sortEntries<S extends z.ZodType>(entries: readonly unknown[], schema: S): { good: z.output<S>[]; bad: unknown[]; firstProblem?: string } {
  const good: z.output<S>[] = [];
  const bad: unknown[] = [];
  let firstProblem: string | undefined;
  for (const entry of entries) {
    const parsed = schema.safeParse(entry);
    if (parsed.success) good.push(parsed.data);
    else {
      bad.push(entry);
      firstProblem ??= parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ');
    }
  }
  return { good, bad, firstProblem };
}

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

/** A job its engine left active did not survive it: it is remembered as ended with the engine. */
function endedWithEngine(job: JobSnapshot, wasRunning: boolean): JobSnapshot {
  if (job.state === 'queued' && !wasRunning) return { ...job, state: 'skipped', reason: 'the engine stopped while this job was queued', stdinOpen: false };
  if (isActive(job.state) || job.state === 'queued') return { ...job, state: 'killed', reason: 'the engine stopped while this job was active', stdinOpen: false };
  return { ...job, stdinOpen: false };
}

/**
 * Reads jobs.json and replays the journal on it. A file that cannot be read at all is set
 * aside whole; entries that do not parse (a bad job among good ones, a torn journal line)
 * are kept apart for a file next to jobs.json, and every good entry is kept.
 */
export function readSavedJobs(path: string, journalDir: string, wereRunning: ReadonlySet<string>): SavedState {
  const problems: string[] = [];
  const base = readBase(path, problems);
  const jobs = sortEntries(base?.jobs ?? [], jobSnapshotSchema);
  let totalJobs = base?.jobs.length ?? 0;
  const batches = sortEntries(base?.batches ?? [], batchRecordSchema);
  const byId = new Map(jobs.good.map((job) => [job.id, job]));
  const batchesById = new Map(batches.good.map((batch) => [batch.id, batch]));

  const journal = JobJournal.read(journalDir);
  problems.push(...journal.problems.map((p) => `could not read the job journal (${p})`));
  const badLines: unknown[] = [...journal.unreadable];
  let journalProblem = journal.unreadable.length > 0 ? 'a line that is not a complete record: the engine died while writing it, before answering for it' : undefined;
  const after = base?.journalSeq ?? 0;
  for (const line of journal.lines.filter((l: JournalLine) => l.seq > after).sort((a, b) => a.seq - b.seq)) {
    const parsed = journalRecordSchema.safeParse(line.record);
    if (!parsed.success) {
      badLines.push(line);
      journalProblem ??= parsed.error.issues[0]?.message;
      continue;
    }
    const record = parsed.data;
    if ('job' in record) byId.set(record.job.id, record.job);
    else if ('removed' in record) byId.delete(record.removed);
    else {
      const submitted = sortEntries(record.submitted.jobs, jobSnapshotSchema);
      for (const job of submitted.good) byId.set(job.id, job);
      jobs.bad.push(...submitted.bad);
      jobs.firstProblem ??= submitted.firstProblem;
      totalJobs += record.submitted.jobs.length;
      if (record.submitted.batch !== undefined) {
        const batch = batchRecordSchema.safeParse(record.submitted.batch);
        if (batch.success) batchesById.set(batch.data.id, batch.data);
        else batches.bad.push(record.submitted.batch);
      }
    }
  }

  const state: SavedState = {
    jobs: [...byId.values()].map((job) => endedWithEngine(job, wereRunning.has(job.id))),
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
