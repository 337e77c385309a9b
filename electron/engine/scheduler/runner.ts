import { cpus } from 'node:os';
import { describeCommand } from '../../../shared/jobSpec';
import type { Settings } from '../../../shared/settings';
import { chooseCores, type CoreContext } from '../affinity/chooseCores';
import { formatCoreList } from '../affinity/coreList';
import { readAffinity, readNice, tasksetPath } from '../affinity/processControls';
import { EngineError } from '../engineError';
import type { Job } from '../job';
import { RunLog } from '../logs/runLog';
import { runLogPath } from '../logs/savedRunTail';
import { stderrIntoStdout } from '../logs/mergeStderr';
import { EVENT_TICK_MS } from '../eventBatcher';
import type { RunningRegistry } from '../store/runningRegistry';
import { prepareJobIsolation, type IsolatedSpec } from '../isolation/jobIsolation';
import type { Preparation } from '../isolation/prepareIsolation';
import { wrapLaunch } from '../isolation/wrapLaunch';
import { JobRun } from '../supervisor/jobRun';
import { planLaunch, type LaunchPlan } from '../supervisor/launchPlan';
import { readStartTime } from '../supervisor/processGroup';
import { dataDirIdentity } from '../supervisor/runMarker';
import type { Capabilities } from '../isolation/capabilities';
import { dependencyStatus } from './dependencies';
import { DependencyWaits } from './dependencyWaits';
import { Pool, type PoolSlot } from './pool';
import { Restarts } from './restarts';

export interface RunnerContext {
  jobs: ReadonlyMap<string, Job>;
  dataDir: string;
  defaultCwd: string;
  /** The environment jobs start from (userEnvironment of the engine's own, computed once). */
  jobEnvironment: Readonly<Record<string, string>>;
  settings(): Settings;
  registry: RunningRegistry;
  changed(job: Job): void;
  /** The queue's content or order moved: positions are pushed as one list, not per job. */
  queueChanged(): void;
  logsWaiting(job: Job): void;
  /** Something the operator should hear of (a log file that stopped): an engine notice. */
  notice(message: string): void;
  /** Recent busy % per core, for least-loaded pinning. */
  coreLoad(): readonly number[];
  isClosed(): boolean;
  /** What the machine offers (probed once; a test can force the no-cgroup path). */
  capabilities?: Capabilities;
}

let runCounter = 0;

/**
 * Takes jobs from queued to running and back: the pool, dependencies, launch (with
 * affinity and nice), and what happens when a run ends (automatic restarts with backoff).
 *
 * Slots are handed out by one deferred pump (setImmediate), never from inside the request or
 * exit handler that changed the queue: every request already received (a burst of stops) is
 * applied to the queue before a slot that a run's end freed goes to the next job.
 */
export class Runner {
  readonly pool: Pool;
  private readonly roundRobin = new Map<string, number>();
  private readonly waits = new DependencyWaits();
  private pushedQueueVersion = -1;
  private pumpScheduled?: NodeJS.Immediate;
  private readonly restarts = new Restarts({ enqueue: (job) => this.enqueue(job), changed: (job) => this.changed(job) });

  /** Names this data dir's runs in their marker and cgroups. */
  private readonly dataDirId: string;

  constructor(private readonly ctx: RunnerContext) {
    this.pool = new Pool(ctx.settings().maxConcurrent);
    this.dataDirId = dataDirIdentity(ctx.dataDir);
  }

  /** Queued job ids in the order they would start (position n is index n - 1). */
  queueOrder(): string[] {
    return this.pool.queuedIds();
  }

  /** Checks what can be checked before queueing, so the caller hears of a bad spec at once. */
  preflight(job: Pick<Job, 'spec'> & { id?: string }): LaunchPlan {
    const plan = planLaunch(job.spec, { cwd: this.ctx.defaultCwd, env: this.ctx.jobEnvironment });
    // Policy, Maximum without bubblewrap, run-as without root: refused now, not at launch.
    this.prepareIsolation(job.id ?? 'preflight', job.spec, plan);
    if (job.spec.affinity.mode !== 'none') {
      tasksetPath();
      chooseCores(job.spec.affinity, { ...this.coreContext(), roundRobin: new Map() });
    }
    return plan;
  }

  restartWhenEnded(job: Job): void {
    this.restarts.whenEnded(job);
  }

