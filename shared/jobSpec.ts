import { z } from 'zod';
import { lazySchema } from './lazySchema';
import { isolationSpecSchema, runAsSchema } from './isolation';
import { alertRuleSchema } from './monitoring';
import { affinitySchema, groupNameSchema, niceSchema, restartPolicySchema, DEFAULT_RESTART_POLICY } from './scheduling';
import { MAX_TIMEOUT_MS } from './limits';
import { LOCAL_PLACEMENT, placementSchema, type Placement } from './where';

// Strings that reach execve() or the environment: a NUL byte would silently truncate them.
const noNul = (what: string) =>
  z.string().refine((s) => !s.includes('\0'), { message: `${what} must not contain a NUL byte` });

export const argvCommandSchema = lazySchema(() => z.object({
  kind: z.literal('argv'),
  program: noNul('program').pipe(z.string().trim().min(1, 'program must not be empty')),
  args: z.array(noNul('argument')).max(10_000).default([]),
}));

export const shellCommandSchema = lazySchema(() => z.object({
  kind: z.literal('shell'),
  script: noNul('shell command').pipe(z.string().trim().min(1, 'shell command must not be empty')),
}));

export const commandSchema = lazySchema(() => z.discriminatedUnion('kind', [argvCommandSchema, shellCommandSchema]));

export const envNameSchema = lazySchema(() => z
  .string()
  .min(1, 'environment variable name must not be empty')
  .refine((s) => !s.includes('='), { message: "environment variable name must not contain '='" })
  .refine((s) => !s.includes('\0'), { message: 'environment variable name must not contain a NUL byte' }));

export const DEFAULT_CLEAN_ENV_ALLOWLIST = ['PATH', 'HOME', 'LANG', 'USER', 'TERM'];

export const envSpecSchema = lazySchema(() => z.object({
  mode: z.enum(['inherit', 'clean']).default('inherit'),
  /** Names kept from the engine's environment when mode is "clean". */
  allow: z.array(envNameSchema).default(DEFAULT_CLEAN_ENV_ALLOWLIST),
  /** Overrides, applied last. */
  set: z.record(envNameSchema, noNul('environment value')).default({}),
}));

// In its own module: shared/where.ts needs it too, and jobSpec imports where.ts.
export { MAX_TIMEOUT_MS };

/** How long Stop waits after SIGTERM before SIGKILL, where the spec gives no grace period. */
export const DEFAULT_GRACE_MS = 5000;

/** Where a spec runs (shared/where.ts: this machine, or the Slurm cluster with the resources it asks for): its `where`, else this machine. */
export const placementOf = (spec: { where?: Placement }): Placement => spec.where ?? LOCAL_PLACEMENT;

export const jobSpecSchema = lazySchema(() => z.object({
  name: z.string().trim().max(200, 'name is longer than 200 characters').optional(),
  command: commandSchema,
  cwd: noNul('working directory').optional(),
  env: envSpecSchema.default({ mode: 'inherit', allow: DEFAULT_CLEAN_ENV_ALLOWLIST, set: {} }),
  stdin: z.enum(['pipe', 'closed']).default('pipe'),
  /**
   * stderr goes into the stdout pipe (as `2>&1`): the log keeps the exact order the job wrote
   * its lines in, and every line is marked stdout. Two pipes cannot keep an order between them.
   */
  mergeStderr: z.boolean().default(false),
  /** Wall-clock limit; the job is stopped (TERM, then KILL after graceMs) and ends as timed out. */
  timeoutMs: z
    .number()
    .int('timeout must be a whole number of milliseconds')
    .positive('timeout must be positive')
    .max(MAX_TIMEOUT_MS, 'timeout is longer than 30 days')
    .optional(),
  /** How long Stop waits after SIGTERM before SIGKILL. */
  graceMs: z
    .number()
    .int('grace period must be a whole number of milliseconds')
    .min(0, 'grace period must not be negative')
    .max(600_000, 'grace period is longer than 10 minutes')
    .default(DEFAULT_GRACE_MS),
  /** Pool group; each group may have its own concurrency limit. */
  group: groupNameSchema.default('default'),
  /** Higher starts first among queued jobs; equal priorities start first-in first-out. */
  priority: z.number().int().min(-1000).max(1000).default(0),
  /** Ids of jobs that must exit 0 before this one may start. */
  dependsOn: z.array(z.string().min(1)).max(1000).default([]),
  restart: restartPolicySchema.default(DEFAULT_RESTART_POLICY),
  affinity: affinitySchema.default({ mode: 'none' }),
  nice: niceSchema.optional(),
  /** Limits and sandbox; absent: the level in settings.defaultIsolation, no overrides. */
  isolation: isolationSpecSchema.optional(),
  /** Run as another user/group (the engine must run as root). */
  runAs: runAsSchema.optional(),
  /** Alert rules (CPU, memory, runtime, leak) and what each does when it fires. */
  alerts: z.array(alertRuleSchema).max(50).default([]),
  /**
   * Where it runs (its backend); absent means this machine (placementOf). Not a schema
   * default: specs that do not say stay as they were, on the wire, on disk and in exports.
   */
  where: placementSchema.optional(),
}));

/** What a caller sends (defaults may be omitted). */
export type JobSpecInput = z.input<typeof jobSpecSchema>;
/** What the engine stores (defaults filled in). */
export type JobSpec = z.output<typeof jobSpecSchema>;

/**
 * Something that will probably make a job fail as soon as it starts (a shell command's first
 * program not in its PATH), which the operator may still override: jobs.check's answer.
 */
export const specWarningSchema = lazySchema(() => z.object({ field: z.string(), message: z.string() }));
export type SpecWarning = z.infer<typeof specWarningSchema>;
export type JobCommand = z.output<typeof commandSchema>;

export function describeCommand(command: JobCommand): string {
  return command.kind === 'shell' ? command.script : [command.program, ...command.args].join(' ');
}
