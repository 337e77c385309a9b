import type { JobSpec, SpecWarning } from '../../../shared/jobSpec';
import type { AdoptableRun, Backend, RunHandle } from '../backends/backend';
import { EngineError } from '../engineError';
import { newId } from '../../../shared/ids';
import type { Job } from '../jobs/job';
import { sameWait, type QueueWait } from '../../../shared/jobWait';
import { dependencyStatus } from './dependencies';
import { DependencyWaits } from './dependencyWaits';
import { Pool } from './pool';
import type { PoolSlot } from './poolGroup';
import { Restarts } from './restarts';

export interface SchedulerContext {
  jobs: ReadonlyMap<string, Job>;
  /** Where a spec runs. */
  backendFor(spec: JobSpec): Backend;
  /** The global limit at start (settings.maxConcurrent). */
  maxConcurrent: number;
  changed(job: Job): void;
  /** Only why a queued job waits moved: clients are told (nothing is saved for it). */
  waitChanged(job: Job): void;
  /** The queue's content or order moved: positions are pushed as one list, not per job. */
  queueChanged(): void;
  logsWaiting(job: Job): void;
  /** Something the operator should hear of (a log file that stopped): an engine notice. */
  notice(message: string): void;
  isClosed(): boolean;
  /** The job's latest run has ended (before its restart policy is consulted): the engine records it. */
  runEnded(job: Job, run: RunHandle): void;
}

/**
 * Takes jobs from queued to running and back: the pool (global and per-group limits,
 * priorities), dependencies, the launch through the job's backend, and what happens when a
 * run ends (automatic restarts with backoff).
 *
 * Slots are handed out by one deferred pump (setImmediate), never from inside the request or
 * exit handler that changed the queue: every request already received (a burst of stops) is
 * applied to the queue before a slot that a run's end freed goes to the next job.
 */
export class Scheduler {
  readonly pool: Pool;
  private readonly waits = new DependencyWaits();
  private pushedQueueVersion = -1;
  private pumpScheduled?: NodeJS.Immediate;
  private readonly restarts = new Restarts({ enqueue: (job) => this.enqueue(job), changed: (job) => this.changed(job) });

  constructor(private readonly ctx: SchedulerContext) {
    this.pool = new Pool(ctx.maxConcurrent);
  }

  /** Queued job ids in the order they would start (position n is index n - 1). */
  queueOrder(): string[] {
    return this.pool.queuedIds();
  }

  /** Checks what can be checked before queueing, so the caller hears of a bad spec at once. */
  preflight(spec: JobSpec): void {
    this.ctx.backendFor(spec).preflight(spec);
  }

  /** What the spec's backend warns of (see Backend.warnings); nothing is queued. */
  warnings(spec: JobSpec): SpecWarning[] {
    return this.ctx.backendFor(spec).warnings(spec);
  }

  /** The live run is being stopped so that the job runs again: it is queued once the run has ended. */
  restartWhenEnded(job: Job): void {
    if (job.phase.kind === 'running') job.phase = { kind: 'running', restartWhenEnded: true };
  }

  /** The operator stops or kills the live run: a restart waiting for its end (a restart's, a watch's, a dependency's) is called off. */
  stayEndedWhenEnded(job: Job): void {
    if (job.phase.kind === 'running') job.phase = { kind: 'running', restartWhenEnded: false };
  }

  /** Something dependants wait for moved without a state change (a readiness probe passed): they are looked at again. */
  dependencyMoved(job: Job): void {
    this.changed(job);
  }

  /** Queues a job again (a restart, a retry); it starts from the next pump. */
  enqueue(job: Job): void {
    job.queuedAt = Date.now();
    this.queue(job);
    this.changed(job);
    this.pump();
  }

  /**
   * Queues new jobs the engine has already saved and announced (see Admission): no change
   * notification per job, which for a 100,000-line batch would be 100,000 store writes.
   */
  admit(jobs: readonly Job[]): void {
    for (const job of jobs) this.queue(job);
    this.pump();
  }

  /** Takes a job out of the queue or its backoff wait. */
  cancel(job: Job, reason = 'cancelled while queued'): boolean {
    if (this.restarts.cancel(job)) return true;
    if (job.phase.kind !== 'queued' || !this.pool.cancel(job.id)) return false;
    this.waits.untrack(job);
    job.phase = { kind: 'ended', verdict: { state: 'skipped', reason } };
    this.changed(job);
    return true;
  }

  /** A job was removed: jobs waiting for it learn that it no longer exists. */
  forget(jobId: string): void {
    this.waits.touch(jobId);
    this.pump();
  }

  /** Hands out free slots at the end of this event-loop turn (coalesced). */
  pump(): void {
    this.pumpScheduled ??= setImmediate(() => {
      this.pumpScheduled = undefined;
      this.pumpNow();
    });
  }

  dispose(): void {
    clearImmediate(this.pumpScheduled);
    this.pumpScheduled = undefined;
    this.restarts.dispose(this.ctx.jobs.values());
  }