  /** Queues a job again (a restart, a retry); it starts from the next pump. */
  enqueue(job: Job): void {
    job.queuedAt = Date.now();
    this.queue(job);
    this.changed(job);
    this.pump();
  }

  /**
   * Queues new jobs the engine has already saved and announced (see Engine.admit): no change
   * notification per job, which for a 100,000-line batch would be 100,000 store writes.
   */
  admit(jobs: readonly Job[]): void {
    for (const job of jobs) this.queue(job);
    this.pump();
  }

  /** Takes a job out of the queue or its backoff wait. */
  cancel(job: Job, reason = 'cancelled while queued'): boolean {
    if (this.restarts.cancel(job)) return true;
    if (!job.queued || !this.pool.cancel(job.id)) return false;
    this.waits.untrack(job);
    job.queued = false;
    job.verdict = { state: 'skipped', reason };
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

  private pumpNow(): void {
    if (this.ctx.isClosed()) return;
    this.settleHeldJobs();
    for (const slot of this.pool.takeStartable()) {
      const job = this.ctx.jobs.get(slot.jobId);
      if (!job) {
        slot.release();
        continue;
      }
      this.waits.untrack(job);
      this.launch(job, slot);
    }
    // Every start shifts every queued job's position: with a thousand queued, marking each
    // job changed would push a thousand snapshots per start. The order goes out as one list.
    if (this.pool.queueVersion !== this.pushedQueueVersion) {
      this.pushedQueueVersion = this.pool.queueVersion;
      this.ctx.queueChanged();
    }
  }

  private queue(job: Job): void {
    job.queued = true;
    job.verdict = undefined;
    const held = job.spec.dependsOn.length > 0;
    if (held) this.waits.track(job);
    this.pool.enqueue(job.id, job.spec.group, job.spec.priority, !held);
  }

  /** Queued jobs whose dependencies moved: free to start, held again, or skipped if one failed. */
  private settleHeldJobs(): void {
    while (this.waits.hasTouched) {
      for (const id of this.waits.takeTouched()) {
        const job = this.ctx.jobs.get(id);
        if (!job || !this.pool.isQueued(id)) continue;
        const status = dependencyStatus(job, this.ctx.jobs);
        if (status.kind === 'ready') this.pool.setReady(id);
        else if (status.kind === 'waiting') this.pool.hold(id);
        if (status.kind !== 'failed') continue;
        this.waits.untrack(job);
        this.pool.cancel(id);
        job.queued = false;
        job.verdict = { state: 'skipped', reason: status.reason };
        this.changed(job); // its own dependants are touched: the loop goes round again
      }
    }
  }

  /** Every change of a job's state goes through here: the engine hears of it, and so do its dependants. */
  private changed(job: Job): void {
    this.ctx.changed(job);
    this.waits.touch(job.id);
    if (this.waits.hasTouched) this.pump();
  }

  private coreContext(): Omit<CoreContext, 'roundRobin'> {
    const coreCount = cpus().length;
    const pinnedJobs = new Array<number>(coreCount).fill(0);
    for (const job of this.ctx.jobs.values()) {
      if (job.run?.isActive() && job.cores && job.spec.affinity.mode !== 'none') {
        for (const c of job.cores) pinnedJobs[c] = (pinnedJobs[c] ?? 0) + 1;
      }
    }
    return { coreCount, coreLoad: this.ctx.coreLoad(), pinnedJobs };
  }

  private prepareIsolation(jobId: string, spec: IsolatedSpec, plan: LaunchPlan): Preparation {
    const settings = this.ctx.settings();
    return prepareJobIsolation(spec, plan, {
      jobId,
      dataDir: this.ctx.dataDir,
      defaultLevel: settings.defaultIsolation,
      policy: settings.commandPolicy,
      baseEnv: this.ctx.jobEnvironment,
      caps: this.ctx.capabilities,
    });
  }

  /**
   * Starts a job in the slot it was given. The slot goes back exactly once: through the
   * run's end once a process exists, through the catch for any failure before that.
   */
  private launch(job: Job, slot: PoolSlot): void {
    job.queued = false;
    try {
      this.startRun(job, slot);
    } catch (error) {
      slot.release();
      job.verdict = { state: 'failed-to-start', reason: error instanceof EngineError ? error.message : `could not start: ${(error as Error).message}` };
      this.changed(job);
    }
  }

  /** Throws only if no process was spawned; once one exists, its run owns the slot. */
  private startRun(job: Job, slot: PoolSlot): void {
    let plan = planLaunch(job.spec, { cwd: this.ctx.defaultCwd, env: this.ctx.jobEnvironment });
    const prep = this.prepareIsolation(job.id, job.spec, plan);
    // The core context visits every job: only for a job that is pinned, not at every start.
    const cores = job.spec.affinity.mode === 'none' ? undefined : chooseCores(job.spec.affinity, { ...this.coreContext(), roundRobin: this.roundRobin });
    const runId = `r${Date.now().toString(36)}${(runCounter++).toString(36)}`;
    // Side effects (cgroups, private dir) only now, after every check passed.
    const isolated = wrapLaunch(prep, prep.plan, { dataDirId: this.dataDirId, runId }, this.ctx.capabilities);
    plan = isolated.plan;
    // nice and taskset exec into the command, so the job's pid and process group stay the same.
    // Outside the isolation wrappers: still root (a negative nice works for a job that runs as
    // nobody), and a sandbox's bwrap (the pid read back below) carries the job's nice and cores.
    if (job.spec.nice !== undefined) plan = { ...plan, file: 'nice', args: ['-n', String(job.spec.nice), plan.file, ...plan.args] };
    if (cores) plan = { ...plan, file: tasksetPath(), args: ['-c', formatCoreList(cores), plan.file, ...plan.args] };
    if (job.spec.mergeStderr) plan = stderrIntoStdout(plan);
    const settings = this.ctx.settings();
    // Never throws: a log file that cannot be written stops (and says so), the job runs on.
    const log = new RunLog({
      filePath: runLogPath(this.ctx.dataDir, job.id, runId),
      fileMaxBytes: settings.logMaxBytes,
      filesKept: settings.logFilesKept,
      tailMaxBytes: settings.tailMaxBytes,
      liveMaxBytesPerDrain: Math.ceil((settings.liveLogBytesPerSecond * EVENT_TICK_MS) / 1000),
      onPending: () => this.ctx.logsWaiting(job),
      onFileProblem: (message) => this.ctx.notice(`job ${job.name}: ${message}`),
    });
    // The wall-clock limit in force may be the isolation's, stricter than the spec's own timeout.
    const run: JobRun = new JobRun(runId, { ...job.spec, timeoutMs: prep.timeoutMs }, log, {
      onChange: () => this.changed(job),
      onSpawned: (pid) => {
        this.ctx.registry.add({ jobId: job.id, runId, pgid: pid, startTime: readStartTime(pid), command: describeCommand(job.spec.command), engineStartedAt: Date.now() });
        // Read back once the wrappers (taskset, nice) have exec'd into the command.
        // The wrappers exec one after another; on a busy machine that can take a while, so
        // read again later rather than trust a single early look.
        for (const delay of [50, 300, 1500]) setTimeout(() => this.readBack(job, run), delay).unref();
      },
      onEnded: () => this.runEnded(job, run, slot),
    });
    try {
      run.start(plan, isolated);
    } catch (error) {
      if (run.pid === undefined) {
        log.close();
        void isolated.cleanup().catch(() => undefined);
        throw error;
      }
      // Spawned, then something failed: the process is tracked and ends through its run.
      log.note(`after the spawn: ${(error as Error).message}`);
    }
    job.isolation = prep.passthrough ? undefined : prep.report;
    job.cores = cores;
    job.niceInForce = undefined;
    job.runCount++;
    job.run = run;
    job.verdict = undefined;
    this.changed(job);
  }

  readBack(job: Job, run: JobRun): void {
    if (job.run !== run || !run.isActive() || run.pid === undefined) return;
    job.cores = readAffinity(run.pid) ?? job.cores;
    job.niceInForce = readNice(run.pid);
    this.ctx.changed(job);
  }

  private runEnded(job: Job, run: JobRun, slot: PoolSlot): void {
    this.ctx.registry.remove(run.runId);
    this.ctx.logsWaiting(job); // a last drain carries any note about skipped live output
    slot.release();
    run.log.close();
    if (!this.ctx.isClosed() && job.run === run) this.restarts.runEnded(job, run);
    this.pump();
  }

  dispose(): void {
    clearImmediate(this.pumpScheduled);
    this.pumpScheduled = undefined;
    this.restarts.dispose(this.ctx.jobs.values());
  }
}
