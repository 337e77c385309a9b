import { dirname, join } from 'node:path';
import type { DeclaredJob } from '../../../shared/config/declaredJob';
import { formatProblem } from '../../../shared/config/problems';
import type { ConfigApplyResult, ConfigDiffResult, ConfigFileChange, ConfigLoadResult, ConfigStatusResult, SaveDefinitionRequest } from '../../../shared/configCommands';
import type { LogChunk } from '../../../shared/jobSnapshot';
import type { DefinitionDiff } from '../config/diffDefinitions';
import type * as ConfigFileCode from '../declared/configFileCode';
import { missedRuns } from '../schedule/missedRuns';
import { ConfigFileWatch } from '../declared/configFileWatch';
import { overlapCopy } from '../declared/overlapCopy';
import { DeclaredService } from '../declared/declaredService';
import { DeclaredStateFile } from '../declared/declaredState';
import { probeSpawnerFor } from '../declared/probeEnvironment';
import { runtimeParts, type RuntimeParts } from '../declared/runtimeParts';
import { waitForService } from '../declared/serviceWaits';
import { dependencyTurnedUnhealthy } from '../declared/unhealthyDependency';
import { EngineError } from '../engineError';
import type { HealthTransition } from '../health/healthTracker';
import { newId } from '../../../shared/ids';
import type { Admission } from '../jobs/admission';
import { Job } from '../jobs/job';
import type { Scheduler } from '../scheduler/scheduler';

type ConfigCode = typeof ConfigFileCode;

// The config file's code (yaml and config/'s checks) is loaded at the first command that reads
// or writes a file: an engine without one never compiles or holds it (issue 15, memory).
let configCode: Promise<ConfigCode> | undefined;
const loadConfigCode = () => (configCode ??= import('../declared/configFileCode'));

export interface DeclaredServicesContext {
  dataDir: string;
  defaultCwd: string;
  jobs: Map<string, Job>;
  admission: Admission;
  scheduler: Scheduler;
  jobEnvironment: Readonly<Record<string, string | undefined>>;
  /** A definition's alert rules changed. */
  setAlertRules(job: Job): void;
  /** The job changed outside the scheduler (a new spec): clients and the store hear of it. */
  changed(job: Job): void;
  /** Only what clients see moved (a probe's results): pushed, not saved. */
  pushed(job: Job): void;
  notice(level: 'info' | 'warning', message: string): void;
  /** The file in force was read again (it changed on disk, or was applied): clients hear of it. */
  configChanged(change: ConfigFileChange): void;
  assertOpen(): void;
}

/**
 * engine.services: the jobs of a config file. Loading a file checks all of it first (a bad
 * file changes nothing and says every problem at file:line:column), then makes or updates one
 * job per definition and starts those with autostart, dependencies first (the scheduler holds
 * a dependant until its condition holds: started, healthy, succeeded; one that turns unhealthy
 * later tells its running dependants, or stops them until it is healthy again: see
 * dependencyTurnedUnhealthy). Applying a changed file
 * restarts the changed running services one at a time, dependencies first. The file in force
 * is watched: a change on disk is read again and its diff (or its errors) told, never applied.
 */
export class DeclaredServices {
  private file?: string;
  private readonly byName = new Map<string, DeclaredService>();
  private readonly stateFile: DeclaredStateFile;
  /** Ids a previous engine gave the names of the file it had loaded. */
  private savedIds = new Map<string, string>();
  private applying = false;
  /** The file in force changed on disk while a file was being applied: read it again once that is done. */
  private rereadAfterApply = false;
  /** The file in force as last read (once applied, and each time it changed on disk since). */
  private latestChange?: ConfigFileChange;
  private readonly fileWatch: ConfigFileWatch;
  /** Set by the first command that needed it, before any file is in force (reread, a watch's callback, needs it then). */
  private code?: ConfigCode;

  constructor(private readonly ctx: DeclaredServicesContext) {
    this.stateFile = new DeclaredStateFile(ctx.dataDir);
    const saved = this.stateFile.load();
    if (saved.problem) ctx.notice('warning', saved.problem);
    if (saved.state) this.savedIds = new Map(Object.entries(saved.state.jobs));
    this.fileWatch = new ConfigFileWatch({ changed: () => this.reread(), notice: (message) => ctx.notice('warning', message) });
  }

  /** Reads a file and puts its definitions in force (the first load, or a new file): the same as apply. */
  load(path: string): Promise<ConfigLoadResult> {
    return this.apply(path);
  }

