import { z } from 'zod';
import { lazySchema } from '../../../shared/lazySchema';
import { jobDefinitionSchema, type JobDefinition } from '../../../shared/definition';
import { jobSnapshotSchema, type JobSnapshot } from '../../../shared/jobSnapshot';
import { isActive, jobStateSchema, type JobState } from '../../../shared/jobState';
import { runRecordSchema, type RunRecord } from '../../../shared/run';
import { restartInfoSchema } from '../../../shared/scheduling';
import { runLogPath } from '../logs/runLogFiles';

/** What the list shows of a job beyond its definition and runs: its state (a run's, or the scheduler's verdict) and its counters. */
export const jobStatusSchema = lazySchema(() => z.object({
  state: jobStateSchema,
  /** The reason the list shows (its latest run's, a verdict's, a pending restart's). */
  reason: z.string().optional(),
  /** Runs so far, counting the current one (the history may keep fewer). */
  runCount: z.number().int(),
  queuedAt: z.number(),
  restarts: restartInfoSchema.default({ automatic: 0, manual: 0 }),
  /** The run the list shows (the job's latest), when it has had one. */
  runId: z.string().optional(),
}));
export type JobStatus = z.infer<typeof jobStatusSchema>;

/**
 * A job as jobs.json (version 2) and its journal hold it: its definition, its status, and its
 * runs, oldest first, the latest last. A journal record of a change carries only the runs not
 * yet journaled in their final state (and the latest); replaying it updates runs by id.
 */
export const savedJobSchema = lazySchema(() => z.object({
  definition: jobDefinitionSchema,
  status: jobStatusSchema,
  runs: z.array(runRecordSchema).default([]),
}));
export type SavedJob = z.infer<typeof savedJobSchema>;

const RUN_STATES: readonly JobState[] = ['starting', 'running', 'paused', 'stopping', 'exited', 'killed', 'timed-out', 'failed-to-start'];

/** A saved entry of either version: a version-2 job (it has a definition), else a version-1 snapshot, migrated. */
export function parseSavedEntry(entry: unknown, dataDir: string): { ok: true; job: SavedJob } | { ok: false; problem: string } {
  const v2 = typeof entry === 'object' && entry !== null && 'definition' in entry;
  const parsed = v2 ? savedJobSchema.safeParse(entry) : jobSnapshotSchema.safeParse(entry);
  if (!parsed.success) return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ') };
  return { ok: true, job: v2 ? (parsed.data as SavedJob) : savedJobOf(parsed.data as JobSnapshot, dataDir) };
}

/** A snapshot's definition, for a job that has no other (a version-1 file, a source that gives only snapshots). */
export function definitionOfSnapshot(job: JobSnapshot): JobDefinition {
  return {
    id: job.id,
    name: job.name,
    spec: job.spec,
    labels: {},
    createdAt: job.queuedAt,
    origin: job.batchId !== undefined ? 'batch' : 'operator',
    ...(job.batchId !== undefined && { batchId: job.batchId }),
  };
}

export function statusOfSnapshot(job: JobSnapshot): JobStatus {
  return {
    state: job.state,
    ...(job.reason !== undefined && { reason: job.reason }),
    runCount: job.runCount,
    queuedAt: job.queuedAt,
    restarts: job.restarts,
    ...(job.runId !== undefined && { runId: job.runId }),
  };
}

/**
 * The run a snapshot shows, as a record; `known` is the run's own record when there is one
 * (what the list shows comes from the snapshot, what only the run knows from its record).
 * Without it the run's own state is guessed where a verdict (crash-looping…) replaced it.
 */
function runOfSnapshot(job: JobSnapshot, dataDir: string, known?: RunRecord): RunRecord | undefined {
  if (job.runId === undefined) return undefined;
  const own = RUN_STATES.includes(job.state);
  const guessed: JobState = own ? job.state : job.exitCode !== undefined ? 'exited' : 'killed';
  const reason = known ? known.reason : own ? job.reason : undefined;
  return {
    runId: job.runId,
    jobId: job.id,
    number: known?.number ?? Math.max(1, job.runCount),
    state: known?.state ?? guessed,
    ...(known?.queuedAt !== undefined && { queuedAt: known.queuedAt }),
    ...(job.startedAt !== undefined && { startedAt: job.startedAt }),
    ...(job.endedAt !== undefined && { endedAt: job.endedAt }),
    ...(job.pid !== undefined && { pid: job.pid }),
    ...(job.pgid !== undefined && { pgid: job.pgid }),
    ...(job.exitCode !== undefined && { exitCode: job.exitCode }),
    ...(job.signal !== undefined && { signal: job.signal }),
    ...(reason !== undefined && { reason }),
    ...((job.endedBy ?? known?.endedBy) !== undefined && { endedBy: job.endedBy ?? known?.endedBy }),
    ...((job.endRequest ?? known?.endRequest) !== undefined && { endRequest: job.endRequest ?? known?.endRequest }),
    outputBytes: job.outputBytes,
    ...(known?.metrics !== undefined && { metrics: known.metrics }),
    log: known?.log ?? { path: runLogPath(dataDir, job.id, job.runId) },
    ...(job.tracking !== undefined && { tracking: job.tracking }),
    ...(job.isolation !== undefined && { isolation: job.isolation }),
    ...(job.timeoutAt !== undefined && { timeoutAt: job.timeoutAt }),
    ...(job.cores !== undefined && { cores: job.cores }),
    ...(job.niceInForce !== undefined && { niceInForce: job.niceInForce }),
    ...(job.stillAlive !== undefined && { stillAlive: job.stillAlive }),
    ...(job.lastStderrLine !== undefined && { lastStderrLine: job.lastStderrLine }),
  };
}

