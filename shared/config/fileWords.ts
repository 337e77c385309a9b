import { z } from 'zod';

/**
 * The words of a config file that modules outside config/ need (a dependency's conditions, a
 * job's name): in their own module, so that importing them does not build the file's own
 * schemas (fileSchema.ts re-exports them). Issue 15: through shared/jobWait.ts and
 * shared/configCommands.ts every server built all of them at start, for a file it may never read.
 */

/** Letters, digits, "_", "." and "-", starting with a letter or digit: usable on the command line as is. */
export const JOB_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
export const jobNameSchema = z
  .string()
  .regex(JOB_NAME_PATTERN, 'a job name uses letters, digits, "_", "." and "-", starts with a letter or digit, and has at most 100 characters');

export const DEPENDENCY_CONDITIONS = ['started', 'healthy', 'succeeded'] as const;
export type DependencyCondition = (typeof DEPENDENCY_CONDITIONS)[number];

/** What a dependant with condition healthy does when its dependency turns unhealthy: tell (a log line and a notice) or stop until it is healthy again. */
export const ON_UNHEALTHY_ACTIONS = ['tell', 'stop'] as const;
export type OnUnhealthy = (typeof ON_UNHEALTHY_ACTIONS)[number];
