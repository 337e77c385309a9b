import { cpus } from 'node:os';
import { join } from 'node:path';
import { describeCommand, type JobSpec, type SpecWarning } from '../../../../shared/jobSpec';
import type { Settings } from '../../../../shared/settings';
import { chooseCores, type CoreContext } from '../../affinity/chooseCores';
import { formatCoreList } from '../../../../shared/format';
import { tasksetPath } from '../../affinity/processControls';
import type { Capabilities } from '../../isolation/capabilities';
import { capabilities } from '../../isolation/capabilities';
import { prepareJobIsolation, type IsolatedSpec } from '../../isolation/jobIsolation';
import type { Preparation } from '../../isolation/prepareIsolation';
import { wrapLaunch } from '../../isolation/wrapLaunch';
import { stderrIntoStdout } from '../../logs/mergeStderr';
import { createRunLog } from '../../logs/runLogFiles';
import type { LogSpace } from '../../logs/logSpace';
import { runSampleOf, type TrackedProcesses, type TreeSampler } from '../../monitor/sampler';
import { recoverDataDir } from '../../store/reapLeftovers';
import { RunningRegistry } from '../../store/runningRegistry';
import { checkCommand } from '../../supervisor/commandCheck';
import { FifoPool } from '../../supervisor/fifoPipes';
import { JobRun } from '../../supervisor/jobRun';
import { planLaunch, type LaunchPlan } from '../../supervisor/launchPlan';
import { readStatFields } from '../../supervisor/processGroup';
import { dataDirIdentity } from '../../supervisor/runMarker';
import type { Backend, BackendDescription, LaunchRequest, PendingRecovery, RunEvents, RunSample } from '../backend';

export interface LocalBackendOptions {
  dataDir: string;
  /** Working directory of jobs that name none. */
  defaultCwd: string;
  /** The environment jobs start from (userEnvironment of the engine's own, computed once). */
  jobEnvironment: Readonly<Record<string, string>>;
  settings(): Settings;
  /** Something the operator should hear of (the running registry cannot be written). */
  notice(message: string): void;
  /** Recent busy % per core, for least-loaded pinning. */
  coreLoad(): readonly number[];
  /** How its runs' process trees are measured at each tick (the monitor's /proc scan; pidusage where there is no /proc). */
  sampler: TreeSampler;
  /** What the machine offers, when not the probed capabilities (a test forcing the no-cgroup path). */
  capabilities?: Capabilities;
  /** Where its runs' log files are counted (the log budget). */
  logSpace?: LogSpace;
}

/**
 * Runs jobs on this machine: the launch assembled from the spec (launch plan, isolation and
 * its tracking cgroup or marker, nice and taskset wrapping, the rotating log), a JobRun per
 * run (the supervisor: spawn, signals, stdin, how it ends), the running registry for crash
 * recovery, and the processes' usage at each tick. The mechanisms live in their own folders
 * (supervisor/, isolation/, affinity/, logs/, monitor/): this is where they meet.
 */
export class LocalBackend implements Backend {
  readonly kind = 'local' as const;
  private readonly registry: RunningRegistry;
  /** Names this data dir's runs in their marker and cgroups. */
  private readonly dataDirId: string;
  private readonly roundRobin = new Map<string, number>();
  /** Live runs by job id (a job has at most one). */
  private readonly live = new Map<string, JobRun>();
  /** The live runs' job names, for their samples (and so their alerts). */
  private readonly liveNames = new Map<string, string>();
  /** What the last tick sampled: live runs' main processes and tracked sets, by job id (see sampleUsage). */
  private readonly sampled = { roots: new Map<string, number>(), tracked: new Map<string, TrackedProcesses>() };
  /** Runs not yet released (their cgroup not yet removed), live or not: shutdown waits for them. */
  private readonly unreleased = new Set<JobRun>();
  /** Real pipes for the runs' stdout and stderr (`<data dir>/pipes`, hidden from sandboxed jobs with the rest of it). */
  private readonly pipes?: FifoPool;

