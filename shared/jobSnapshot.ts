import { z } from 'zod';
import { isolationReportSchema } from './isolation';
import { jobSpecSchema } from './jobSpec';
import { jobStateSchema } from './jobState';
import { restartInfoSchema } from './scheduling';

/** Everything the UI shows about one job: its spec and the state of its latest run. */
export const jobSnapshotSchema = z.object({
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
  /** Why the run failed to start or was ended (timeout, stopped by operator, …). */
  reason: z.string().optional(),
  queuedAt: z.number(),
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
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
});
export type JobSnapshot = z.infer<typeof jobSnapshotSchema>;

export const logStreamSchema = z.enum(['stdout', 'stderr', 'system']);
export type LogStream = z.infer<typeof logStreamSchema>;

export const logChunkSchema = z.object({
  stream: logStreamSchema,
  text: z.string(),
});
export type LogChunk = z.infer<typeof logChunkSchema>;

export const logBatchSchema = z.object({
  jobId: z.string(),
  runId: z.string(),
  chunks: z.array(logChunkSchema),
});
export type LogBatch = z.infer<typeof logBatchSchema>;

export const jobSampleSchema = z.object({
  jobId: z.string(),
  /** Percent of one core, summed over the job's process tree (200 = two busy cores). */
  cpu: z.number(),
  /** Resident memory in bytes, summed over the tree. */
  rss: z.number(),
  processes: z.number().int(),
});
export type JobSample = z.infer<typeof jobSampleSchema>;

export const sampleTickSchema = z.object({
  at: z.number(),
  samples: z.array(jobSampleSchema),
});
export type SampleTick = z.infer<typeof sampleTickSchema>;

export const recoveredGroupSchema = z.object({
  jobId: z.string(),
  pgid: z.number().int(),
  killedPids: z.array(z.number().int()),
  command: z.string(),
});
export type RecoveredGroup = z.infer<typeof recoveredGroupSchema>;
