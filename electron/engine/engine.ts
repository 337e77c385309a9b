import { cpus } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import type { JobSpecInput } from '../../shared/jobSpec';
import type { JobSnapshot, LogBatch, LogChunk, RecoveredGroup } from '../../shared/jobSnapshot';
import type { BatchProgress, GroupInfo } from '../../shared/scheduling';
import { DEFAULT_SETTINGS, settingsPatchSchema, type Settings, type SettingsPatch, type SettingsPatchInput } from '../../shared/settings';
import { EngineError } from './engineError';
import { EventBatcher, type EngineEventMap } from './eventBatcher';
import { Job } from './job';
import { createSampler } from './monitor/createSampler';
import { SampleHistory, type SamplePoint } from './monitor/sampleHistory';
import type { TrackedProcesses, TreeSampler } from './monitor/sampler';
import { SamplingLoop } from './monitor/samplingLoop';
import { Runner } from './scheduler/runner';
import { JobStore } from './store/jobStore';
import { userEnvironment } from './isolation/userEnvironment';
import { checkAllowRulesResolve } from './isolation/policy/programRules';
import { defaultWorkingDirectory } from './supervisor/launchPlan';
import { recoverDataDir } from './store/reapLeftovers';
import { capabilities, type Capabilities } from './isolation/capabilities';
import { makeDataDirPrivate } from './store/dataDirPermissions';
import { oldestFinishedBeyond } from './store/retention';
import { newId } from './ids';
import { describeFsError } from './store/fsErrors';
import { RunningRegistry } from './store/runningRegistry';
import { lockDataDir, type DataDirLock } from './store/dataDirLock';
import { SettingsStore } from './store/settingsStore';
import { BatchBook, type BatchRequest } from './scheduler/batchBook';
import { JobControls } from './jobControls';
import { Admission } from './admission';
import { MonitoringBridge } from './monitoringBridge';
import type { AlertRule } from '../../shared/monitoring';
import { actOnAlert } from './alerts/alertActions';

export interface EngineOptions {
  dataDir: string;
  /** Working directory of jobs that name none; by default the home of the user running Procdeck (defaultWorkingDirectory). */
  defaultCwd?: string;
  settings?: SettingsPatchInput;
  sampler?: TreeSampler;
  /** What the machine offers, when not the probed capabilities (a test forcing the no-cgroup path). */
  capabilities?: Capabilities;
}

/** Every piece of process logic behind one object. No Electron: runs under plain Node. */
export class Engine extends JobControls {
  private readonly batcher: EventBatcher;
  private readonly registry: RunningRegistry;
  private readonly store: JobStore;
  private readonly settingsStore: SettingsStore;
  private readonly history = new SampleHistory();
  private readonly sampling: SamplingLoop;
  private readonly sampler: TreeSampler;
  private readonly batches: BatchBook;
  private readonly admission: Admission;
  /** Runs with output not yet sent, so a tick does not visit every job. */
  private readonly logsWaiting = new Set<Job>();
  private readonly outputPushedAt = new WeakMap<Job, number>();
  readonly monitor: MonitoringBridge;
  private closed = false;
  private lock?: DataDirLock;
  /** Problems found while opening, shown to each client as it connects (see openingNotices). */
  private readonly openingProblems: string[] = [];
  private opening = true;
  settings: Settings;
  recovered: RecoveredGroup[] = [];
  /** What every job's environment starts from: Procdeck's own, less its plumbing (the token, npm's, Node's). */
  /** The environment jobs start from (before their own `env`), as computed once at start. */
  readonly jobEnvironment = userEnvironment(process.env);

