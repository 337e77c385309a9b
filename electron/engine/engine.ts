import { cpus } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import type { LogBatch, RecoveredGroup } from '../../shared/jobSnapshot';
import { DEFAULT_SETTINGS, settingsPatchSchema, type SettingsPatch, type SettingsPatchInput } from '../../shared/settings';
import { EngineError } from './engineError';
import { EventCoalescer, type EngineEventMap } from './eventCoalescer';
import { Job } from './jobs/job';
import { runRecordOf } from './jobs/runRecord';
import type { Backend, RunHandle } from './backends/backend';
import { placementOf, type JobSpec } from '../../shared/jobSpec';
import { Admission } from './jobs/admission';
import { createMonitoring } from './monitor/createMonitor';
import type { Monitor } from './monitor/monitor';
import { createPidusageSampler } from './monitor/pidusageSampler';
import type { TreeSampler } from './monitor/sampler';
import { SamplingLoop } from './monitor/samplingLoop';
import { SamplingPipeline } from './monitor/samplingPipeline';
import { Scheduler } from './scheduler/scheduler';
import { LocalBackend } from './backends/local/localBackend';
import { SlurmBackend, type SlurmBackendOptions } from './backends/slurm/slurmBackend';
import type { AdoptableRun, BackendRecovery } from './backends/backend';
import { BackendsService } from './services/backendsService';
import { BatchBook } from './scheduler/batchBook';
import { JobStore } from './store/jobStore';
import { currentAccount, userEnvironment } from './isolation/userEnvironment';
import { defaultWorkingDirectory } from './supervisor/launchPlan';
import { capabilities, type Capabilities } from './isolation/capabilities';
import { makeDataDirPrivate } from './store/dataDirPermissions';
import { lockDataDir, type DataDirLock } from './store/dataDirLock';
import { SettingsStore } from './store/settingsStore';
import { GroupSettingsStore } from './store/groupSettingsStore';
import { actOnAlert } from './alerts/alertActions';
import { logFileTail, savedRunTail } from './logs/savedRunTail';
import { JobsService } from './services/jobsService';
import { SchedulerService } from './services/schedulerService';
import { MonitorService } from './services/monitorService';
import { ProcessesService } from './services/processesService';
import { dataDirIdentity } from './supervisor/runMarker';
import { IsolationService } from './services/isolationService';
import { SettingsService } from './services/settingsService';
import { LogsService } from './services/logsService';
import { DeclaredServices } from './services/declaredServices';
import { ResurrectList, RESURRECT_REASON } from './jobs/resurrect';

export interface EngineOptions {
  dataDir: string;
  /** Working directory of jobs that name none; by default the home of the user running Procdeck (defaultWorkingDirectory). */
  defaultCwd?: string;
  settings?: SettingsPatchInput;
  /** How the local backend measures its runs, when not this machine's /proc scan (pidusage where there is no /proc): a bench's baseline. */
  sampler?: TreeSampler;
  /** What the machine offers, when not the probed capabilities (a test forcing the no-cgroup path). */
  capabilities?: Capabilities;
  /** The Slurm backend's polling intervals, when not the measured defaults (tests). */
  slurm?: Pick<SlurmBackendOptions, 'pollIntervalMs' | 'usageIntervalMs' | 'env'>;
}

/**
 * Every piece of process logic behind one object, as named services: jobs, scheduler,
 * monitor, processes, isolation, settings. Commands reach the engine through them only (the
 * host's handlers, one file per service). No Electron: runs under plain Node.
 */
export class Engine {
  readonly jobs: JobsService;
  readonly scheduler: SchedulerService;
  readonly monitor: MonitorService;
  readonly processes: ProcessesService;
  readonly isolation = new IsolationService();
  readonly settings: SettingsService;
  /** The jobs of a config file: loaded, diffed, applied, exported; their health, schedules and watches. */
  readonly services: DeclaredServices;
  readonly backends: BackendsService;
  /** The disk space of run logs and its budget. */
  readonly logs: LogsService;
  /** What crash recovery killed at open (sent to each client that connects). */
  recovered: RecoveredGroup[] = [];

