import { z } from 'zod';

export const jobStateSchema = z.enum([
  'queued',
  'starting',
  'running',
  'paused',
  'stopping',
  'exited',
  'killed',
  'timed-out',
  'failed-to-start',
  /** A dependency failed, so this job never ran. */
  'skipped',
  /** Restarted too often within the policy's window; no more automatic restarts. */
  'crash-looping',
]);
export type JobState = z.infer<typeof jobStateSchema>;

export const ACTIVE_STATES: readonly JobState[] = ['starting', 'running', 'paused', 'stopping'];
export const FINAL_STATES: readonly JobState[] = ['exited', 'killed', 'timed-out', 'failed-to-start', 'skipped', 'crash-looping'];

export const isActive = (s: JobState) => ACTIVE_STATES.includes(s);
export const isFinal = (s: JobState) => FINAL_STATES.includes(s);
