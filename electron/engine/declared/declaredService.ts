import type { DeclaredDependency, DeclaredJob } from '../../../shared/config/declaredJob';
import type { DependencyCondition } from '../../../shared/config/fileSchema';
import type { DeclaredRef, JobHealth, LogChunk } from '../../../shared/jobSnapshot';
import type { HealthTransition } from '../health/healthTracker';
import type { ProbeSpawner } from '../health/execProbe';
import type { Job } from '../jobs/job';
import type { ServiceFacet } from '../jobs/serviceFacet';
import { CronSchedule } from '../schedule/cronSchedule';
import { FileWatch, type WatchChange } from '../watch/fileWatch';
import { LineSplitter } from './lineSplitter';
import { RunHealth } from './runHealth';
import type { RuntimeParts } from './runtimeParts';

/** What a declared service asks of the engine. */
export interface DeclaredServiceHooks {
  /** Its health moved: dependants are looked at again, clients told. */
  healthChanged(job: Job, transition: HealthTransition): void;
  /** A probe result arrived: clients see the new results (nothing is saved for it). */
  probed(job: Job): void;
  /** Its schedule ticked: clients see the next run time (nothing is saved for it). */
  ticked(job: Job): void;
  /** Starts a run now unless one is active or waiting (a schedule's tick). */
  startRun(job: Job, reason: string): void;
  /** Starts a one-off copy of the job beside its active run (a schedule's tick with overlap: allow). */
  startCopy(job: Job, reason: string, scheduledAt: number): void;
  /** Restarts the live run (a watched file changed). */
  restartRun(job: Job, reason: string): void;
  probeSpawner(job: Job): ProbeSpawner;
  notice(level: 'info' | 'warning', message: string): void;
}

/**
 * One job of a config file while it is in force: its dependencies' conditions, the health of
 * its live run (probes started when the run is running, stopped when it ends), its schedule and
 * its watch. The job's snapshot reads it through ServiceFacet.
 */
export class DeclaredService implements ServiceFacet {
  conditions: ReadonlyMap<string, DependencyCondition> = new Map();
  /** Ids of the dependencies (condition healthy) whose turning unhealthy stops its run (onUnhealthy: stop) rather than telling it. */
  stopsWhenUnhealthy: ReadonlySet<string> = new Set();
  private runHealth?: RunHealth;
  private schedule?: CronSchedule;
  private watch?: FileWatch;
  private watchStarted: Promise<void> = Promise.resolve();
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly lines = new LineSplitter((line) => {
    for (const listener of this.lineListeners) listener(line);
  });
  private lastRunId?: string;
  private disposed = false;

  constructor(
    readonly job: Job,
    public definition: DeclaredJob,
    public parts: RuntimeParts,
    readonly file: string,
    private readonly hooks: DeclaredServiceHooks,
  ) {}

  /** Its dependencies, by the job ids the names of the file were given. */
  setDependencies(dependsOn: readonly DeclaredDependency[], ids: ReadonlyMap<string, string>): void {
    this.conditions = new Map(dependsOn.map((dep) => [ids.get(dep.name)!, dep.condition]));
    this.stopsWhenUnhealthy = new Set(dependsOn.filter((dep) => dep.condition === 'healthy' && dep.onUnhealthy === 'stop').map((dep) => ids.get(dep.name)!));
  }

  declared(): DeclaredRef {
    return { file: this.file, name: this.definition.name, autostart: this.definition.autostart };
  }

  isReady(): boolean {
    return this.runHealth?.isReady() ?? (this.parts.readiness === undefined && this.job.liveRun() !== undefined);
  }

  health(): JobHealth | undefined {
    return this.runHealth?.snapshot();
  }

  nextRunAt(): number | undefined {
    return this.schedule?.nextRuns(1)[0]?.getTime();
  }

  /** Starts (or restarts, after a change of the definition) what runs without the job running: its schedule and watch. */
  arm(): void {
    this.disarm();
    if (this.parts.schedule) {
      this.schedule = new CronSchedule(
        this.parts.schedule,
        {
          isRunActive: () => this.job.isUnfinished(),
          startRun: (tick) => {
            // Only overlap: allow starts while a run is active. A job has one live run at a time: the tick runs as a copy beside it.
            if (this.job.isUnfinished()) return this.hooks.startCopy(this.job, 'on schedule, beside the run still active (overlap: allow)', tick.scheduledAt);
            this.hooks.startRun(this.job, tick.fromQueue ? 'on schedule (queued behind the previous run, overlap: queue)' : 'on schedule');
          },
        },
        { onError: (error) => this.hooks.notice('warning', `job ${this.job.name}: its scheduled start failed: ${(error as Error).message}`) },
      );
      // Every tick moves the next run time, also one that starts nothing (overlap: skip).
      this.schedule.onTick(() => this.hooks.ticked(this.job));
      this.schedule.start();
    }
    if (this.parts.watch) {
      this.watch = new FileWatch(this.parts.watch, {
        onChange: (change: WatchChange) => {
          if (this.job.liveRun()) this.hooks.restartRun(this.job, change.reason);
        },
        onNotice: (notice) => this.hooks.notice(notice.level === 'error' ? 'warning' : notice.level, `job ${this.job.name}: ${notice.message}`),
      });
      this.watchStarted = this.watch.start();
    }
  }

  /** Resolves once the watch has scanned its paths (changes count from then on). */
  async watchReady(): Promise<void> {
    await this.watchStarted;
  }

  /** The job changed: a run that is now running gets its probes, one that ended loses them (and a queued tick may start). */
  runChanged(): void {
    if (this.disposed) return;
    const live = this.job.liveRun();
    const running = live && live.state !== 'starting' ? live : undefined;
    if (running && this.runHealth?.runId !== running.runId && (this.parts.readiness || this.parts.liveness)) {
      void this.runHealth?.dispose();
      const health = new RunHealth(running.runId, {
        readiness: this.parts.readiness,
        liveness: this.parts.liveness,
        startedAt: running.startedAt ?? Date.now(),
        spawn: this.hooks.probeSpawner(this.job),
        lines: (listener) => {
          this.lineListeners.add(listener);
          return () => this.lineListeners.delete(listener);
        },
        onTransition: (transition) => this.hooks.healthChanged(this.job, transition),
        onResult: () => this.hooks.probed(this.job),
      });
      this.runHealth = health;
      health.start();
    }
    if (!live && this.runHealth) {
      void this.runHealth.dispose();
      this.runHealth = undefined;
    }
    const runId = live?.runId;
    if (this.lastRunId !== undefined && runId !== this.lastRunId && !live) {
      this.lines.flush();
      this.schedule?.runEnded();
    }
    this.lastRunId = runId;
  }

  /** The run's output as the engine drains it: log probes match its lines. */
  output(chunks: readonly LogChunk[]): void {
    if (this.lineListeners.size === 0) return;
    for (const chunk of chunks) if (chunk.stream !== 'system') this.lines.push(chunk.text);
  }

  /** Stops probes, schedule and watch (the definition is removed, or the engine shuts down). */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.disarm();
    await this.runHealth?.dispose();
    this.runHealth = undefined;
  }

  private disarm(): void {
    this.schedule?.dispose();
    this.schedule = undefined;
    void this.watch?.dispose();
    this.watch = undefined;
  }
}
