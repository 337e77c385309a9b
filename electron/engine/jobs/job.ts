import type { JobDefinition } from '../../../shared/definition';
import { describeCommand, type JobSpec } from '../../../shared/jobSpec';
import type { JobSnapshot } from '../../../shared/jobSnapshot';
import type { JobState } from '../../../shared/jobState';
import type { JobWait, QueueWait } from '../../../shared/jobWait';
import type { RunLogRemoval, RunRecord } from '../../../shared/run';
import type { RestartInfo } from '../../../shared/scheduling';
import type { RestartMemory } from '../scheduler/restartDecision';
import type { RunHandle } from '../backends/backend';
import type { LongTimeout } from '../timers';
import { runRecordOf } from './runRecord';
import type { ServiceFacet } from './serviceFacet';

/** A final state the scheduler decided instead of a run's own end (skipped, crash-looping, a launch that failed before a process existed). */
export interface Verdict {
  state: Extract<JobState, 'skipped' | 'crash-looping' | 'failed-to-start'>;
  reason: string;
}

/**
 * Where a job is in its life: the one value the scheduler moves it through. The latest run
 * itself is `Job.run` (kept after it ends, for its exit, log and metrics).
 */
export type JobPhase =
  /** In the pool's queue: waiting for a slot, or for its dependencies; `wait` says which, once the scheduler has looked. */
  | { kind: 'queued'; wait?: QueueWait }
  /** Its restart policy restarts it at restarts.nextAt: the backoff timer is armed. */
  | { kind: 'backing-off'; timer: LongTimeout }
  /** `Job.run` is live. `restartWhenEnded`: an operator (or an alert) restarts it, so it is queued again once this run has ended. */
  | { kind: 'running'; restartWhenEnded: boolean }
  /** Nothing happens without a request: the latest run ended, or the verdict replaced a run. */
  | { kind: 'ended'; verdict?: Verdict }
  /** As a previous engine left it (its last snapshot): this engine has not run it. */
  | { kind: 'restored' };

/** What a job restored from disk brings besides its last snapshot: its definition and its runs. */
export interface RestoredHistory {
  definition: JobDefinition;
  runs: RunRecord[];
}

/**
 * A job is a definition (its spec, name, labels) plus its runs. Only the latest run is live;
 * the runs that have ended are kept as records (`history`, at most the settings' runsKept).
 * A job restored from disk after an engine restart carries its last snapshot instead of a run.
 */
export class Job {
  phase: JobPhase;
  /** This engine's latest run: live while the phase is running, then kept for its exit, log and metrics. */
  run?: RunHandle;
  /** How many runs this job has had: the number of `run` (1 for the job's first run). */
  runCount = 0;
  queuedAt = Date.now();
  restarts: RestartInfo = { automatic: 0, manual: 0 };
  readonly restartMemory: RestartMemory = { restartTimes: [], consecutiveCrashes: 0 };
  batchId?: string;
  /** What a declared service adds (conditions on its dependencies, health, schedule); absent for a clicked job. */
  service?: ServiceFacet;
  /** Runs that have ended, oldest first: this engine's and those it restored. */
  private history: RunRecord[];
  private readonly createdAt: number;
  private readonly labels: Record<string, string>;

  constructor(
    readonly id: string,
    public spec: JobSpec,
    private readonly restored?: JobSnapshot,
    saved?: RestoredHistory,
  ) {
    // A new job is queued from the moment it exists: its first snapshot (saved before it is answered for) says so.
    this.phase = restored ? { kind: 'restored' } : { kind: 'queued' };
    this.history = saved ? [...saved.runs] : [];
    this.createdAt = saved?.definition.createdAt ?? restored?.queuedAt ?? this.queuedAt;
    this.labels = saved?.definition.labels ?? {};
    if (restored) {
      this.runCount = restored.runCount;
      this.queuedAt = restored.queuedAt;
      this.restarts = restored.restarts;
      this.batchId = restored.batchId;
    }
  }

  definition(): JobDefinition {
    return {
      id: this.id,
      name: this.name,
      spec: this.spec,
      labels: this.labels,
      createdAt: this.createdAt,
      origin: this.batchId !== undefined ? 'batch' : 'operator',
      ...(this.batchId !== undefined && { batchId: this.batchId }),
    };
  }

  /** A new run of the job was launched: it is the latest now. */
  runLaunched(run: RunHandle): void {
    this.runCount++;
    this.run = run;
  }

  /** The latest run ended: its record joins the history, of which the last `keep` stay; the records dropped. */
  archiveRun(record: RunRecord, keep: number): RunRecord[] {
    this.history.push(record);
    return this.trimRuns(keep);
  }

  /** Keeps the last `keep` records; the ones dropped (their logs go with them). */
  trimRuns(keep: number): RunRecord[] {
    return this.history.length > keep ? this.history.splice(0, this.history.length - keep) : [];
  }

  /** A run's log files were deleted: its record says when and why. False when no record of it is kept. */
  logRemoved(runId: string, removal: RunLogRemoval): boolean {
    const index = this.history.findIndex((record) => record.runId === runId);
    if (index < 0) return false;
    const record = this.history[index]!;
    this.history[index] = { ...record, log: { ...record.log, removed: removal } };
    return true;
  }