  private readonly jobTable = new Map<string, Job>();
  private readonly coalescer: EventCoalescer;
  private readonly store: JobStore;
  private readonly settingsStore: SettingsStore;
  private readonly groupSettings: GroupSettingsStore;
  private readonly sampling: SamplingLoop;
  private readonly sampler: TreeSampler;
  private readonly monitorCore: Monitor;
  private readonly batches: BatchBook;
  private readonly admission: Admission;
  /** The queue in front of the backends: pool, dependencies, launches, restarts. */
  private readonly queue: Scheduler;
  private readonly local: LocalBackend;
  private readonly slurm: SlurmBackend;
  /** Runs with output not yet sent, so a tick does not visit every job. */
  private readonly logsWaiting = new Set<Job>();
  private readonly outputPushedAt = new WeakMap<Job, number>();
  /** When this engine opened its data directory: a run that started earlier ran under an earlier engine. */
  private readonly openedAt = Date.now();
  private closed = false;
  private lock?: DataDirLock;
  /** Problems found while opening, shown to each client as it connects (see openingNotices). */
  private readonly openingProblems: string[] = [];
  private opening = true;
  /** What every job's environment starts from: Procdeck's own, less its plumbing (the token, npm's, Node's). */
  private readonly jobEnvironment = userEnvironment(process.env, currentAccount());
  private readonly resurrect: ResurrectList;

