import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import { jobSpecSchema, type JobSpecInput } from '../../shared/jobSpec';
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
import { RunningRegistry } from './store/runningRegistry';
import { lockDataDir, type DataDirLock } from './store/dataDirLock';
import { SettingsStore } from './store/settingsStore';
import { BatchBook, type BatchRequest } from './scheduler/batchBook';
import { JobControls } from './jobControls';
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

let idCounter = 0;
export const newId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(idCounter++).toString(36)}`;

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
  /** Runs with output not yet sent, so a tick does not visit every job. */
  private readonly logsWaiting = new Set<Job>();
  private readonly outputPushedAt = new WeakMap<Job, number>();
  readonly monitor: MonitoringBridge;
  private closed = false;
  private lock?: DataDirLock;
  settings: Settings;
  recovered: RecoveredGroup[] = [];
  /** What every job's environment starts from: Procdeck's own, less its plumbing (the token, npm's, Node's). */
  private readonly jobEnvironment = userEnvironment(process.env);
  /** The running registry was damaged at open: set aside, recovery relied on its scans. */
  private registryProblem?: string;

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
    this.registry = new RunningRegistry(dataDir, (message) => this.batcher.emit('engine.notice', { level: 'warning', message }));
    this.store = new JobStore(join(dataDir, 'jobs.json'), () => [...this.jobs.values()].map((j) => j.snapshot()));
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
      coreLoad: () => this.monitor.coreLoad,
      isClosed: () => this.closed,
      capabilities: options.capabilities,
    });
    this.batches = new BatchBook(this.jobs, this.runner, (spec, batchId) => this.start(spec, batchId));
    this.monitor = new MonitoringBridge(this.jobs, this.batcher, (alert, job) =>
      actOnAlert(alert, job, {
        notice: (message) => this.batcher.emit('engine.notice', { level: 'warning', message }),
        stopWatched: (id) => this.monitor.stopWatched(id),
        restartWhenEnded: (j) => this.runner.restartWhenEnded(j),
      }),
    );
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
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    // Before anything else: a second engine would reap the first one's jobs as crash leftovers.
    const lock = lockDataDir(options.dataDir);
    const engine = new Engine({ ...options, settings: settings.data, defaultCwd: options.defaultCwd ?? defaultWorkingDirectory() });
    engine.lock = lock;
    const saved = engine.store.load();
    const linux = process.platform === 'linux';
    const recovery = recoverDataDir(engine.registry, options.dataDir, saved, linux ? (options.capabilities ?? capabilities()) : undefined);
    engine.recovered = recovery.recovered;
    engine.registryProblem = recovery.problem;
    for (const job of saved) {
      engine.jobs.set(job.id, new Job(job.id, job.spec, job));
      engine.monitor.monitoring?.setAlertRules(job.id, job.spec.alerts);
    }
    engine.sampling.start();
    return engine;
  }

  get events(): EventEmitter<EngineEventMap> {
    return this.batcher.emitter;
  }

  /** Problems found while opening (unreadable saved files), to show the operator once. */
  get openingNotices(): string[] {
    return [this.store.problem, this.settingsStore.problem, this.registryProblem].filter((p): p is string => p !== undefined);
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

  start(input: JobSpecInput, batchId?: string): JobSnapshot {
    this.assertOpen();
    const parsed = jobSpecSchema.safeParse(input);
    if (!parsed.success) throw EngineError.fromZod('INVALID_SPEC', parsed.error);
    const spec = parsed.data;
    const missing = spec.dependsOn.filter((id) => !this.jobs.has(id));
    if (missing.length > 0) throw new EngineError('NOT_FOUND', `dependsOn names no job with id ${missing.join(', ')}`, 'dependsOn');
    // Preflight now so the caller hears "command not found" at once, even if the job has to queue.
    this.runner.preflight({ spec });
    const job = new Job(newId('j'), spec);
    job.batchId = batchId;
    this.jobs.set(job.id, job);
    this.monitor.monitoring?.setAlertRules(job.id, spec.alerts);
    this.runner.enqueue(job);
    this.store.savePromptly();
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
    this.jobs.delete(jobId);
    this.history.forget(jobId);
    this.monitor.monitoring?.forget(jobId);
    this.batcher.emit('jobs.removed', { jobIds: [jobId] });
    this.store.saveSoon();
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
      this.store.saveSoon();
    }
    return this.monitor.get().alertRules(subjectId);
  }

  submitBatch(request: BatchRequest): BatchProgress {
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
    this.settings = { ...this.settings, ...parsed.data };
    this.runner.pool.setLimit(this.settings.maxConcurrent);
    this.sampling.setInterval(this.settings.sampleIntervalMs);
    this.settingsStore.save(this.settings);
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
    this.store.saveNow();
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
    this.store.saveSoon();
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