  /** What applying the file would change, without changing anything. */
  async diff(path: string): Promise<ConfigDiffResult> {
    const code = await this.configCode();
    const { file, jobs, warnings } = code.readConfigOrThrow(path);
    return this.diffOf(code, file, jobs, warnings);
  }

  /** The file in force and its latest reading (once applied, and each time it changed on disk since). Read-only. */
  status(): ConfigStatusResult {
    return { file: this.file, change: this.latestChange };
  }

  /** Puts the file in force: new definitions made (autostart ones started), removed ones stopped, changed running ones restarted one by one. */
  async apply(path: string): Promise<ConfigApplyResult> {
    // Loaded before the checks: nothing else can start applying between them and `applying = true`.
    const code = await this.configCode();
    this.ctx.assertOpen();
    if (this.applying) throw new EngineError('BAD_STATE', 'a config file is being applied already; try again once it is done');
    const { file, jobs, warnings } = code.readConfigOrThrow(path);
    const diff = this.diffAgainstInForce(code, file, jobs);
    // Every part checked before anything changes: a probe or watch the engine refuses refuses the file.
    const parts = new Map(jobs.map((job) => [job.name, runtimeParts(job)]));
    const replaced = diff.removed.map((job) => this.byName.get(job.name)!);
    this.applying = true;
    try {
      for (const service of replaced) await this.undeclare(service, `removed from ${file}`);
      this.file = file;
      const ids = new Map<string, string>();
      for (const job of jobs) ids.set(job.name, this.byName.get(job.name)?.job.id ?? this.reusableId(job.name) ?? newId('j'));
      this.stateFile.save({ file, jobs: Object.fromEntries(ids) });
      const started: string[] = [];
      for (const job of diff.added) if (this.declare(job, parts.get(job.name)!, ids)) started.push(job.name);
      const toRestart = code.restartOrder(diff, (name) => this.byName.get(name)?.job.liveRun() !== undefined);
      for (const change of diff.changed) this.redefine(change.after, parts.get(change.name)!, ids, toRestart.includes(change.name));
      const restarted: string[] = [];
      for (const name of toRestart) {
        const service = this.byName.get(name)!;
        this.restartRun(service.job, `${file} changed (${diff.changed.find((c) => c.name === name)!.fields.join(', ')})`);
        restarted.push(name);
        await waitForService(service, this.ctx.jobs);
      }
      this.fileWatch.follow(file, code.envFilesOf(jobs));
      this.latestChange = undefined;
      this.rereadAfterApply = true;
      return { file, ...code.describeDiff(diff), started, restarted, warnings, jobs: jobs.map((job) => ({ name: job.name, jobId: ids.get(job.name)! })) };
    } finally {
      this.applying = false;
      // Clients hear that what they were shown is applied (an empty diff), or of an edit made meanwhile.
      if (this.rereadAfterApply) this.reread();
    }
  }

  /** A spec saved as a definition of the file in force (or a new one), then the file applied. */
  async saveDefinition(request: SaveDefinitionRequest): Promise<ConfigApplyResult> {
    const code = await this.configCode();
    this.ctx.assertOpen();
    if (this.applying) throw new EngineError('BAD_STATE', 'a config file is being applied already; try again once it is done');
    const file = code.saveDefinitionInto(request, { inForce: this.file, defaultFile: join(this.ctx.dataDir, 'procdeck.yaml'), defaultCwd: this.ctx.defaultCwd });
    return this.apply(file);
  }

  /** A definition's autostart set in the file in force, then the file applied (autostart only counts when Procdeck starts). */
  async setAutostart(name: string, autostart: boolean): Promise<ConfigApplyResult> {
    const code = await this.configCode();
    this.ctx.assertOpen();
    if (this.applying) throw new EngineError('BAD_STATE', 'a config file is being applied already; try again once it is done');
    return this.apply(code.setAutostartIn(this.file, name, autostart));
  }

  /** The definitions in force as a config file's text. */
  async exportYaml(): Promise<{ yaml: string }> {
    const code = await this.configCode();
    const baseDir = this.file ? dirname(this.file) : undefined;
    return { yaml: code.exportDefinitions(this.definitions(), { baseDir, header: 'exported by Procdeck' }) };
  }

  /** Resolves once every watch has scanned its paths (changes count from then on). */
  async watchesReady(): Promise<void> {
    await Promise.all([this.fileWatch.ready(), ...[...this.byName.values()].map((service) => service.watchReady())]);
  }