  private pumpNow(): void {
    if (this.ctx.isClosed()) return;
    this.settleHeldJobs();
    // A run on a backend with its own queue (a cluster) takes no slot of the global pool, so
    // an unlimited group's batch of 100 reaches the cluster in this one turn (one job array).
    for (const slot of this.pool.takeStartable()) {
      const job = this.ctx.jobs.get(slot.jobId);
      if (!job) {
        slot.release();
        continue;
      }
      this.waits.untrack(job);
      this.launch(job, slot);
    }
    this.tellWaits();
    // Every start shifts every queued job's position: with a thousand queued, marking each
    // job changed would push a thousand snapshots per start. The order goes out as one list.
    if (this.pool.queueVersion !== this.pushedQueueVersion) {
      this.pushedQueueVersion = this.pool.queueVersion;
      this.ctx.queueChanged();
    }
  }

  private queue(job: Job): void {
    job.phase = { kind: 'queued' };
    const held = job.spec.dependsOn.length > 0;
    if (held) this.waits.track(job);
    this.pool.enqueue(job.id, job.spec.group, job.spec.priority, { ready: !held, takesPoolSlot: this.takesPoolSlot(job) });
  }

  /** Queued jobs whose dependencies moved: free to start, held again, or skipped if one failed. */
  private settleHeldJobs(): void {
    while (this.waits.hasTouched) {
      for (const id of this.waits.takeTouched()) {
        const job = this.ctx.jobs.get(id);
        if (!job || !this.pool.isQueued(id)) continue;
        const status = dependencyStatus(job, this.ctx.jobs);
        if (status.kind === 'ready') this.pool.setReady(id);
        else if (status.kind === 'waiting') {
          this.pool.hold(id);
          this.setWait(job, { kind: 'dependency', jobId: status.on.id, name: status.on.name, condition: status.condition, others: status.others });
        }
        if (status.kind !== 'failed') continue;
        this.waits.untrack(job);
        this.pool.cancel(id);
        job.phase = { kind: 'ended', verdict: { state: 'skipped', reason: status.reason } };
        this.changed(job); // its own dependants are touched: the loop goes round again
      }
    }
  }

  /** Startable jobs learn why they still wait (the pool or their group is full, or paused) once the pump has handed out what it could. */
  private tellWaits(): void {
    for (const [id, wait] of this.pool.takeWaitChanges()) {
      const job = this.ctx.jobs.get(id);
      if (job) this.setWait(job, wait);
    }
  }

  private setWait(job: Job, wait: QueueWait | undefined): void {
    if (job.phase.kind !== 'queued' || sameWait(job.phase.wait, wait)) return;
    job.phase = { kind: 'queued', ...(wait && { wait }) };
    this.ctx.waitChanged(job);
  }

  /** Every change of a job's state goes through here: the engine hears of it, and so do its dependants. */
  private changed(job: Job): void {
    this.ctx.changed(job);
    this.waits.touch(job.id);
    if (this.waits.hasTouched) this.pump();
  }

  /**
   * A run a previous engine started that lives on (a cluster's job, found again at open):
   * the job is running again, and the run counts against its group until it ends, as it did
   * before the restart (a cluster's run takes no slot of the global pool).
   */
  adopt(job: Job, adoptable: AdoptableRun): void {
    const slot = this.pool.occupy(job.id, job.spec.group, this.takesPoolSlot(job));
    const run: RunHandle = adoptable.resume({
      changed: () => this.changed(job),
      outputWaiting: () => this.ctx.logsWaiting(job),
      notice: (message) => this.ctx.notice(`job ${job.name}: ${message}`),
      ended: () => this.runEnded(job, run, slot),
    });
    job.run = run;
    job.phase = { kind: 'running', restartWhenEnded: false };
    this.changed(job);
  }

  /** A run on a backend with a queue of its own (a cluster) counts only against its group. */
  private takesPoolSlot(job: Job): boolean {
    return this.ctx.backendFor(job.spec).queuesItself !== true;
  }

  /**
   * Starts a job in the slot it was given. The slot goes back exactly once: through the
   * run's end once the backend started it (for a cluster's run, once the cluster has ended
   * it: pending and running there count against its group), here for any failure before that.
   */
  private launch(job: Job, slot: PoolSlot): void {
    let run: RunHandle;
    const backend = this.ctx.backendFor(job.spec);
    try {
      run = backend.launch(
        { jobId: job.id, jobName: job.name, runId: newId('r'), spec: job.spec, ...(job.batchId !== undefined && { batchId: job.batchId }) },
        {
          changed: () => this.changed(job),
          outputWaiting: () => this.ctx.logsWaiting(job),
          notice: (message) => this.ctx.notice(`job ${job.name}: ${message}`),
          ended: () => this.runEnded(job, run, slot),
        },
      );
    } catch (error) {
      slot.release();
      job.phase = { kind: 'ended', verdict: { state: 'failed-to-start', reason: error instanceof EngineError ? error.message : `could not start: ${(error as Error).message}` } };
      this.changed(job);
      return;
    }
    job.runLaunched(run);
    job.phase = { kind: 'running', restartWhenEnded: false };
    this.changed(job);
  }

  private runEnded(job: Job, run: RunHandle, slot: PoolSlot): void {
    slot.release();
    if (job.run === run) {
      this.ctx.runEnded(job, run);
      if (this.ctx.isClosed()) job.phase = { kind: 'ended' };
      else this.restarts.runEnded(job, run);
    }
    this.pump();
  }
}