  private constructor(private readonly options: Omit<EngineOptions, 'settings'> & { defaultCwd: string; settings: SettingsPatch }) {
    const dataDir = options.dataDir;
    this.processes = new ProcessesService(dataDirIdentity(dataDir), () => options.capabilities ?? capabilities());
    this.settingsStore = new SettingsStore(join(dataDir, 'settings.json'));
    this.groupSettings = new GroupSettingsStore(join(dataDir, 'groups.json'));
    // The global pool's default is the schema's (64), not the core count: a clicked job or a
    // declared service starts now; the third job on a 2-core machine must not queue behind two
    // idle services. Work that should wait its turn sets a group or batch limit.
    const initial = { ...DEFAULT_SETTINGS, ...this.settingsStore.load(), ...options.settings };
    this.settings = new SettingsService(initial, {
      store: this.settingsStore,
      jobPath: this.jobEnvironment.PATH ?? '',
      applied: (settings, patch) => {
        this.queue.pool.setLimit(settings.maxConcurrent);
        this.sampling.setInterval(settings.sampleIntervalMs);
        if (patch.finishedJobsKept !== undefined) this.jobs.applyRetention();
        if (patch.runsKept !== undefined) this.jobs.applyRunsKept();
        if (patch.logBudgetBytes !== undefined) this.logs.enforceBudget();
        this.queue.pump();
      },
    });
    this.coalescer = new EventCoalescer({
      snapshot: (id) => this.jobTable.get(id)?.snapshot(),
      drainLogs: () => this.drainLogs(),
      batch: (id) => this.batches.progress(id),
      groups: () => this.queue.pool.groupInfo(),
      queueOrder: () => this.queue.queueOrder(),
    });
    this.store = new JobStore(
      join(dataDir, 'jobs.json'),
      {
        jobIds: () => [...this.jobTable.keys()],
        snapshot: (id) => this.jobTable.get(id)?.snapshot(),
        definition: (id) => this.jobTable.get(id)?.definition(),
        runs: (id) => this.jobTable.get(id)?.runs(this.settings.get().runsKept) ?? [],
        batches: () => this.batches.saved(),
        beforeCompaction: () => this.jobs.applyRetention(),
      },
      (message) => this.notice('warning', message),
      { runsKept: () => this.settings.get().runsKept },
    );
    this.logs = new LogsService({
      dataDir,
      jobs: this.jobTable,
      budget: () => this.settings.get().logBudgetBytes,
      recordChanged: (job) => this.store.changed(job.id),
      notice: (message) => this.notice('info', message),
    });
    const monitoring = createMonitoring();
    this.monitorCore = monitoring.monitor;
    const machine = monitoring.monitor.machine;
    this.sampler = options.sampler ?? monitoring.host ?? createPidusageSampler();
    this.local = new LocalBackend({
      dataDir,
      defaultCwd: options.defaultCwd,
      jobEnvironment: this.jobEnvironment,
      settings: () => this.settings.get(),
      notice: (message) => this.notice('warning', message),
      coreLoad: () => machine?.coreLoad ?? [],
      sampler: this.sampler,
      capabilities: options.capabilities,
      logSpace: this.logs.space,
    });
    this.slurm = new SlurmBackend({
      dataDir,
      defaultCwd: options.defaultCwd,
      settings: () => this.settings.get(),
      notice: (message) => this.notice('warning', message),
      jobEnvironment: this.jobEnvironment,
      logSpace: this.logs.space,
      ...options.slurm,
    });
    this.backends = new BackendsService([this.local, this.slurm]);
    this.queue = new Scheduler({
      jobs: this.jobTable,
      backendFor: (spec) => this.backendFor(spec),
      maxConcurrent: initial.maxConcurrent,
      changed: (job) => this.changed(job),
      waitChanged: (job) => this.coalescer.jobChanged(job.id),
      queueChanged: () => this.coalescer.queueChanged(),
      logsWaiting: (job) => {
        this.logsWaiting.add(job);
        this.coalescer.logsArrived();
      },
      notice: (message) => this.notice('warning', message),
      isClosed: () => this.closed,
      runEnded: (job, run) => this.archiveRun(job, run),
    });
    this.admission = new Admission({
      jobs: this.jobTable,
      store: this.store,
      coalescer: this.coalescer,
      scheduler: this.queue,
      monitor: this.monitorCore,
      assertOpen: () => this.assertOpen(),
    });
    this.batches = new BatchBook(this.jobTable, this.queue, {
      check: (input) => this.admission.check(input),
      admit: (jobs, batch, saved) => this.admission.admitBatch(jobs, batch, saved),
      assertOpen: () => this.assertOpen(),
    });
    this.jobs = new JobsService({
      jobs: this.jobTable,
      admission: this.admission,
      scheduler: this.queue,
      events: this.coalescer,
      store: this.store,
      finishedJobsKept: () => this.settings.get().finishedJobsKept,
      runsKept: () => this.settings.get().runsKept,
      forgetMonitored: (jobId) => this.monitorCore.forget(jobId),
      forgetLogs: (jobId, records) => (records ? this.logs.forgetRuns(records) : this.logs.forgetJob(jobId)),
      notice: (level, message) => this.notice(level, message),
      isOpening: () => this.opening,
      assertOpen: () => this.assertOpen(),
      savedTail: (job) => savedRunTail(options.dataDir, job, this.settings.get().tailMaxBytes),
      logFileTail: (filePath, runId, outputBytes) => logFileTail(filePath, runId, this.settings.get().tailMaxBytes, outputBytes),
    });
    this.scheduler = new SchedulerService({
      scheduler: this.queue,
      batches: this.batches,
      events: this.coalescer,
      groupSettings: this.groupSettings,
      stopJob: (job) => this.jobs.stopJob(job),
      assertOpen: () => this.assertOpen(),
    });
    this.monitor = new MonitorService({ monitor: this.monitorCore, jobs: this.jobTable, store: this.store });
    this.resurrect = new ResurrectList(dataDir);
    this.services = new DeclaredServices({
      dataDir,
      defaultCwd: options.defaultCwd,
      jobs: this.jobTable,
      admission: this.admission,
      scheduler: this.queue,
      jobEnvironment: this.jobEnvironment,
      setAlertRules: (job) => this.monitorCore.setAlertRules(job.id, job.spec.alerts),
      changed: (job) => this.changed(job),
      pushed: (job) => this.coalescer.jobChanged(job.id),
      notice: (level, message) => this.notice(level, message),
      configChanged: (change) => this.coalescer.emit('config.changed', change),
      assertOpen: () => this.assertOpen(),
    });
    const pipeline = new SamplingPipeline({
      backends: [this.local, this.slurm],
      monitor: this.monitorCore,
      act: (alert) =>
        actOnAlert(alert, this.jobTable.get(alert.subjectId), {
          notice: (message) => this.coalescer.emit('engine.notice', { level: 'warning', message }),
          stopWatched: (id) => machine?.stopWatched(id),
          restartWhenEnded: (job) => this.queue.restartWhenEnded(job),
        }),
      events: this.coalescer,
      isClosed: () => this.closed,
    });
    this.sampling = new SamplingLoop(initial.sampleIntervalMs, (at) => pipeline.tick(at));
    // What can give a paused loop something to sample: a job change (a run starts, is adopted or
    // ends), a watch, a system view, a subscriber of the machine's figures (SamplingLoop).
    this.events.on('jobs.changed', () => this.sampling.wake());
    this.monitorCore.machine?.onTicksWanted(() => this.sampling.wake());
  }

