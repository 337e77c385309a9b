import { z } from 'zod';

/**
 * Who or what ended a run, when the run did not end on its own: an operator's stop or kill, an
 * alert rule, the engine shutting down (it stops every job), the engine dying (the next engine
 * found the run ended with it), a timeout, a limit of its isolation, its liveness probe (health),
 * or a dependency that turned unhealthy (a declared dependant with `onUnhealthy: stop`).
 * (Issue 12's run records carry the same value: a module of its own, so the snapshot and the
 * run record both import it without importing each other.)
 */
export const runEndedBySchema = z.enum(['operator', 'alert', 'engine-shutdown', 'engine-died', 'timeout', 'limit', 'health', 'dependency']);
export type RunEndedBy = z.infer<typeof runEndedBySchema>;

/**
 * How the engine was asked to end a run: `stop` (SIGTERM, then SIGKILL after the grace period;
 * the operator's Stop, an alert that stops, Procdeck shutting down) or `kill` (SIGKILL at once).
 * What `endedBy` cannot tell apart: the operator's Stop and Kill are both `operator`.
 */
export const endRequestSchema = z.enum(['stop', 'kill']);
export type EndRequest = z.infer<typeof endRequestSchema>;
