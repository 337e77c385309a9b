import { z } from 'zod';
import { lazySchema } from './lazySchema';
import { isolationReportSchema } from './isolation';
import { runTrackingSchema, stillAliveSchema } from './jobSnapshot';
import { jobStateSchema } from './jobState';

import { endRequestSchema, runEndedBySchema } from './runEnd';

// Who or what ended a run: one value for the snapshot and the run record (shared/runEnd.ts).
export { runEndedBySchema, type RunEndedBy } from './runEnd';

/** Peaks and totals of a run's samples (absent until it has been sampled); its output is counted apart (outputBytes). */
export const runRecordMetricsSchema = lazySchema(() => z.object({
  /** Percent of one core. */
  peakCpu: z.number(),
  peakRss: z.number(),
  cpuSeconds: z.number(),
  samples: z.number().int(),
}));
export type RunRecordMetrics = z.infer<typeof runRecordMetricsSchema>;

/** A run's log files were deleted (the record stays): when, why ("to keep logs under the 1 GiB budget"), how much. */
export const runLogRemovalSchema = lazySchema(() => z.object({ at: z.number(), reason: z.string(), bytes: z.number() }));
export type RunLogRemoval = z.infer<typeof runLogRemovalSchema>;

/**
 * One execution of a job definition, from its launch to its end: what the list shows of a
 * job's latest run, and each entry of its run history (jobs.runs). Figures that only mean
 * something while the run is live (cores and nice in force, the timeout's deadline, what is
 * still alive while it stops) are kept only while it is.
 */
export const runRecordSchema = lazySchema(() => z.object({
  runId: z.string(),
  jobId: z.string(),
  /** 1 for the job's first run. */
  number: z.number().int().min(1),
  /** starting, running, paused, stopping while live; exited, killed, timed-out or failed-to-start once ended. */
  state: jobStateSchema,
  /** When the job was queued for this run (epoch ms). */
  queuedAt: z.number().optional(),
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
  /** The main process and its process group (local runs). */
  pid: z.number().int().optional(),
  pgid: z.number().int().optional(),
  exitCode: z.number().int().optional(),
  signal: z.string().optional(),
  /** Why it failed to start or was ended (a timeout, a limit, the operator…). */
  reason: z.string().optional(),
  endedBy: runEndedBySchema.optional(),
  /** Stop or Kill, for a run ended on request. */
  endRequest: endRequestSchema.optional(),
  outputBytes: z.number(),
  metrics: runRecordMetricsSchema.optional(),
  /** Where its output is: every byte, also what the live view skipped; `removed` once its files were deleted. */
  log: z.object({ path: z.string(), removed: runLogRemovalSchema.optional() }),
  tracking: runTrackingSchema.optional(),
  /** The limits in force and what backs each one. */
  isolation: isolationReportSchema.optional(),
  timeoutAt: z.number().optional(),
  cores: z.array(z.number().int()).optional(),
  niceInForce: z.number().int().optional(),
  stillAlive: stillAliveSchema.optional(),
  /** Once ended: its last line on stderr, as the job's snapshot says it (lastStderrLine). */
  lastStderrLine: z.string().optional(),
}));
export type RunRecord = z.infer<typeof runRecordSchema>;
