import type { BackendDescriptionInfo } from '../../../shared/backends';
import type { IsolationReport } from '../../../shared/isolation';
import type { JobSpec, SpecWarning } from '../../../shared/jobSpec';
import type { Placement } from '../../../shared/where';
import type { LogChunk, RecoveredGroup, RunTracking, SlurmRunInfo, StillAlive } from '../../../shared/jobSnapshot';
import type { JobState } from '../../../shared/jobState';
import type { EndRequest, RunEndedBy } from '../../../shared/runEnd';
import type { SignalName } from '../../../shared/signals';

/** Where a run happens: the kind of the spec's `where` (this machine; issue 17 adds a Slurm cluster). */
export type BackendKind = Placement['kind'];

/**
 * Why the engine ended a run, when it did: the operator, an alert rule, its own shutdown, the
 * run's timeout, or a failed liveness probe (health). An operator's stop (or an alert acting
 * for one) is never restarted automatically; a health stop is, under the job's restart policy.
 */
export type EndCause = Extract<RunEndedBy, 'operator' | 'alert' | 'engine-shutdown' | 'timeout' | 'health' | 'dependency'>;

/**
 * A stop on purpose (not a timeout or a failed probe): a restart policy never restarts such a run, and no limit is blamed for its end.
 * A dependency's stop is one: the scheduler queues the dependant again behind its dependency, not its restart policy.
 */
export const isDeliberateStop = (cause: EndCause | undefined): boolean => cause === 'operator' || cause === 'alert' || cause === 'engine-shutdown' || cause === 'dependency';

/** One start of a job, as the scheduler hands it to a backend. */
export interface LaunchRequest {
  jobId: string;
  /** The job's name, for the backend's own records and messages. */
  jobName: string;
  /** Chosen by the engine: names the run's log, record and (local) cgroup and marker. */
  runId: string;
  spec: JobSpec;
  /** The batch the job is an item of: a cluster submits a batch's items together (a job array). */
  batchId?: string;
}

/** What a run tells the engine, from its launch to its end. */
export interface RunEvents {
  /** Its state or figures changed (started, paused, stopping, what is still alive, cores read back). */
  changed(): void;
  /** Output (or a note) waits to be passed on live: the engine drains `log` at its next event tick. */
  outputWaiting(): void;
  /** Something the operator should hear of (the run's log file stopped): an engine notice. */
  notice(message: string): void;
  /** The run reached its final state and its capture is closed. Called once, after the last `changed`. */
  ended(): void;
}

/** A run's captured output, as the engine reads it: the live tail, the per-tick drain, and notes in the log. */
export interface RunOutput {
  /** Bytes of output so far (all of it, also what the live view skipped). */
  readonly totalBytes: number;
  /** The file that holds all of it. */
  readonly filePath: string;
  /** The bounded tail kept in memory (logs.tail). */
  snapshot(): { chunks: LogChunk[]; truncated: boolean };
  /** What arrived since the last drain (logs.appended); `final` once the run has ended. */
  drain(final: boolean): LogChunk[];
  /** A line from Procdeck itself (the `system` stream): why the run was stopped, a limit that ended it. */
  note(text: string): void;
}

/**
 * One run as the engine sees it, wherever it happens. The figures are the run's latest known
 * (a remote backend's lag behind its polling); the controls throw an EngineError (BAD_STATE)
 * on a run that has ended. Optional members are what a backend may not support.
 */
export interface RunHandle {
  readonly runId: string;
  /** starting, running, paused, stopping while live; exited, killed, timed-out or failed-to-start once ended. */
  readonly state: JobState;
  /** The main process (and its process group), where there is one on this machine. */
  readonly pid?: number;
  readonly pgid?: number;
  readonly exitCode?: number;
  readonly signal?: string;
  /** Why it failed to start or was ended (a limit, a timeout, the operator…). */
  readonly reason?: string;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** When the timeout in force ends it (epoch ms), while armed. */
  readonly timeoutAt?: number;
  readonly endCause?: EndCause;
  /** Who or what ended it (its cause, or the limit that ended it), once ended; undefined when it ended on its own. */
  readonly endedBy?: RunEndedBy;
  /** Stop or Kill, once a run ended on request has ended. */
  readonly endRequest?: EndRequest;
  /** How its processes are tracked wherever they go. */
  readonly tracking?: RunTracking;
  /** While stopping: its processes still alive. */
  readonly stillAlive?: StillAlive;
  /** The cores it may run on and its nice value, as read back. */
  readonly cores?: readonly number[];
  readonly niceInForce?: number;
  /** The limits in force and what backs each one. */
  readonly isolation?: IsolationReport;
  readonly stdinOpen: boolean;
  /** Once ended: the last line it wrote to stderr, as a terminal shows it (see shared/jobSnapshot lastStderrLine). */
  readonly lastStderrLine?: string;
  /** A run on a Slurm cluster: its Slurm id, state and reason, partition, nodes. */
  readonly slurm?: SlurmRunInfo;
  readonly log: RunOutput;
  /** True while live (starting, running, paused, stopping). */
  isActive(): boolean;
  /** TERM to every process of the run, KILL after the spec's grace period; `cause` (the operator by default) and `reason` are recorded. */
  stop(cause?: EndCause, reason?: string): void;
  /** KILL to every process at once; the run ends within a second. */
  kill(): void;
  sendSignal(signal: SignalName): void;
  pause(): void;
  resume(): void;
  writeStdin(data: string): void;
  closeStdin(): void;
  /** Pins every process of the run live (then reads the cores back). */
  setAffinity?(cores: readonly number[]): Promise<void>;
  renice?(nice: number): Promise<void>;
  /** Stops it if live (for `cause`); resolves once it has ended and what tracked it is released. */
  stopAndWait(cause: EndCause): Promise<void>;
}