  private constructor(readonly options: Omit<EngineOptions, 'settings'> & { defaultCwd: string; settings: SettingsPatch }) {
    super();
    const dataDir = options.dataDir;
    this.settingsStore = new SettingsStore(join(dataDir, 'settings.json'));
    this.settings = { ...DEFAULT_SETTINGS, maxConcurrent: cpus().length, ...this.settingsStore.load(), ...options.settings };
    this.batcher = new EventBatcher({
      snapshot: (id) => this.snapshotOf(id),
      drainLogs: () => this.drainLogs(),
      batch: (id) => this.batches.progress(id),
      groups: () => this.runner.pool.groupInfo(),
      queueOrder: () => this.runner.queueOrder(),
    });
    this.registry = new RunningRegistry(dataDir, (message) => this.notice('warning', message));
    this.store = new JobStore(
      join(dataDir, 'jobs.json'),
      {
        jobIds: () => [...this.jobs.keys()],
        snapshot: (id) => this.jobs.get(id)?.snapshot(),
        batches: () => this.batches.saved(),
        beforeCompaction: () => this.applyRetention(),
      },
      (message) => this.notice('warning', message),
    );
    this.runner = new Runner({
      jobs: this.jobs,
      dataDir,
      defaultCwd: options.defaultCwd,
      jobEnvironment: this.jobEnvironment,
      settings: () => this.settings,
      registry: this.registry,
      changed: (job) => this.changed(job),
      queueChanged: () => this.batcher.queueChanged(),
      logsWaiting: (job) => {
        this.logsWaiting.add(job);
        this.batcher.logsArrived();
      },
      notice: (message) => this.notice('warning', message),
      coreLoad: () => this.monitor.coreLoad,
      isClosed: () => this.closed,
      capabilities: options.capabilities,
    });
    this.monitor = new MonitoringBridge(this.jobs, this.batcher, (alert, job) =>
      actOnAlert(alert, job, {
        notice: (message) => this.batcher.emit('engine.notice', { level: 'warning', message }),
        stopWatched: (id) => this.monitor.stopWatched(id),
        restartWhenEnded: (j) => this.runner.restartWhenEnded(j),
      }),
    );
    this.admission = new Admission({
      jobs: this.jobs,
      store: this.store,
      batcher: this.batcher,
      runner: this.runner,
      monitor: this.monitor,
      assertOpen: () => this.assertOpen(),
    });
    this.batches = new BatchBook(this.jobs, this.runner, {
      check: (input) => this.admission.check(input),
      admit: (jobs, batch, saved) => this.admission.admitBatch(jobs, batch, saved),
      assertOpen: () => this.assertOpen(),
    });
    this.sampler = options.sampler ?? this.monitor.monitoring ?? createSampler();
    this.sampling = new SamplingLoop(this.sampler, this.settings.sampleIntervalMs, () => this.sampleRoots(), (at, usage) => {
      const samples = [...usage].map(([jobId, u]) => ({ jobId, cpu: u.cpu, rss: u.rss, processes: u.pids.length }));
      for (const s of samples) this.history.add({ at, ...s });
      if (samples.length > 0) this.batcher.emit('samples.tick', { at, samples });
      this.monitor.afterTick();
    }, () => this.sampleTracked());
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
    const leftovers = engine.registry.readLeftovers();
    // A job can be saved as queued yet have been running (its start not saved yet): the registry knows.
    const saved = engine.store.load(new Set(leftovers.records.map((r) => r.jobId)));
    engine.openingProblems.push(...saved.problems);
    const linux = process.platform === 'linux';
    const recovery = recoverDataDir(engine.registry, leftovers, options.dataDir, saved.jobs, linux ? (options.capabilities ?? capabilities()) : undefined);
    engine.recovered = recovery.recovered;
    if (recovery.problem !== undefined) engine.openingProblems.push(recovery.problem);
    for (const job of saved.jobs) {
      engine.jobs.set(job.id, new Job(job.id, job.spec, job));
      engine.monitor.monitoring?.setAlertRules(job.id, job.spec.alerts);
    }
    engine.batches.restore(saved.batches);
    // A clean start: jobs.json written from what was read (retention applied), journal emptied.
    engine.store.compactNow();
    engine.opening = false;
    engine.sampling.start();
    return engine;
  }

  get events(): EventEmitter<EngineEventMap> {
    return this.batcher.emitter;
  }