  constructor(private readonly options: LocalBackendOptions) {
    this.registry = new RunningRegistry(options.dataDir, options.notice);
    this.dataDirId = dataDirIdentity(options.dataDir);
    if (process.platform === 'linux') this.pipes = new FifoPool(join(options.dataDir, 'pipes'));
  }

  describe(): BackendDescription {
    return { kind: 'local', available: true, detail: `this machine (${cpus().length} cores)` };
  }

  preflight(spec: JobSpec): void {
    const plan = this.plan(spec);
    // Policy, Maximum without bubblewrap, run-as without root: refused now, not at launch.
    this.prepareIsolation('preflight', spec, plan);
    if (spec.affinity.mode !== 'none') {
      tasksetPath();
      chooseCores(spec.affinity, { ...this.coreContext(), roundRobin: new Map() });
    }
  }

  /** Looked up as a launch would: the job's own PATH and working directory. */
  warnings(spec: JobSpec): SpecWarning[] {
    return checkCommand(spec, { cwd: this.options.defaultCwd, env: this.options.jobEnvironment });
  }

  /** Throws only if no process was spawned; once one exists, the run reports its end through events.ended. */
  launch(request: LaunchRequest, events: RunEvents): JobRun {
    const { jobId, runId, spec } = request;
    let plan = this.plan(spec);
    const prep = this.prepareIsolation(jobId, spec, plan);
    // The core context visits every live run: only for a job that is pinned, not at every start.
    const cores = spec.affinity.mode === 'none' ? undefined : chooseCores(spec.affinity, { ...this.coreContext(), roundRobin: this.roundRobin });
    // Side effects (cgroups, private dir) only now, after every check passed.
    const isolated = wrapLaunch(prep, prep.plan, { dataDirId: this.dataDirId, runId, jobId }, this.options.capabilities);
    plan = isolated.plan;
    // nice and taskset exec into the command, so the job's pid and process group stay the same.
    // Outside the isolation wrappers: still root (a negative nice works for a job that runs as
    // nobody), and a sandbox's bwrap (the pid read back below) carries the job's nice and cores.
    if (spec.nice !== undefined) plan = { ...plan, file: 'nice', args: ['-n', String(spec.nice), plan.file, ...plan.args] };
    if (cores) plan = { ...plan, file: tasksetPath(), args: ['-c', formatCoreList(cores), plan.file, ...plan.args] };
    if (spec.mergeStderr) plan = stderrIntoStdout(plan);
    const settings = this.options.settings();
    const log = createRunLog(this.options.dataDir, jobId, runId, settings, events, this.options.logSpace);
    // The wall-clock limit in force may be the isolation's, stricter than the spec's own timeout.
    const run: JobRun = new JobRun(runId, { ...spec, timeoutMs: prep.timeoutMs }, log, {
      onChange: () => events.changed(),
      onSpawned: (pid) => {
        const stat = readStatFields(pid);
        this.registry.add({ jobId, runId, pgid: pid, startTime: stat.startTime, command: describeCommand(spec.command), engineStartedAt: Date.now() });
        // Without nice or taskset in the chain, nothing in it changes either: the job has the
        // engine's cores and nice from its fork on, so one look now is the figure, in the
        // run's first announcement (no timers and no second change per job of a burst), its
        // nice from the stat just read.
        if (spec.nice === undefined && !cores) return run.readBack(false, stat);
        // Read back once the wrappers (taskset, nice) have exec'd into the command.
        // The wrappers exec one after another; on a busy machine that can take a while, so
        // read again later rather than trust a single early look.
        for (const delay of [50, 300, 1500]) setTimeout(() => run.readBack(), delay).unref();
      },
      onEnded: () => {
        this.registry.remove(runId);
        this.live.delete(jobId);
        this.liveNames.delete(jobId);
        this.sampled.roots.delete(jobId);
        this.sampled.tracked.delete(jobId);
        events.outputWaiting(); // a last drain carries any note about skipped live output
        log.close();
        events.ended();
      },
    });
    run.isolation = prep.passthrough ? undefined : prep.report;
    run.cores = cores;
    try {
      run.start(plan, isolated, this.pipes);
    } catch (error) {
      if (run.pid === undefined) {
        log.close();
        void isolated.cleanup().catch(() => undefined);
        throw error;
      }
      // Spawned, then something failed: the process is tracked and ends through its run.
      log.note(`after the spawn: ${(error as Error).message}`);
    }
    this.live.set(jobId, run);
    this.liveNames.set(jobId, request.jobName);
    this.unreleased.add(run);
    void run.whenReleased().then(() => this.unreleased.delete(run));
    return run;
  }