/** A run's resource use at one tick, as its backend measured it. */
export interface RunUsage {
  /** Percent of one core over the interval, summed over the run's processes (200 = two busy cores). */
  cpu: number;
  /** Resident memory in bytes, summed over its processes. */
  rss: number;
  processes: number;
  /** Its processes on this machine, main process first (a local run's process tree). */
  pids?: readonly number[];
  /** Wall time `cpu` was measured over; absent where the backend cannot tell (the monitor then uses the time since the run's last sample). */
  intervalSeconds?: number;
  /** CPU seconds its processes have used in their lives: what a run's first sample counts. */
  lifetimeCpuSeconds?: number;
}

/** One live run's usage at a tick, with the run it belongs to (a new run id starts a new history). */
export interface RunSample {
  runId: string;
  /** Epoch ms. */
  startedAt: number;
  /** What the subject is called (the job's name, a watched process's pid and command): its alerts say it. */
  name?: string;
  usage: RunUsage;
}

/** Crash recovery at open, in two steps: the saved jobs are read in between. */
export interface PendingRecovery {
  /** Jobs that had a run live when the previous engine died, by this backend's own record (their saved state may say queued). */
  readonly liveJobIds: ReadonlySet<string>;
  /** Ends what the previous engine left running (a remote backend may instead pick it up again, later) and says what it did. */
  complete(saved: readonly SavedRunOwner[]): BackendRecovery;
}

/** A saved job and its latest run, so that recovery can name whose run it ended. */
export interface SavedRunOwner {
  jobId: string;
  name: string;
  runId?: string;
}

export interface BackendRecovery {
  recovered: RecoveredGroup[];
  /** Runs the previous engine started that live on without it (a cluster's jobs): the engine attaches each to its job again. */
  adopted?: AdoptableRun[];
  /** The backend's own record was damaged (and set aside); recovery relied on its other nets. */
  problem?: string;
}

/** A run found again at open: `resume` makes its handle, reporting to the job it belongs to. */
export interface AdoptableRun {
  jobId: string;
  runId: string;
  resume(events: RunEvents): RunHandle;
  /** Its job is gone from the saved jobs: end the run where it is (nothing may run untracked). */
  abandon(): void;
}

/** Whether a backend can run jobs here now, and why not (the contract's backends.describe). */
export type BackendDescription = BackendDescriptionInfo & { kind: BackendKind };

/**
 * Everything that runs a process somewhere: the scheduler and the monitor use it without
 * knowing where the run happens. The local backend (backends/local/) runs jobs on this
 * machine; a Slurm backend (backends/slurm/, issue 17) implements the same interface.
 */
export interface Backend {
  readonly kind: BackendKind;
  /**
   * The backend has a queue of its own (a cluster's scheduler): a run holds no slot of this
   * machine's global pool (an unlimited group's batch of 100 is handed to it at once), only
   * one of its group, from its launch until it ends (submitted, pending there, running).
   */
  readonly queuesItself?: boolean;
  describe(): BackendDescription;
  /** Checks what can be checked before queueing (command, working directory, policy, limits); throws an EngineError naming the field. */
  preflight(spec: JobSpec): void;
  /**
   * What would probably make the run fail at once but may still work, so is the operator's
   * call (a shell command's first word not found: the shell may define it). Read-only.
   */
  warnings(spec: JobSpec): SpecWarning[];
  /**
   * Starts one run and returns its handle at once (a remote backend's submission may still be
   * on its way: the handle says `starting`). Throws an EngineError only if nothing was
   * started; from then on the run reports its end through `events.ended`.
   */
  launch(request: LaunchRequest, events: RunEvents): RunHandle;
  /**
   * The usage of its live runs now, by job id (a run with nothing measurable is left out).
   * Called once per sampling tick; a backend that measures less often (a cluster's
   * accounting) answers its latest figures, or leaves the run out until it has some.
   */
  sampleUsage(): Promise<ReadonlyMap<string, RunSample>>;
  /** Whether it has a live run, measured or not yet: the sampling loop keeps ticking for it (a cluster's figures arrive between ticks). */
  hasLiveRuns(): boolean;
  /** Opens crash recovery for this data directory (see PendingRecovery). */
  recover(): PendingRecovery;
  /** Stops every live run and resolves once all have ended and are released (engine shutdown). */
  shutdown(): Promise<void>;
}