  /**
   * Its runs, oldest first: the history, then the latest run while it has not joined it
   * (live, or ended a moment ago); at most `keep`.
   */
  runs(keep: number): RunRecord[] {
    const run = this.run;
    const runs = run && this.history.at(-1)?.runId !== run.runId ? [...this.history, runRecordOf(this, run)] : this.history;
    return runs.length > keep ? runs.slice(-keep) : [...runs];
  }

  /** Of the latest run, or of the one a previous engine saved. */
  get exitCode(): number | undefined {
    return this.run ? this.run.exitCode : this.restored?.exitCode;
  }

  get startedAt(): number | undefined {
    return this.run ? this.run.startedAt : this.restored?.startedAt;
  }

  get endedAt(): number | undefined {
    return this.run ? this.run.endedAt : this.restored?.endedAt;
  }

  get name(): string {
    return this.spec.name || describeCommand(this.spec.command);
  }

  /** Waiting for a slot or a backoff: the pool or the restart policy starts it without anyone asking again. */
  isWaiting(): boolean {
    return this.phase.kind === 'queued' || this.phase.kind === 'backing-off';
  }

  /** Running, or going to run without anyone asking again (queued, backing off): not in a final state. */
  isUnfinished(): boolean {
    return this.isWaiting() || (this.phase.kind === 'running' && (this.run?.isActive() ?? false));
  }

  /** The live run, if there is one (a run that has just ended is not live, though the phase may not have moved on yet). */
  liveRun(): RunHandle | undefined {
    return this.phase.kind === 'running' && this.run?.isActive() ? this.run : undefined;
  }

  state(): JobState {
    switch (this.phase.kind) {
      case 'queued':
      case 'backing-off':
        return 'queued';
      case 'running':
        return this.run!.state;
      case 'ended':
        return this.phase.verdict?.state ?? this.run?.state ?? 'queued';
      case 'restored':
        return this.restored!.state;
    }
  }

  snapshot(): JobSnapshot {
    if (this.phase.kind === 'restored') return this.withService(this.restored!);
    const run = this.run;
    const snapshot: JobSnapshot = {
      id: this.id,
      name: this.name,
      spec: this.spec,
      state: this.state(),
      runCount: this.runCount,
      queuedAt: this.queuedAt,
      outputBytes: run?.log.totalBytes ?? 0,
      stdinOpen: run?.stdinOpen ?? false,
      restarts: this.restarts,
      ...(this.batchId !== undefined && { batchId: this.batchId }),
      ...(run?.isolation !== undefined && { isolation: run.isolation }),
    };
    if (run) {
      Object.assign(snapshot, {
        runId: run.runId,
        ...(run.pid !== undefined && { pid: run.pid, pgid: run.pgid }),
        ...(run.exitCode !== undefined && { exitCode: run.exitCode }),
        ...(run.signal !== undefined && { signal: run.signal }),
        ...(run.reason !== undefined && { reason: run.reason }),
        ...(run.endedBy !== undefined && { endedBy: run.endedBy }),
        ...(run.endRequest !== undefined && { endRequest: run.endRequest }),
        ...(run.startedAt !== undefined && { startedAt: run.startedAt }),
        ...(run.endedAt !== undefined && { endedAt: run.endedAt }),
        ...(run.timeoutAt !== undefined && { timeoutAt: run.timeoutAt }),
        ...(run.tracking !== undefined && { tracking: run.tracking }),
        ...(run.stillAlive !== undefined && { stillAlive: run.stillAlive }),
        ...(run.slurm !== undefined && { slurm: run.slurm }),
        ...(run.isActive() && run.cores && { cores: run.cores }),
        ...(run.isActive() && run.niceInForce !== undefined && { niceInForce: run.niceInForce }),
        ...(run.lastStderrLine !== undefined && { lastStderrLine: run.lastStderrLine }),
      });
    }
    if (this.phase.kind === 'ended' && this.phase.verdict) snapshot.reason = this.phase.verdict.reason;
    const wait = this.wait();
    if (wait) snapshot.wait = wait;
    return this.withService(snapshot);
  }

  /** Why it has not started yet: the queue's reason, the restart's backoff, or the cluster's pending reason. */
  private wait(): JobWait | undefined {
    switch (this.phase.kind) {
      case 'queued':
        return this.phase.wait;
      case 'backing-off':
        return this.restarts.nextAt !== undefined ? { kind: 'backoff', at: this.restarts.nextAt } : undefined;
      case 'running':
        return this.run?.state === 'queued' && this.run.reason !== undefined ? { kind: 'cluster', reason: this.run.reason } : undefined;
      default:
        return undefined;
    }
  }

  private withService(snapshot: JobSnapshot): JobSnapshot {
    if (!this.service) return snapshot;
    const health = this.service.health();
    const nextRunAt = this.service.nextRunAt();
    const declared = this.service.declared();
    return { ...snapshot, spec: this.spec, declared, ...(health && { health }), ...(nextRunAt !== undefined && { nextRunAt }) };
  }
}