/**
 * A job as it is saved, from what the list shows of it (its snapshot) and, where the engine
 * has them, its definition and its runs. The latest run's figures are the snapshot's, so that
 * snapshotOfSaved gives the snapshot back.
 */
export function savedJobOf(job: JobSnapshot, dataDir: string, definition?: JobDefinition, runs: readonly RunRecord[] = []): SavedJob {
  const earlier = runs.filter((run) => run.runId !== job.runId);
  const latest = runOfSnapshot(
    job,
    dataDir,
    runs.find((run) => run.runId === job.runId),
  );
  return { definition: definition ?? definitionOfSnapshot(job), status: statusOfSnapshot(job), runs: latest ? [...earlier, latest] : earlier };
}

/** What the list shows of a saved job: its definition, its status and the run the status names. Stdin is closed (no engine holds it). */
export function snapshotOfSaved(saved: SavedJob): JobSnapshot {
  const { definition, status } = saved;
  const run = status.runId === undefined ? undefined : saved.runs.findLast((r) => r.runId === status.runId);
  return {
    id: definition.id,
    name: definition.name,
    spec: definition.spec,
    state: status.state,
    runCount: status.runCount,
    ...(run && { runId: run.runId }),
    ...(run?.pid !== undefined && { pid: run.pid }),
    ...(run?.pgid !== undefined && { pgid: run.pgid }),
    ...(run?.exitCode !== undefined && { exitCode: run.exitCode }),
    ...(run?.signal !== undefined && { signal: run.signal }),
    ...(status.reason !== undefined && { reason: status.reason }),
    ...(run?.endedBy !== undefined && { endedBy: run.endedBy }),
    ...(run?.endRequest !== undefined && { endRequest: run.endRequest }),
    queuedAt: status.queuedAt,
    ...(run?.startedAt !== undefined && { startedAt: run.startedAt }),
    ...(run?.endedAt !== undefined && { endedAt: run.endedAt }),
    ...(run?.timeoutAt !== undefined && { timeoutAt: run.timeoutAt }),
    outputBytes: run?.outputBytes ?? 0,
    stdinOpen: false,
    restarts: status.restarts,
    ...(run?.cores !== undefined && { cores: run.cores }),
    ...(run?.niceInForce !== undefined && { niceInForce: run.niceInForce }),
    ...(definition.batchId !== undefined && { batchId: definition.batchId }),
    ...(run?.isolation !== undefined && { isolation: run.isolation }),
    ...(run?.tracking !== undefined && { tracking: run.tracking }),
    ...(run?.stillAlive !== undefined && { stillAlive: run.stillAlive }),
    ...(run?.lastStderrLine !== undefined && { lastStderrLine: run.lastStderrLine }),
  };
}

/** A new job as a submission record holds it: its definition and status (it has no run yet). */
export function newSavedJob(definition: JobDefinition, status: JobStatus): SavedJob {
  if (status.runId !== undefined) throw new Error(`job ${definition.id} is submitted with a run: a new job has none`);
  return { definition, status, runs: [] };
}

/** Adds replayed runs to what is known of a job's: a run is updated by id, a new one appended; the last `keep` stay. */
export function mergeRuns(known: readonly RunRecord[], incoming: readonly RunRecord[], keep: number): RunRecord[] {
  const runs = [...known];
  for (const run of incoming) {
    const at = runs.findIndex((r) => r.runId === run.runId);
    if (at >= 0) runs[at] = run;
    else runs.push(run);
  }
  return runs.length > keep ? runs.slice(-keep) : runs;
}

/**
 * A job its engine left active did not survive it: it is remembered as ended with the engine
 * (queued ones that never ran as skipped), and so is its latest run if that was live.
 */
export function endedWithEngine(job: SavedJob, wasRunning: boolean): SavedJob {
  const { state } = job.status;
  if (state === 'queued' && !wasRunning) {
    return { ...job, status: { ...job.status, state: 'skipped', reason: 'the engine stopped while this job was queued' } };
  }
  if (!isActive(state) && state !== 'queued') return job;
  const reason = 'the engine stopped while this job was active';
  const latest = job.runs.at(-1);
  const runs =
    latest && isActive(latest.state) ? [...job.runs.slice(0, -1), { ...latest, state: 'killed' as const, reason, endedBy: 'engine-died' as const }] : job.runs;
  return { ...job, status: { ...job.status, state: 'killed', reason }, runs };
}
