import { z } from 'zod';
import { lazySchema } from './lazySchema';
import { endRequestSchema, runEndedBySchema } from './runEnd';
import { isolationReportSchema } from './isolation';
import { jobSpecSchema } from './jobSpec';
import { jobStateSchema } from './jobState';
import { jobWaitSchema } from './jobWait';
import { restartInfoSchema } from './scheduling';

/**
 * How a run's processes are tracked wherever they go (a new session, a new process group, a
 * double fork): the kernel's per-run cgroup where Procdeck can make one, else the run marker
 * every process inherits in its environment, found by scanning /proc.
 */
export const runTrackingSchema = lazySchema(() => z.object({
  mechanism: z.enum(['cgroup-v2', 'cgroup-v1', 'marker']),
  /** The run's cgroup directory, or its marker (PDK_RUN_ID=…). */
  where: z.string(),
  /**
   * How the final kill reaches every process: at once (cgroup.kill), frozen first so none can
   * fork meanwhile (freeze), or killed and listed again until none is left (loop: v1 without
   * the freezer, and the marker).
   */
  kill: z.enum(['cgroup.kill', 'freeze', 'loop']),
  /** Why there is no cgroup (marker only). */
  problem: z.string().optional(),
}));
export type RunTracking = z.infer<typeof runTrackingSchema>;

/** What a stopping run is still waiting for: its tracked processes that are alive (the first few). */
export const stillAliveSchema = lazySchema(() => z.object({
  count: z.number().int(),
  processes: z.array(z.object({ pid: z.number().int(), command: z.string() })),
}));
export type StillAlive = z.infer<typeof stillAliveSchema>;

/** The longest last-stderr-line a snapshot carries (the rest of a longer line is cut, with an ellipsis). */
export const MAX_STDERR_LINE = 300;
export const HEALTH_STATES = ['starting', 'healthy', 'unhealthy'] as const;
export const healthStateSchema = lazySchema(() => z.enum(HEALTH_STATES));
export type HealthState = z.infer<typeof healthStateSchema>;

/** One check of a probe: "returned 200", "connection refused". */
export const probeResultSchema = lazySchema(() => z.object({ at: z.number(), ok: z.boolean(), durationMs: z.number(), message: z.string() }));
export type ProbeResult = z.infer<typeof probeResultSchema>;

/** What one probe (readiness or liveness) says of the live run. */
export const probeHealthSchema = lazySchema(() => z.object({
  role: z.enum(['readiness', 'liveness']),
  /** "GET http://127.0.0.1:8080/", "tcp 127.0.0.1:5432". */
  target: z.string(),
  state: healthStateSchema,
  /** Epoch ms of its last transition (or the run's start). */
  since: z.number(),
  /** "liveness: GET http://127.0.0.1:8080/ returned 503 three times". */
  reason: z.string().optional(),
  /** The last results, oldest first. */
  results: z.array(probeResultSchema),
  /** Its current run of results: successes or failures in a row (one of them is 0). */
  streak: z.object({ successes: z.number().int(), failures: z.number().int() }),
  /** How it probes: its timing (ms) and the thresholds that move its state. */
  timing: z.object({
    initialDelayMs: z.number(),
    intervalMs: z.number(),
    timeoutMs: z.number(),
    successThreshold: z.number().int(),
    failureThreshold: z.number().int(),
  }),
}));
export type ProbeHealth = z.infer<typeof probeHealthSchema>;

/**
 * A declared service's health while it runs: starting until its readiness probe passed, then
 * healthy, or unhealthy when a probe failed its threshold (a liveness failure restarts the run).
 */
export const jobHealthSchema = lazySchema(() => z.object({
  state: healthStateSchema,
  readiness: probeHealthSchema.optional(),
  liveness: probeHealthSchema.optional(),
}));
export type JobHealth = z.infer<typeof jobHealthSchema>;

/** The config file a job was declared in, its name there, and whether it starts with Procdeck. */
export const declaredRefSchema = lazySchema(() => z.object({ file: z.string(), name: z.string(), /** It starts when Procdeck starts. */ autostart: z.boolean().optional() }));
export type DeclaredRef = z.infer<typeof declaredRefSchema>;
/** A run on the Slurm cluster as Slurm reports it (its own words kept beside Procdeck's state). */
export const slurmRunInfoSchema = lazySchema(() => z.object({
  /** Slurm's job id ("123", or "123_4" for an array task): what squeue/scancel name it by. */
  jobId: z.string(),
  /** Slurm's state: PENDING, RUNNING, SUSPENDED, COMPLETED, CANCELLED, TIMEOUT, OUT_OF_MEMORY… */
  state: z.string(),
  /** Slurm's reason (Resources, Priority, Dependency, JobHeldUser…), when it gives one. */
  reason: z.string().optional(),
  partition: z.string().optional(),
  /** The nodes allocated, in Slurm's host list syntax. */
  nodes: z.string().optional(),
  /** CPUs allocated (the exact CPU ids are in the snapshot's `cores`). */
  cpus: z.number().int().optional(),
  /** The limits the cluster enforces, in its units. */
  timeLimitMinutes: z.number().int().optional(),
  memoryMiB: z.number().int().optional(),
  /** The controller did not answer at the last poll: the state shown is the last one known. */
  stale: z.boolean().optional(),
}));
export type SlurmRunInfo = z.infer<typeof slurmRunInfoSchema>;