  /** Opens a data directory: reaps groups a crashed engine left running, loads saved jobs. */
  static open(options: EngineOptions): Engine {
    const settings = settingsPatchSchema.safeParse(options.settings ?? {});
    if (!settings.success) throw EngineError.fromZod('INVALID_REQUEST', settings.error, 'settings');
    const permissionNotices = makeDataDirPrivate(options.dataDir);
    // Before anything else: a second engine would reap the first one's jobs as crash leftovers.
    const lock = lockDataDir(options.dataDir);
    const engine = new Engine({ ...options, settings: settings.data, defaultCwd: options.defaultCwd ?? defaultWorkingDirectory() });
    engine.lock = lock;
    engine.openingProblems.push(...permissionNotices);
    const pending = [engine.local.recover(), engine.slurm.recover()];
    // A job can be saved as queued yet have been running (its start not saved yet): the backend's record knows.
    const saved = engine.store.load(new Set(pending.flatMap((p) => [...p.liveJobIds])));
    engine.openingProblems.push(...saved.problems);
    const owners = saved.jobs.map((job) => ({ jobId: job.id, name: job.name, runId: job.runId }));
    const recoveries: BackendRecovery[] = pending.map((p) => p.complete(owners));
    engine.recovered = recoveries.flatMap((r) => r.recovered);
    for (const recovery of recoveries) if (recovery.problem !== undefined) engine.openingProblems.push(recovery.problem);
    for (const job of saved.jobs) {
      engine.jobTable.set(job.id, new Job(job.id, job.spec, job, saved.saved.get(job.id)));
      engine.monitorCore.setAlertRules(job.id, job.spec.alerts);
    }
    engine.adopt(recoveries.flatMap((r) => r.adopted ?? []));
    engine.batches.restore(saved.batches);
    engine.scheduler.restoreGroups();
    engine.resurrectJobs();
    // Once the jobs are read: a log the budget deletes is said in its run's record.
    engine.logs.enforceBudget();
    // A clean start: jobs.json written from what was read (retention applied), journal emptied.
    engine.store.compactNow();
    engine.opening = false;
    engine.sampling.start();
    return engine;
  }

  get events(): EventEmitter<EngineEventMap> {
    return this.coalescer.emitter;
  }

  /** Whether the sampling loop has a tick scheduled or under way (false: paused with nothing to sample, or closed). For tests and diagnostics. */
  get samplingActive(): boolean {
    return this.sampling.active;
  }

  /** Problems found while opening (unreadable saved files), to show the operator once. */
  get openingNotices(): string[] {
    return [...this.openingProblems, ...[this.settingsStore.problem, this.groupSettings.problem].filter((problem) => problem !== undefined)];
  }

  /**
   * Loads the config file named at start (--config). A bad file loads nothing: each of its
   * errors is told to every client that connects, and returned for the host to print.
   */
  async loadConfigAtStart(path: string): Promise<string[]> {
    try {
      const result = await this.services.load(path);
      return result.warnings;
    } catch (error) {
      const lines = (error as Error).message.split('\n');
      this.openingProblems.push(...lines);
      throw error;
    }
  }

  info() {
    return { platform: process.platform, cores: cpus().length, dataDir: this.options.dataDir, startedAt: this.openedAt };
  }