  /** Every change of a job: a declared one's probes follow its run. */
  jobChanged(job: Job): void {
    if (job.service instanceof DeclaredService) job.service.runChanged();
  }

  /** A run's drained output: a declared one's log probe reads its lines. */
  output(job: Job, chunks: readonly LogChunk[]): void {
    if (job.service instanceof DeclaredService) job.service.output(chunks);
  }

  /** Stops every probe, schedule and watch (the engine shuts down). */
  async dispose(): Promise<void> {
    await Promise.all([this.fileWatch.dispose(), ...[...this.byName.values()].map((service) => service.dispose())]);
  }

  /** Reads the file in force again and tells clients what applying it would change (or why it no longer loads); applies nothing. */
  private reread(): void {
    const file = this.file;
    const code = this.code;
    this.rereadAfterApply = false;
    if (file === undefined || code === undefined) return;
    if (this.applying) {
      this.rereadAfterApply = true;
      return;
    }
    const result = code.readAnyConfig(file);
    const change: ConfigFileChange = result.ok
      ? { file, diff: this.diffOf(code, file, result.jobs, result.warnings.map(formatProblem)), errors: [] }
      : { file, errors: result.errors.map(formatProblem) };
    this.latestChange = change;
    this.ctx.configChanged(change);
  }

  private async configCode(): Promise<ConfigCode> {
    return (this.code ??= await loadConfigCode());
  }

  private diffOf(code: ConfigCode, file: string, jobs: readonly DeclaredJob[], warnings: string[]): ConfigDiffResult {
    return { file, ...code.describeDiff(this.diffAgainstInForce(code, file, jobs)), warnings };
  }

  /** Another file than the one in force replaces it: every definition in force goes, even one of the same name (it is another file's). */
  private diffAgainstInForce(code: ConfigCode, file: string, jobs: readonly DeclaredJob[]): DefinitionDiff {
    if (this.file === undefined || this.file === file) return code.diffDefinitions(this.definitions(), jobs);
    return { ...code.diffDefinitions([], jobs), removed: this.definitions() };
  }

  private definitions(): DeclaredJob[] {
    return [...this.byName.values()].map((service) => service.definition);
  }

  private reusableId(name: string): string | undefined {
    const id = this.savedIds.get(name);
    const job = id === undefined ? undefined : this.ctx.jobs.get(id);
    // Unfinished too: a service resurrected at open (restart: always) is the same job, not a second one.
    return job && !job.service ? id : undefined;
  }

  /** A new definition: its job made (or a previous engine's found again), and started if autostart. Returns whether it was queued. */
  private declare(definition: DeclaredJob, parts: RuntimeParts, ids: ReadonlyMap<string, string>): boolean {
    const id = ids.get(definition.name)!;
    const spec = specOf(definition, ids);
    const existing = this.ctx.jobs.get(id);
    // A queued job's place in the queue follows its spec (group, priority, dependencies): queued again under the new one.
    const wasQueued = existing?.phase.kind === 'queued';
    if (wasQueued) this.ctx.scheduler.cancel(existing!, 'its definition changed');
    const job = existing ?? new Job(id, spec);
    job.spec = spec;
    const service = new DeclaredService(job, definition, parts, this.file!, this.hooks());
    service.setDependencies(definition.dependsOn, ids);
    job.service = service;
    this.byName.set(definition.name, service);
    service.arm();
    if (existing) {
      this.ctx.setAlertRules(job);
      this.ctx.changed(job);
      if (wasQueued) return this.startRun(job, job.restarts.lastReason ?? `queued again (${this.file})`);
      if (definition.autostart) return this.startRun(job, `autostart (${this.file})`);
      // The last run's start stands for the last tick: what the schedule missed since then, while Procdeck was down.
      const missed = parts.schedule ? missedRuns(parts.schedule, job.startedAt, Date.now()) : undefined;
      return missed?.runNow === true && this.startRun(job, missed.reason ?? 'missed while Procdeck was down');
    }
    let problem: string | undefined;
    try {
      if (definition.autostart) this.ctx.scheduler.preflight(spec);
    } catch (error) {
      problem = (error as Error).message;
    }
    if (!definition.autostart) job.phase = { kind: 'ended', verdict: { state: 'skipped', reason: `not started: declared in ${this.file} without autostart` } };
    else if (problem !== undefined) job.phase = { kind: 'ended', verdict: { state: 'failed-to-start', reason: problem } };
    const queue = definition.autostart && problem === undefined;
    this.ctx.admission.admit([job], { queue });
    return queue;
  }