  /** Problems found while opening (unreadable saved files), to show the operator once. */
  get openingNotices(): string[] {
    return [...this.openingProblems, ...(this.settingsStore.problem !== undefined ? [this.settingsStore.problem] : [])];
  }

  info() {
    return { platform: process.platform, cores: cpus().length, dataDir: this.options.dataDir };
  }

  /** Queued job ids in the order they would start: "queued #n" is the job at index n - 1. */
  queueOrder(): string[] {
    return this.runner.queueOrder();
  }

  list(): JobSnapshot[] {
    return [...this.jobs.keys()].map((id) => this.snapshotOf(id)!);
  }

  start(input: JobSpecInput): JobSnapshot {
    const job = new Job(newId('j'), this.admission.check(input));
    this.admission.admit([job]);
    return this.snapshotOf(job.id)!;
  }

  /** Runs the job again; a running one is stopped first and started once it has ended. */
  restart(jobId: string): JobSnapshot {
    this.assertOpen();
    const job = this.job(jobId);
    if (job.queued) return this.snapshotOf(jobId)!;
    job.restarts = { ...job.restarts, manual: job.restarts.manual + 1, lastReason: 'restarted by operator' };
    if (job.run?.isActive()) {
      this.runner.restartWhenEnded(job);
      if (job.run.state !== 'stopping') job.run.stop();
      return this.snapshotOf(jobId)!;
    }
    this.runner.cancel(job);
    this.runner.preflight(job);
    this.runner.enqueue(job);
    return this.snapshotOf(jobId)!;
  }

  remove(jobId: string): void {
    const job = this.job(jobId);
    if (job.isActive()) throw new EngineError('BAD_STATE', `job ${job.name} is still ${job.state()}; stop it before removing it`);
    this.forgetJob(jobId);
    this.batcher.emit('jobs.removed', { jobIds: [jobId] });
  }

  private forgetJob(jobId: string): void {
    this.jobs.delete(jobId);
    this.history.forget(jobId);
    this.monitor.monitoring?.forget(jobId);
    this.store.changed(jobId);
    this.runner.forget(jobId);
  }

  /** Drops the oldest finished jobs beyond settings.finishedJobsKept, and says so. */
  private applyRetention(): void {
    const keep = this.settings.finishedJobsKept;
    const drop = oldestFinishedBeyond(this.jobs, keep);
    if (drop.length === 0) return;
    for (const id of drop) this.forgetJob(id);
    if (!this.opening) this.batcher.emit('jobs.removed', { jobIds: drop });
    this.notice('info', `${drop.length} of the oldest finished jobs were dropped from the list and the saved jobs: the "finished jobs kept" setting (finishedJobsKept) keeps ${keep}`);
  }

  /** Tells every client (or, while opening, each client that connects later). */
  private notice(level: 'info' | 'warning' | 'error', message: string): void {
    if (this.opening) this.openingProblems.push(message);
    else this.batcher.emit('engine.notice', { level, message });
  }

  tail(jobId: string): { runId?: string; chunks: LogChunk[]; truncated: boolean } {
    const run = this.job(jobId).run;
    if (!run) return { chunks: [], truncated: false };
    // Send what is pending to every client first: the answer then holds all output so far,
    // and no other client misses a chunk that was folded into this answer.
    this.batcher.flush();
    return { runId: run.runId, ...run.log.snapshot() };
  }

  sampleHistory(jobId: string): SamplePoint[] {
    this.job(jobId);
    return this.history.get(jobId);
  }

  groups(): GroupInfo[] {
    return this.runner.pool.groupInfo();
  }

  updateGroup(name: string, change: { limit?: number | null; paused?: boolean }): GroupInfo[] {
    if (change.limit !== undefined) this.runner.pool.setGroupLimit(name, change.limit ?? undefined);
    if (change.paused !== undefined) this.runner.pool.setGroupPaused(name, change.paused);
    this.runner.pump();
    this.batcher.groupsChanged();
    return this.groups();
  }