  /** Stops every job within its grace period, then saves and releases everything. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    try {
      this.resurrect.record(this.jobTable.values());
    } catch (error) {
      console.error('could not save the jobs to start again at the next start (resurrect.json):', error);
    }
    this.closed = true;
    await this.services.dispose();
    for (const job of this.jobTable.values()) this.queue.cancel(job, 'the engine shut down before it started');
    this.queue.dispose();
    await Promise.all([this.local.shutdown(), this.slurm.shutdown()]);
    this.sampling.stop();
    this.sampler.dispose();
    this.monitorCore.dispose();
    this.coalescer.flush();
    this.store.close();
    this.coalescer.dispose();
    this.lock?.release();
  }

  /** Queues again what was running at the last normal shutdown with restart: always (see ResurrectList). */
  private resurrectJobs(): void {
    const { jobIds, problem } = this.resurrect.take();
    if (problem) this.openingProblems.push(problem);
    for (const id of jobIds) {
      const job = this.jobTable.get(id);
      if (!job || job.isUnfinished()) continue;
      try {
        this.queue.preflight(job.spec);
      } catch (error) {
        this.openingProblems.push(`job ${job.name} was running when Procdeck shut down but cannot start again: ${(error as Error).message}`);
        continue;
      }
      job.restarts = { ...job.restarts, lastReason: RESURRECT_REASON };
      this.queue.enqueue(job);
    }
  }

  /** Runs that outlived the previous engine (a cluster's jobs) belong to their jobs again; a run whose job is gone is ended. */
  private adopt(adopted: readonly AdoptableRun[]): void {
    for (const run of adopted) {
      const job = this.jobTable.get(run.jobId);
      if (job) this.queue.adopt(job, run);
      else run.abandon();
    }
  }

  /** Tells every client (or, while opening, each client that connects later). */
  private notice(level: 'info' | 'warning' | 'error', message: string): void {
    if (this.opening) this.openingProblems.push(message);
    else this.coalescer.emit('engine.notice', { level, message });
  }

  private assertOpen(): void {
    if (this.closed) throw new EngineError('BAD_STATE', 'the engine is shutting down');
  }

  private changed(job: Job): void {
    this.services.jobChanged(job);
    this.coalescer.jobChanged(job.id);
    if (job.batchId) this.coalescer.batchChanged(job.batchId);
    this.coalescer.groupsChanged();
    this.store.changed(job.id);
  }

  /** The backend of the spec's placement (`spec.where`). */
  private backendFor(spec: JobSpec): Backend {
    const kind = placementOf(spec).kind;
    switch (kind) {
      case 'local':
        return this.local;
      case 'slurm':
        return this.slurm;
    }
  }

  /** A run ended: its record (who ended it is the run's own word) with the peaks the monitor measured joins the job's run history. */
  private archiveRun(job: Job, run: RunHandle): void {
    const subject = this.monitorCore.subject(job.id);
    const measured = subject?.run.runId === run.runId ? subject.metrics({ outputBytes: run.log.totalBytes }) : undefined;
    const record = runRecordOf(job, run, {
      ...(measured && { metrics: { peakCpu: measured.peakCpu, peakRss: measured.peakRss, cpuSeconds: measured.cpuSeconds, samples: measured.samples } }),
    });
    this.logs.forgetRuns(job.archiveRun(record, this.settings.get().runsKept));
  }

  private drainLogs(): LogBatch[] {
    const batches: LogBatch[] = [];
    const waiting = [...this.logsWaiting];
    this.logsWaiting.clear();
    for (const job of waiting) {
      const run = job.run;
      if (!run) continue;
      const chunks = run.log.drain(!run.isActive());
      if (chunks.length > 0) batches.push({ jobId: job.id, runId: run.runId, chunks });
      this.services.output(job, chunks);
      // outputBytes moves with the output, not only with state changes, but at most once a
      // second: every jobs.changed makes each client re-sort and re-render its job list.
      const now = Date.now();
      if (now - (this.outputPushedAt.get(job) ?? 0) >= 1000) {
        this.outputPushedAt.set(job, now);
        this.coalescer.jobChanged(job.id);
      }
    }
    return batches;
  }
}