/** Everything the UI shows about one job: its spec and the state of its latest run. */
export const jobSnapshotSchema = lazySchema(() => z.object({
  id: z.string(),
  name: z.string(),
  spec: jobSpecSchema,
  state: jobStateSchema,
  /** Runs so far, counting the current one. */
  runCount: z.number().int(),
  runId: z.string().optional(),
  pid: z.number().int().optional(),
  pgid: z.number().int().optional(),
  exitCode: z.number().int().optional(),
  signal: z.string().optional(),
  /**
   * Why the run failed to start or was ended (timeout, stopped by operator, …); for a Slurm job
   * still pending, Slurm's words. Why a job waits to start is `wait`.
   */
  reason: z.string().optional(),
  /** While it waits to start (queued, a restart pending, pending on the cluster): why, from the scheduler's own state. */
  wait: jobWaitSchema.optional(),
  /** Who or what ended the run (absent: it ended on its own); `reason` says it in words. */
  endedBy: runEndedBySchema.optional(),
  /**
   * The run was ended on request, Stop or Kill. Its state stays what the process did (`killed` by
   * the signal, or `exited` with the code it chose). Absent when it ended on its own, by a timeout or a limit.
   */
  endRequest: endRequestSchema.optional(),
  queuedAt: z.number(),
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
  /** When the timeout in force will stop the run (epoch ms), while it is armed. */
  timeoutAt: z.number().optional(),
  outputBytes: z.number(),
  stdinOpen: z.boolean(),
  restarts: restartInfoSchema.default({ automatic: 0, manual: 0 }),
  /** Cores the job's processes may run on, read back from /proc (Cpus_allowed_list of its root). */
  cores: z.array(z.number().int()).optional(),
  /** Nice value in force, read back from /proc. */
  niceInForce: z.number().int().optional(),
  batchId: z.string().optional(),
  /** The limits in force for the latest run and what backs each one. */
  isolation: isolationReportSchema.optional(),
  /** How the latest run's processes are tracked. */
  tracking: runTrackingSchema.optional(),
  /** While the run is stopping: its processes still alive. */
  stillAlive: stillAliveSchema.optional(),
  /**
   * Once the run has ended: the last line it wrote to stderr (escape sequences and control
   * characters taken out, at most MAX_STDERR_LINE characters), so a failed run says why in its
   * row without its log being opened.
   */
  lastStderrLine: z.string().optional(),
  /** A job from a config file: which file, under which name. */
  declared: declaredRefSchema.optional(),
  /** A declared service with probes, while its run is live. */
  health: jobHealthSchema.optional(),
  /** A scheduled job: when its schedule next starts it (epoch ms). */
  nextRunAt: z.number().optional(),
  /** Where the latest run is on the Slurm cluster (jobs placed there only). */
  slurm: slurmRunInfoSchema.optional(),
}));
export type JobSnapshot = z.infer<typeof jobSnapshotSchema>;

export const logStreamSchema = lazySchema(() => z.enum(['stdout', 'stderr', 'system']));
export type LogStream = z.infer<typeof logStreamSchema>;


/** The words of the system line that says output was skipped for the live view (the engine writes it; the log pane reads it to know it does not hold everything). */
export const NOT_SHOWN_LIVE = 'of output not shown live';
export const logChunkSchema = lazySchema(() => z.object({
  stream: logStreamSchema,
  /** System chunks are Procdeck's own sentences, without a "[procdeck]" mark: clients mark them. */
  text: z.string(),
  /** When its first byte reached Procdeck (epoch ms): per read of the pipe, so per line only as fine as the reads. */
  at: z.number().optional(),
}));
export type LogChunk = z.infer<typeof logChunkSchema>;

export const logBatchSchema = lazySchema(() => z.object({
  jobId: z.string(),
  runId: z.string(),
  chunks: z.array(logChunkSchema),
}));
export type LogBatch = z.infer<typeof logBatchSchema>;

export const jobSampleSchema = lazySchema(() => z.object({
  jobId: z.string(),
  /** Percent of one core, summed over the job's process tree (200 = two busy cores). */
  cpu: z.number(),
  /** Resident memory in bytes, summed over the tree. */
  rss: z.number(),
  processes: z.number().int(),
}));
export type JobSample = z.infer<typeof jobSampleSchema>;

/**
 * One sampling tick's job samples, as a change: a client merges it into what it holds. Only the
 * samples that differ from the ones sent before go out (a settled job's rarely do), so a tick of
 * 100 idle jobs is a few bytes instead of every job's figures. A job neither in `samples` nor in
 * `gone` keeps the sample it had, and was sampled again at `at` with the same figures.
 */
export const sampleTickSchema = lazySchema(() => z.object({
  at: z.number(),
  /** The samples that changed since the previous tick; every live job's when `full`. */
  samples: z.array(jobSampleSchema),
  /** Jobs that had a sample and have no live process tree any more. */
  gone: z.array(z.string()).optional(),
  /**
   * `samples` is every live job's: a job not in it has no sample. The first tick a client gets
   * is full, and so is the next one after any it was not sent (a slow connection, a reload).
   */
  full: z.literal(true).optional(),
}));
export type SampleTick = z.infer<typeof sampleTickSchema>;

/** What crash recovery killed of one run a dead engine left running. */
export const recoveredGroupSchema = lazySchema(() => z.object({
  jobId: z.string(),
  runId: z.string().optional(),
  /** The run's process group, as the running registry recorded it (absent: the registry had lost the run). */
  pgid: z.number().int().optional(),
  killedPids: z.array(z.number().int()),
  command: z.string(),
}));
export type RecoveredGroup = z.infer<typeof recoveredGroupSchema>;