  /** A changed definition: the new spec for the next run; schedule and watch re-armed. */
  private redefine(definition: DeclaredJob, parts: RuntimeParts, ids: ReadonlyMap<string, string>, willRestart: boolean): void {
    const service = this.byName.get(definition.name)!;
    const job = service.job;
    const wasQueued = job.phase.kind === 'queued';
    if (wasQueued) this.ctx.scheduler.cancel(job, 'its definition changed');
    job.spec = specOf(definition, ids);
    service.definition = definition;
    service.parts = parts;
    service.setDependencies(definition.dependsOn, ids);
    this.ctx.setAlertRules(job);
    this.ctx.changed(job);
    service.arm();
    if (wasQueued && !willRestart) this.startRun(job, 'its definition changed');
  }

  private async undeclare(service: DeclaredService, reason: string): Promise<void> {
    this.byName.delete(service.definition.name);
    await service.dispose();
    const job = service.job;
    if (!this.ctx.scheduler.cancel(job, reason)) {
      const live = job.liveRun();
      if (live && live.state !== 'stopping') live.stop('operator', reason);
    }
    job.service = undefined;
    this.ctx.changed(job);
  }

  /** Queues a run unless one is active or waiting; false if its preflight failed (the job says why). */
  private startRun(job: Job, reason: string): boolean {
    if (job.isUnfinished()) return false;
    if (!this.preflightOrFail(job)) return false;
    job.restarts = { ...job.restarts, lastReason: reason };
    this.ctx.scheduler.enqueue(job);
    return true;
  }

  private preflightOrFail(job: Job): boolean {
    try {
      this.ctx.scheduler.preflight(job.spec);
      return true;
    } catch (error) {
      this.ctx.scheduler.cancel(job, (error as Error).message);
      job.phase = { kind: 'ended', verdict: { state: 'failed-to-start', reason: (error as Error).message } };
      this.ctx.changed(job);
      return false;
    }
  }

  /** overlap: allow: a one-off copy beside the active run (see overlapCopy). */
  private startCopy(job: Job, reason: string, scheduledAt: number): void {
    const copy = overlapCopy(job, reason, scheduledAt);
    try {
      this.ctx.scheduler.preflight(copy.spec);
    } catch (error) {
      this.ctx.notice('warning', `job ${job.name}: its scheduled run beside the active one (overlap: allow) cannot start: ${(error as Error).message}`);
      return;
    }
    this.ctx.admission.admit([copy]);
  }

  private restartRun(job: Job, reason: string): void {
    const live = job.liveRun();
    if (!live) {
      this.startRun(job, reason);
      return;
    }
    job.restarts = { ...job.restarts, automatic: job.restarts.automatic + 1, lastReason: reason };
    live.log.note(`restarting: ${reason}`);
    this.ctx.scheduler.restartWhenEnded(job);
    if (live.state !== 'stopping') live.stop('operator', `restarted: ${reason}`);
  }

  private hooks() {
    return {
      healthChanged: (job: Job, transition: HealthTransition) => this.healthChanged(job, transition),
      probed: (job: Job) => this.ctx.pushed(job),
      ticked: (job: Job) => this.ctx.pushed(job),
      startCopy: (job: Job, reason: string, scheduledAt: number) => this.startCopy(job, reason, scheduledAt),
      startRun: (job: Job, reason: string) => void this.startRun(job, reason),
      restartRun: (job: Job, reason: string) => this.restartRun(job, reason),
      probeSpawner: (job: Job) => probeSpawnerFor(job.spec, this.ctx.defaultCwd, this.ctx.jobEnvironment),
      notice: (level: 'info' | 'warning', message: string) => this.ctx.notice(level, message),
    };
  }

  private healthChanged(job: Job, transition: HealthTransition): void {
    const live = job.liveRun();
    live?.log.note(transition.reason);
    this.ctx.scheduler.dependencyMoved(job);
    if (transition.to !== 'unhealthy') return;
    if (transition.role === 'liveness' && live && live.state !== 'stopping') live.stop('health', transition.reason);
    dependencyTurnedUnhealthy(job, transition.reason, this.byName.values(), {
      restartWhenEnded: (dependant) => this.ctx.scheduler.restartWhenEnded(dependant),
      notice: (level, message) => this.ctx.notice(level, message),
    });
  }
}

function specOf(definition: DeclaredJob, ids: ReadonlyMap<string, string>) {
  return { ...definition.spec, dependsOn: definition.dependsOn.map((dep) => ids.get(dep.name)!) };
}
