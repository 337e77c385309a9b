import { jobSpecSchema, type JobSpec, type JobSpecInput } from '../../../shared/jobSpec';
import { EngineError } from '../engineError';
import type { EventCoalescer } from '../eventCoalescer';
import type { Job } from './job';
import type { Monitor } from '../monitor/monitor';
import type { BatchRecord } from '../scheduler/batches';
import type { Scheduler } from '../scheduler/scheduler';
import { JobStore } from '../store/jobStore';
import { newSavedJob } from '../store/savedJob';

/** Jobs serialised, or listed, per event-loop turn while a batch is admitted. */
const ADMIT_PER_TURN = 1000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
// Built from the job's own fields, not its snapshot: a 100,000-line batch spent 80 ms building
// snapshots only to read five fields of each.
const savedNew = (job: Job) => newSavedJob(job.definition(), { state: job.state(), runCount: job.runCount, queuedAt: job.queuedAt, restarts: job.restarts });
const encodeJobs = (jobs: readonly Job[]) => JobStore.encodeSubmitted(jobs.map(savedNew));

export interface AdmissionContext {
  jobs: Map<string, Job>;
  store: JobStore;
  coalescer: EventCoalescer;
  scheduler: Scheduler;
  monitor: Monitor;
  /** Throws if the engine is shutting down. */
  assertOpen(): void;
}

/**
 * How new jobs become real: checked, saved to the journal first (an answered submission
 * survives a SIGKILL of the engine), then listed and queued. If the save fails, nothing
 * changes and the caller hears why.
 */
export class Admission {
  constructor(private readonly ctx: AdmissionContext) {}

  /** Validates a spec and checks what can be checked before queueing; throws an EngineError. */
  check(input: JobSpecInput): JobSpec {
    this.ctx.assertOpen();
    const parsed = jobSpecSchema.safeParse(input);
    if (!parsed.success) throw EngineError.fromZod('INVALID_SPEC', parsed.error);
    const spec = parsed.data;
    const missing = spec.dependsOn.filter((id) => !this.ctx.jobs.has(id));
    if (missing.length > 0) throw new EngineError('NOT_FOUND', `dependsOn names no job with id ${missing.join(', ')}`, 'dependsOn');
    // Preflight now so the caller hears "command not found" at once, even if the job has to queue.
    this.ctx.scheduler.preflight(spec);
    return spec;
  }

  /** Saves, lists and queues new jobs; `queue: false` lists them without starting them (a declared job without autostart). */
  admit(jobs: Job[], options: { queue: boolean } = { queue: true }): void {
    this.ctx.assertOpen();
    this.ctx.store.recordSubmitted([encodeJobs(jobs)], jobs.length);
    this.enlist(jobs, options.queue);
  }

  /**
   * admit for a batch. A big one is spread over event-loop turns so that other requests are
   * answered meanwhile: serialised in slices, saved in one append (all or nothing, written off
   * the loop), then listed and queued in slices. `saved` runs once it is on disk, before any
   * item is queued. The batch is answered once all of it is in.
   */
  async admitBatch(jobs: Job[], batch: BatchRecord, saved: () => void): Promise<void> {
    if (jobs.length <= ADMIT_PER_TURN) {
      // Small enough for one turn: saved and queued at once, answered in order with other requests.
      this.ctx.assertOpen();
      this.ctx.store.recordSubmitted([encodeJobs(jobs)], jobs.length, batch);
      saved();
      this.enlist(jobs);
      this.ctx.coalescer.batchChanged(batch.id);
      return;
    }
    // Each item by what sets it apart from the first: most of the batch's cost was serialising whole jobs.
    const like = savedNew(jobs[0]!);
    const slices: Buffer[] = [];
    for (let i = 0; i < jobs.length; i += ADMIT_PER_TURN) {
      slices.push(JobStore.encodeBatchItems(like, jobs.slice(i, i + ADMIT_PER_TURN).map(savedNew)));
      await nextTurn();
      this.ctx.assertOpen();
    }
    const submission = await this.ctx.store.recordBatchSubmitted(like, slices, jobs.length, batch);
    // Should listing stop half-way (the engine is closing), `listed` is never called: the store
    // then leaves the journal, which has every job of the batch, for the next engine.
    this.ctx.assertOpen();
    saved();
    await this.enlistInTurns(jobs);
    submission.listed();
    this.ctx.coalescer.batchChanged(batch.id);
  }

  /** Lists and queues a saved batch's jobs, ADMIT_PER_TURN a turn. */
  private async enlistInTurns(jobs: Job[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += ADMIT_PER_TURN) {
      if (i > 0) {
        await nextTurn();
        // Saved already: the rest stay in the journal, where the next engine finds them (as never started).
        try {
          this.ctx.assertOpen();
        } catch (error) {
          throw new EngineError('BAD_STATE', `${(error as Error).message}; ${i} of the batch's ${jobs.length} jobs were queued, the others are saved as not started`);
        }
      }
      this.enlist(jobs.slice(i, i + ADMIT_PER_TURN));
    }
  }

  private enlist(jobs: Job[], queue = true): void {
    for (const job of jobs) {
      this.ctx.jobs.set(job.id, job);
      if (job.spec.alerts.length > 0) this.ctx.monitor.setAlertRules(job.id, job.spec.alerts);
      this.ctx.coalescer.jobChanged(job.id);
    }
    this.ctx.coalescer.groupsChanged();
    if (queue) this.ctx.scheduler.admit(jobs);
  }
}
