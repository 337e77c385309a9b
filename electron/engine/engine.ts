import { cpus } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import { jobSpecSchema, describeCommand, type JobSpecInput } from '../../shared/jobSpec';
import type { JobSnapshot, LogBatch, LogChunk, RecoveredGroup } from '../../shared/jobSnapshot';
import { DEFAULT_SETTINGS, settingsPatchSchema, type Settings, type SettingsPatch } from '../../shared/settings';
import type { SignalName } from '../../shared/signals';
import { EngineError } from './engineError';
import { EventBatcher, type EngineEventMap } from './eventBatcher';
import { Job } from './job';
import { RunLog } from './logs/runLog';
import { createSampler } from './monitor/createSampler';
import { SampleHistory, type SamplePoint } from './monitor/sampleHistory';
import type { TreeSampler } from './monitor/sampler';
import { SamplingLoop } from './monitor/samplingLoop';
import { readProcTable } from './monitor/procTable';
import { Pool } from './scheduler/pool';
import { JobStore } from './store/jobStore';
import { reapLeftovers } from './store/reapLeftovers';
import { RunningRegistry } from './store/runningRegistry';
import { SettingsStore } from './store/settingsStore';
import { JobRun } from './supervisor/jobRun';
import { planLaunch } from './supervisor/launchPlan';
import { readStartTime } from './supervisor/processGroup';

export interface EngineOptions {
  dataDir: string;
  /** Working directory of jobs that name none. */
  defaultCwd?: string;
  settings?: SettingsPatch;
  sampler?: TreeSampler;
}

/** Live (non-zombie) processes for crash recovery; none where there is no /proc to read. */
function listLiveProcesses() {
  if (process.platform !== 'linux') return [];
  return [...readProcTable().processes.values()].filter((p) => p.state !== 'Z');
}