  /** Replaces the alert rules of a job (kept with its spec) or of a watched process. */
  setAlertRules(subjectId: string, rules: AlertRule[]): AlertRule[] {
    const job = this.jobs.get(subjectId);
    this.monitor.get().setAlertRules(subjectId, rules);
    if (job) {
      job.spec.alerts = rules;
      this.store.changed(job.id);
    }
    return this.monitor.get().alertRules(subjectId);
  }

  /** Answered once every item is saved and queued; other requests are served meanwhile. */
  async submitBatch(request: BatchRequest): Promise<BatchProgress> {
    this.assertOpen();
    return this.batches.submit(request);
  }

  listBatches(): BatchProgress[] {
    return this.batches.list();
  }

  stopBatch(batchId: string): BatchProgress {
    return this.batches.stop(batchId, (job) => this.stopJob(job));
  }

  retryFailed(batchId: string): BatchProgress {
    return this.batches.retryFailed(batchId);
  }

  updateSettings(patch: SettingsPatchInput): Settings {
    const parsed = settingsPatchSchema.safeParse(patch);
    if (!parsed.success) throw EngineError.fromZod('INVALID_REQUEST', parsed.error, 'settings');
    // An allowlist entry must name a program now: one that resolves to nothing would allow nothing.
    if (parsed.data.commandPolicy) checkAllowRulesResolve(parsed.data.commandPolicy, this.jobEnvironment.PATH ?? '');
    const next = { ...this.settings, ...parsed.data };
    try {
      this.settingsStore.save(next);
    } catch (error) {
      throw new EngineError('SYSTEM_REFUSED', `could not save the settings (${describeFsError(error)}); nothing was changed`);
    }
    this.settings = next;
    this.runner.pool.setLimit(this.settings.maxConcurrent);
    this.sampling.setInterval(this.settings.sampleIntervalMs);
    if (parsed.data.finishedJobsKept !== undefined) this.applyRetention();
    this.runner.pump();
    return this.settings;
  }

  /** Stops every job within its grace period, then saves and releases everything. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.jobs.values()) this.runner.cancel(job, 'the engine shut down before it started');
    this.runner.dispose();
    await Promise.all([...this.jobs.values()].map((j) => j.run?.stopAndWait()));
    this.sampling.stop();
    this.sampler.dispose();
    this.batcher.flush();
    this.store.close();
    this.registry.compact();
    this.registry.close();
    this.batcher.dispose();
    this.lock?.release();
  }

  protected assertOpen(): void {
    if (this.closed) throw new EngineError('BAD_STATE', 'the engine is shutting down');
  }

  protected snapshotOf(jobId: string): JobSnapshot | undefined {
    return this.jobs.get(jobId)?.snapshot();
  }

  private changed(job: Job): void {
    this.batcher.jobChanged(job.id);
    if (job.batchId) this.batcher.batchChanged(job.batchId);
    this.batcher.groupsChanged();
    this.store.changed(job.id);
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
      // outputBytes moves with the output, not only with state changes, but at most once a
      // second: every jobs.changed makes each client re-sort and re-render its job list.
      const now = Date.now();
      if (now - (this.outputPushedAt.get(job) ?? 0) >= 1000) {
        this.outputPushedAt.set(job, now);
        this.batcher.jobChanged(job.id);
      }
    }
    return batches;
  }

  /** Each running job's processes wherever they went (its cgroup or marker), counted in its samples. */
  private sampleTracked(): Map<string, TrackedProcesses> {
    const tracked = new Map<string, TrackedProcesses>();
    for (const job of this.jobs.values()) {
      const sampling = job.run?.isActive() ? job.run.sampling : undefined;
      if (sampling) tracked.set(job.id, sampling);
    }
    return tracked;
  }

  private sampleRoots(): Map<string, number> {
    const roots = new Map<string, number>();
    for (const job of this.jobs.values()) {
      const run = job.run;
      if (run?.isActive() && run.pid !== undefined) roots.set(job.id, run.pid);
    }
    return roots;
  }
}
