import { cpus } from 'node:os';
import { join } from 'node:path';
import { describeCommand } from '../../../shared/jobSpec';
import type { Settings } from '../../../shared/settings';
import { chooseCores, type CoreContext } from '../affinity/chooseCores';
import { formatCoreList } from '../affinity/coreList';
import { readAffinity, readNice, tasksetPath } from '../affinity/processControls';
import type { Job } from '../job';
import { RunLog } from '../logs/runLog';
import { EVENT_TICK_MS } from '../eventBatcher';
import type { RunningRegistry } from '../store/runningRegistry';
import { prepareJobIsolation, type IsolatedSpec } from '../isolation/jobIsolation';
import type { Preparation } from '../isolation/prepareIsolation';
import { wrapLaunch, type IsolatedLaunch } from '../isolation/wrapLaunch';
import { JobRun } from '../supervisor/jobRun';
import { planLaunch, type LaunchPlan } from '../supervisor/launchPlan';
import { readStartTime } from '../supervisor/processGroup';
import { dataDirIdentity } from '../supervisor/runMarker';
import type { Capabilities } from '../isolation/capabilities';
import { dependencyStatus } from './dependencies';
import { Pool } from './pool';
import { decideRestart } from './restartDecision';

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
 */
export class Runner {
  readonly pool: Pool;
  private readonly roundRobin = new Map<string, number>();
  private pushedQueueVersion = -1;
  /** Jobs an operator restarted while running: they go back in the queue once stopped. */
  private readonly restartAfterStop = new Set<string>();

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
    this.restartAfterStop.add(job.id);
  }

  enqueue(job: Job): void {
    job.queued = true;
    job.verdict = undefined;
    job.queuedAt = Date.now();
    this.pool.enqueue(job.id, job.spec.group, job.spec.priority);
    this.ctx.changed(job);
    this.pump();
  }

  /** Takes a job out of the queue or its backoff wait. */
  cancel(job: Job, reason = 'cancelled while queued'): boolean {
    if (job.restartTimer !== undefined) {
      clearTimeout(job.restartTimer);
      job.restartTimer = undefined;
      job.restarts = { ...job.restarts, nextAt: undefined, lastReason: `${job.restarts.lastReason ?? 'restart'}; automatic restart cancelled` };
      this.ctx.changed(job);
      return true;
    }
    if (!job.queued || !this.pool.cancel(job.id)) return false;
    job.queued = false;
    job.verdict = { state: 'skipped', reason };
    this.ctx.changed(job);
    this.pump();
    return true;
  }

  pump(): void {
    this.skipJobsWithFailedDependencies();
    const ready = (id: string) => {
      const job = this.ctx.jobs.get(id);
      return job !== undefined && dependencyStatus(job, this.ctx.jobs).kind === 'ready';
    };
    for (const { jobId, group } of this.pool.takeStartable(ready)) {
      const job = this.ctx.jobs.get(jobId);
      if (job) this.launch(job);
      else this.pool.release(group);
    }
    // Every start shifts every queued job's position: with a thousand queued, marking each
    // job changed would push a thousand snapshots per start. The order goes out as one list.
    if (this.pool.queueVersion !== this.pushedQueueVersion) {
      this.pushedQueueVersion = this.pool.queueVersion;
      this.ctx.queueChanged();
    }
  }

  private skipJobsWithFailedDependencies(): void {
    for (const id of this.pool.queuedIds()) {
      const job = this.ctx.jobs.get(id);
      if (!job || job.spec.dependsOn.length === 0) continue;
      const status = dependencyStatus(job, this.ctx.jobs);
      if (status.kind !== 'failed') continue;
      this.pool.cancel(id);
      job.queued = false;
      job.verdict = { state: 'skipped', reason: status.reason };
      this.ctx.changed(job);
    }
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

  private failToStart(job: Job, error: unknown): void {
    job.verdict = { state: 'failed-to-start', reason: (error as Error).message };
    this.pool.release(job.spec.group);
    this.ctx.changed(job);
  }

  private launch(job: Job): void {
    job.queued = false;
    let plan: LaunchPlan;
    let prep: Preparation;
    let cores: number[] | undefined;
    try {
      plan = planLaunch(job.spec, { cwd: this.ctx.defaultCwd, env: this.ctx.jobEnvironment });
      prep = this.prepareIsolation(job.id, job.spec, plan);
      cores = chooseCores(job.spec.affinity, { ...this.coreContext(), roundRobin: this.roundRobin });
    } catch (error) {
      return this.failToStart(job, error);
    }
    const runId = `r${Date.now().toString(36)}${(runCounter++).toString(36)}`;
    let isolated: IsolatedLaunch;
    try {
      // Side effects (cgroups, private dir) only now, after every check passed.
      isolated = wrapLaunch(prep, prep.plan, { dataDirId: this.dataDirId, runId }, this.ctx.capabilities);
    } catch (error) {
      return this.failToStart(job, error);
    }
    plan = isolated.plan;
    // nice and taskset exec into the command, so the job's pid and process group stay the same.
    // Outside the isolation wrappers: still root (a negative nice works for a job that runs as
    // nobody), and a sandbox's bwrap (the pid read back below) carries the job's nice and cores.
    if (job.spec.nice !== undefined) plan = { ...plan, file: 'nice', args: ['-n', String(job.spec.nice), plan.file, ...plan.args] };
    if (cores) plan = { ...plan, file: tasksetPath(), args: ['-c', formatCoreList(cores), plan.file, ...plan.args] };
    job.isolation = prep.passthrough ? undefined : prep.report;
    job.cores = cores;
    job.niceInForce = undefined;
    job.runCount++;
    const settings = this.ctx.settings();
    let log: RunLog;
    try {
      log = new RunLog({
        filePath: join(this.ctx.dataDir, 'logs', job.id, `${runId}.log`),
        fileMaxBytes: settings.logMaxBytes,
        filesKept: settings.logFilesKept,
        tailMaxBytes: settings.tailMaxBytes,
        liveMaxBytesPerDrain: Math.ceil((settings.liveLogBytesPerSecond * EVENT_TICK_MS) / 1000),
        onPending: () => this.ctx.logsWaiting(job),
      });
    } catch (error) {
      // Every run has a cgroup by now: it must not outlive a run that never started.
      void isolated.cleanup(0);
      throw error;
    }
    // The wall-clock limit in force may be the isolation's, stricter than the spec's own timeout.
    const run: JobRun = new JobRun(runId, { ...job.spec, timeoutMs: prep.timeoutMs }, log, {
      onChange: () => this.ctx.changed(job),
      onSpawned: (pid) => {
        this.ctx.registry.add({ jobId: job.id, runId, pgid: pid, startTime: readStartTime(pid), command: describeCommand(job.spec.command), engineStartedAt: Date.now() });
        // Read back once the wrappers (taskset, nice) have exec'd into the command.
        // The wrappers exec one after another; on a busy machine that can take a while, so
        // read again later rather than trust a single early look.
        for (const delay of [50, 300, 1500]) setTimeout(() => this.readBack(job, run), delay).unref();
      },
      onEnded: () => this.runEnded(job, run),
    });
    job.run = run;
    job.verdict = undefined;
    run.start(plan, isolated);
  }

  readBack(job: Job, run: JobRun): void {
    if (job.run !== run || !run.isActive() || run.pid === undefined) return;
    job.cores = readAffinity(run.pid) ?? job.cores;
    job.niceInForce = readNice(run.pid);
    this.ctx.changed(job);
  }

  private runEnded(job: Job, run: JobRun): void {
    this.ctx.registry.remove(run.runId);
    this.ctx.logsWaiting(job); // a last drain carries any note about skipped live output
    this.pool.release(job.spec.group);
    run.log.close();
    if (!this.ctx.isClosed() && job.run === run) {
      if (this.restartAfterStop.delete(job.id)) this.enqueue(job);
      else this.maybeRestart(job, run);
    }
    this.pump();
  }

  private maybeRestart(job: Job, run: JobRun): void {
    const cause =
      run.state === 'exited' ? `exit code ${run.exitCode}` : run.state === 'killed' ? `signal ${run.signal}` : run.state === 'timed-out' ? 'timed out' : (run.reason ?? run.state);
    const decision = decideRestart(
      job.spec.restart,
      {
        succeeded: run.state === 'exited' && run.exitCode === 0,
        stoppedByOperator: run.endCause === 'operator-stop',
        uptimeMs: (run.endedAt ?? Date.now()) - (run.startedAt ?? Date.now()),
        cause: run.restartCause ?? cause,
      },
      job.restartMemory,
      Date.now(),
    );
    if (decision.kind === 'crash-looping') {
      job.verdict = { state: 'crash-looping', reason: decision.reason };
      this.ctx.changed(job);
    } else if (decision.kind === 'restart') {
      job.restarts = { ...job.restarts, automatic: job.restarts.automatic + 1, lastReason: decision.reason, nextAt: Date.now() + decision.delayMs };
      job.restartTimer = setTimeout(() => {
        job.restartTimer = undefined;
        job.restarts = { ...job.restarts, nextAt: undefined };
        this.enqueue(job);
      }, decision.delayMs);
      this.ctx.changed(job);
    }
  }

  dispose(): void {
    for (const job of this.ctx.jobs.values()) {
      clearTimeout(job.restartTimer);
      job.restartTimer = undefined;
    }
  }
}