  hasLiveRuns(): boolean {
    return this.live.size > 0;
  }

  /**
   * Usage of every live run at this tick, by job id: its main process's tree and its tracked
   * processes wherever they went. What is sampled (roots, tracked sets) is kept between ticks
   * and only brought up to date, so a tick with the same live runs as the last builds no maps.
   */
  async sampleUsage(): Promise<Map<string, RunSample>> {
    const { roots, tracked } = this.sampled;
    // forEach, not for-of: at one tick a second this runs unoptimized for minutes, where a for-of step over a Map allocates.
    this.live.forEach((run, jobId) => {
      const active = run.isActive();
      const pid = active ? run.pid : undefined;
      if (pid === undefined) roots.delete(jobId);
      else if (roots.get(jobId) !== pid) roots.set(jobId, pid);
      const sampling = active ? run.sampling : undefined;
      if (sampling === undefined) tracked.delete(jobId);
      else if (tracked.get(jobId) !== sampling) tracked.set(jobId, sampling);
    });
    const samples = new Map<string, RunSample>();
    // Nothing live: the sampler is not asked (the machine's own monitor scans for itself when it needs to).
    if (roots.size === 0 && tracked.size === 0) return samples;
    const usage = await this.options.sampler.sample(roots, tracked);
    // In the live runs' order, as the sampler measured them.
    this.live.forEach((run, jobId) => {
      const tree = usage.get(jobId);
      if (tree && run.startedAt !== undefined) samples.set(jobId, runSampleOf(run.runId, run.startedAt, this.liveNames.get(jobId), tree));
    });
    return samples;
  }

  recover(): PendingRecovery {
    const leftovers = this.registry.readLeftovers();
    const caps = process.platform === 'linux' ? (this.options.capabilities ?? capabilities()) : undefined;
    return {
      liveJobIds: new Set(leftovers.records.map((r) => r.jobId)),
      complete: (saved) => recoverDataDir(this.registry, leftovers, this.options.dataDir, saved, caps),
    };
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.unreleased].map((run) => run.stopAndWait('engine-shutdown')));
    await this.pipes?.dispose();
    this.registry.compact();
    this.registry.close();
  }

  private plan(spec: JobSpec): LaunchPlan {
    return planLaunch(spec, { cwd: this.options.defaultCwd, env: this.options.jobEnvironment });
  }

  private prepareIsolation(jobId: string, spec: IsolatedSpec, plan: LaunchPlan): Preparation {
    const settings = this.options.settings();
    return prepareJobIsolation(spec, plan, {
      jobId,
      dataDir: this.options.dataDir,
      defaultLevel: settings.defaultIsolation,
      policy: settings.commandPolicy,
      baseEnv: this.options.jobEnvironment,
      caps: this.options.capabilities,
    });
  }

  private coreContext(): Omit<CoreContext, 'roundRobin'> {
    const coreCount = cpus().length;
    const pinnedJobs = new Array<number>(coreCount).fill(0);
    for (const run of this.live.values()) {
      if (run.isActive() && run.cores && run.spec.affinity.mode !== 'none') {
        for (const c of run.cores) pinnedJobs[c] = (pinnedJobs[c] ?? 0) + 1;
      }
    }
    return { coreCount, coreLoad: this.options.coreLoad(), pinnedJobs };
  }
}
