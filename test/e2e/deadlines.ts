import { settingsSchema } from '../../shared/settings';
import { DEFAULT_WAIT_MS } from '../support/wait';

/**
 * Deadlines of the end-to-end waits: what the scenario itself must take (a grace period,
 * sampling ticks, a backoff delay) plus the safety margin every test wait has. They are
 * safety nets for a broken build, never synchronisation points: on a loaded machine a wait
 * simply takes longer.
 */
export const within = (scenarioMs: number) => ({ timeout: scenarioMs + DEFAULT_WAIT_MS });

/** The engine's default sampling interval: charts, the process list and alerts move once per tick. */
export const SAMPLE_MS = settingsSchema.parse({}).sampleIntervalMs;

/** How long Stop waits after SIGTERM before SIGKILL, by default (jobSpec graceMs). */
export const GRACE_MS = 5000;