let idCounter = 0;
const newId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(idCounter++).toString(36)}`;

/** Every piece of process logic behind one object. No Electron: runs under plain Node. */
export class Engine {
  private readonly jobs = new Map<string, Job>();
  private readonly batcher: EventBatcher;
  private readonly registry: RunningRegistry;
  private readonly store: JobStore;
  private readonly settingsStore: SettingsStore;
  private readonly history = new SampleHistory();
  private readonly pool: Pool;
  private readonly sampling: SamplingLoop;
  private readonly sampler: TreeSampler;
  private readonly restartPending = new Set<string>();
  /** Runs with output not yet sent, so a tick does not visit every job. */
  private readonly logsWaiting = new Set<Job>();
  private readonly startedAt = Date.now();
  private closed = false;
  settings: Settings;
  recovered: RecoveredGroup[] = [];

  private constructor(readonly options: EngineOptions & { defaultCwd: string }) {
    const dataDir = options.dataDir;
    this.settingsStore = new SettingsStore(join(dataDir, 'settings.json'));
    this.settings = { ...DEFAULT_SETTINGS, ...this.settingsStore.load(), ...options.settings };
    this.batcher = new EventBatcher({ snapshot: (id) => this.jobs.get(id)?.snapshot(), drainLogs: () => this.drainLogs() });
    this.registry = new RunningRegistry(join(dataDir, 'running.json'));
    this.store = new JobStore(join(dataDir, 'jobs.json'), () => [...this.jobs.values()].map((j) => j.snapshot()));
    this.pool = new Pool(this.settings.maxConcurrent);
    this.sampler = options.sampler ?? createSampler();
    this.sampling = new SamplingLoop(this.sampler, this.settings.sampleIntervalMs, () => this.sampleRoots(), (at, usage) => {
      const samples = [...usage].map(([jobId, u]) => ({ jobId, cpu: u.cpu, rss: u.rss, processes: u.pids.length }));
      for (const s of samples) this.history.add({ at, ...s });
      if (samples.length > 0) this.batcher.emit('samples.tick', { at, samples });
    });
  }

  /** Opens a data directory: reaps groups a crashed engine left running, loads saved jobs. */
  static open(options: EngineOptions): Engine {
    const engine = new Engine({ ...options, defaultCwd: options.defaultCwd ?? process.cwd() });
    engine.recovered = reapLeftovers(engine.registry, listLiveProcesses);
    for (const saved of engine.store.load()) engine.jobs.set(saved.id, new Job(saved.id, saved.spec, saved));
    engine.sampling.start();
    return engine;
  }

  get events(): EventEmitter<EngineEventMap> {
    return this.batcher.emitter;
  }

  /** Problems found while opening (unreadable saved files), to show the operator once. */
  get openingNotices(): string[] {
    return [this.store.problem, this.settingsStore.problem].filter((p): p is string => p !== undefined);
  }

  info() {
    return { platform: process.platform, cores: cpus().length, dataDir: this.options.dataDir };
  }

  list(): JobSnapshot[] {
    return [...this.jobs.values()].map((j) => j.snapshot());
  }

  get(jobId: string): JobSnapshot {
    return this.job(jobId).snapshot();
  }

  start(input: JobSpecInput): JobSnapshot {
    this.assertOpen();
    const parsed = jobSpecSchema.safeParse(input);
    if (!parsed.success) throw EngineError.fromZod('INVALID_SPEC', parsed.error);
    const spec = parsed.data;
    // Preflight now so the caller hears "command not found" at once, even if the job has to queue.
    planLaunch(spec, this.options.defaultCwd);
    const job = new Job(newId('j'), spec);
    this.jobs.set(job.id, job);
    this.enqueue(job);
    this.store.savePromptly();
    return job.snapshot();
  }

  stop(jobId: string): JobSnapshot {
    const job = this.job(jobId);
    if (this.cancelQueued(job)) return job.snapshot();
    this.activeRun(job, 'stop').stop();
    return job.snapshot();
  }

  kill(jobId: string): JobSnapshot {
    const job = this.job(jobId);
    if (this.cancelQueued(job)) return job.snapshot();
    this.activeRun(job, 'kill').kill();
    return job.snapshot();
  }

  signal(jobId: string, signal: SignalName): JobSnapshot {
    const job = this.job(jobId);
    this.activeRun(job, `send ${signal} to`).sendSignal(signal);
    return job.snapshot();
  }

  pause(jobId: string): JobSnapshot {
    const job = this.job(jobId);
    this.activeRun(job, 'pause').pause();
    return job.snapshot();
  }

  resume(jobId: string): JobSnapshot {
    const job = this.job(jobId);
    this.activeRun(job, 'resume').resume();
    return job.snapshot();
  }

  /** Runs the job again; a running one is stopped first and started once it has ended. */
  restart(jobId: string): JobSnapshot {
    this.assertOpen();
    const job = this.job(jobId);
    if (job.queued) return job.snapshot();
    if (job.run?.isActive()) {
      this.restartPending.add(job.id);
      if (job.run.state !== 'stopping') job.run.stop();
      return job.snapshot();
    }
    planLaunch(job.spec, this.options.defaultCwd);
    this.enqueue(job);
    return job.snapshot();
  }

  remove(jobId: string): void {
    const job = this.job(jobId);
    if (job.isActive()) throw new EngineError('BAD_STATE', `job ${job.name} is still ${job.snapshot().state}; stop it before removing it`);
    this.jobs.delete(jobId);
    this.history.forget(jobId);
    this.batcher.emit('jobs.removed', { jobIds: [jobId] });
    this.store.saveSoon();
  }

  writeStdin(jobId: string, data: string): JobSnapshot {
    const job = this.job(jobId);
    this.activeRun(job, 'write to').writeStdin(data);
    return job.snapshot();
  }

  closeStdin(jobId: string): JobSnapshot {
    const job = this.job(jobId);
    this.activeRun(job, 'close stdin of').closeStdin();
    return job.snapshot();
  }

  tail(jobId: string): { runId?: string; chunks: LogChunk[]; truncated: boolean } {
    const run = this.job(jobId).run;
    if (!run) return { chunks: [], truncated: false };
    run.log.drain(); // fold pending output into the tail so the answer is current
    return { runId: run.runId, ...run.log.snapshot() };
  }

  sampleHistory(jobId: string): SamplePoint[] {
    this.job(jobId);
    return this.history.get(jobId);
  }

  updateSettings(patch: SettingsPatch): Settings {
    const parsed = settingsPatchSchema.safeParse(patch);
    if (!parsed.success) throw EngineError.fromZod('INVALID_REQUEST', parsed.error, 'settings');
    this.settings = { ...this.settings, ...parsed.data };
    this.pool.setLimit(this.settings.maxConcurrent);
    this.sampling.setInterval(this.settings.sampleIntervalMs);
    this.settingsStore.save(this.settings);
    this.pump();
    return this.settings;
  }

  /** Stops every job within its grace period, then saves and releases everything. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.jobs.values()) if (job.queued) this.cancelQueued(job);
    await Promise.all([...this.jobs.values()].map((j) => j.run?.stopAndWait()));
    this.sampling.stop();
    this.sampler.dispose();
    this.batcher.flush();
    this.store.saveNow();
    this.registry.flush();
    this.batcher.dispose();
  }

  private job(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new EngineError('NOT_FOUND', `no job with id ${jobId}`, 'jobId');
    return job;
  }

  private activeRun(job: Job, action: string): JobRun {
    if (job.queued) throw new EngineError('BAD_STATE', `cannot ${action} job ${job.name}: it is still queued`);
    if (!job.run?.isActive()) throw new EngineError('BAD_STATE', `cannot ${action} job ${job.name}: it is not running`);
    return job.run;
  }

  private assertOpen(): void {
    if (this.closed) throw new EngineError('BAD_STATE', 'the engine is shutting down');
  }

  private enqueue(job: Job): void {
    job.queued = true;
    job.failure = undefined;
    job.queuedAt = Date.now();
    this.pool.enqueue(job.id);
    this.changed(job);
    this.pump();
  }

  private cancelQueued(job: Job): boolean {
    if (!job.queued || !this.pool.cancel(job.id)) return false;
    job.queued = false;
    job.failure = 'cancelled while queued';
    this.changed(job);
    return true;
  }

  private pump(): void {
    for (const id of this.pool.takeStartable()) {
      const job = this.jobs.get(id);
      if (job) this.launch(job);
      else this.pool.release();
    }
  }

  private launch(job: Job): void {
    job.queued = false;
    let plan;
    try {
      plan = planLaunch(job.spec, this.options.defaultCwd);
    } catch (error) {
      job.failure = (error as Error).message;
      job.run = undefined;
      this.pool.release();
      this.changed(job);
      return;
    }
    job.runCount++;
    const runId = newId('r');
    const log = new RunLog({
      filePath: join(this.options.dataDir, 'logs', job.id, `${runId}.log`),
      fileMaxBytes: this.settings.logMaxBytes,
      filesKept: this.settings.logFilesKept,
      tailMaxBytes: this.settings.tailMaxBytes,
      onPending: () => {
        this.logsWaiting.add(job);
        this.batcher.logsArrived();
      },
    });
    const run = new JobRun(runId, job.spec, log, {
      onChange: () => this.changed(job),
      onSpawned: (pid) =>
        this.registry.add({ jobId: job.id, runId, pgid: pid, startTime: readStartTime(pid), command: describeCommand(job.spec.command), engineStartedAt: this.startedAt }),
      onEnded: () => this.runEnded(job, run),
    });
    job.run = run;
    run.start(plan);
  }

  private runEnded(job: Job, run: JobRun): void {
    this.registry.remove(run.runId);
    this.pool.release();
    run.log.close();
    if (this.restartPending.delete(job.id) && !this.closed) this.enqueue(job);
    this.pump();
  }

  private changed(job: Job): void {
    this.batcher.jobChanged(job.id);
    this.store.saveSoon();
  }

  private drainLogs(): LogBatch[] {
    const batches: LogBatch[] = [];
    const waiting = [...this.logsWaiting];
    this.logsWaiting.clear();
    for (const job of waiting) {
      const run = job.run;
      if (!run) continue;
      const chunks = run.log.drain();
      if (chunks.length > 0) batches.push({ jobId: job.id, runId: run.runId, chunks });
    }
    return batches;
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
