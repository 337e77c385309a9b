import type { JobSnapshot } from '../../../shared/jobSnapshot';
import { isFinal } from '../../../shared/jobState';

/**
 * Which jobs have series, so that their number stays bounded however many jobs pass through:
 * every job that is queued or running, and a finished one for this long after it ended (long
 * enough for a scrape every minute or so to see how it ended), …
 */
export const FINISHED_JOB_RETENTION_MS = 10 * 60 * 1000;
/** … and never more jobs than this (about 10 series each): beyond it, the most recently active are kept. */
export const MAX_EXPORTED_JOBS = 500;

export interface ExportLimits {
  retentionMs: number;
  maxJobs: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = { retentionMs: FINISHED_JOB_RETENTION_MS, maxJobs: MAX_EXPORTED_JOBS };

/** When a finished job ended; one that never ran (skipped) ended when it was queued, as far as anyone can tell. */
const endedAt = (job: JobSnapshot) => job.endedAt ?? job.queuedAt;

export interface JobSelection {
  exported: JobSnapshot[];
  /** Jobs within the retention rule left out by the cap (reported as a metric of its own). */
  overCap: number;
}

export function selectExportedJobs(jobs: readonly JobSnapshot[], now: number, limits: ExportLimits = DEFAULT_EXPORT_LIMITS): JobSelection {
  const live = jobs.filter((job) => !isFinal(job.state));
  const recent = jobs.filter((job) => isFinal(job.state) && endedAt(job) >= now - limits.retentionMs).sort((a, b) => endedAt(b) - endedAt(a));
  const newestFirst = [...live].sort((a, b) => (b.startedAt ?? b.queuedAt) - (a.startedAt ?? a.queuedAt));
  const candidates = [...newestFirst, ...recent];
  return { exported: candidates.slice(0, limits.maxJobs), overCap: Math.max(0, candidates.length - limits.maxJobs) };
}
