import { z } from 'zod';
import { lazySchema } from './lazySchema';

/**
 * Per-job isolation: a level (a preset of limits), per-job overrides of any preset value,
 * the operator's command policy, and the user a job runs as. Model schemas only; the
 * engine's electron/engine/isolation/ applies them.
 */

export const ISOLATION_LEVELS = ['none', 'basic', 'enhanced', 'maximum'] as const;
export const isolationLevelSchema = lazySchema(() => z.enum(ISOLATION_LEVELS, {
  error: () => `isolation level must be one of ${ISOLATION_LEVELS.join(', ')}`,
}));
export type IsolationLevel = z.infer<typeof isolationLevelSchema>;

const MIB = 1024 * 1024;
const DAY_MS = 24 * 3600 * 1000;

const wholeNumber = (what: string, min: number, max: number, unit: string, minNote = `at least ${min} ${unit}`) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number of ${unit}`)
    .min(min, `${what} must be ${minNote}`)
    .max(max, `${what} must be at most ${max} ${unit}`);

/** A fixed working directory: an absolute path, or "private" (a per-job directory the engine makes). */
export const isolationCwdSchema = lazySchema(() => z
  .string()
  .refine((s) => !s.includes('\0'), { message: 'working directory must not contain a NUL byte' })
  .refine((s) => s === 'private' || s.startsWith('/'), { message: 'working directory must be an absolute path or "private"' }));

export const resourceLimitsSchema = lazySchema(() => z.object({
  /** Resident memory of the whole tree (cgroup), or virtual memory per process (RLIMIT_AS) without cgroups. */
  memoryBytes: wholeNumber('memory limit', 16 * MIB, 2 ** 50, 'bytes', 'at least 16 MiB'),
  /** CPU time per process (RLIMIT_CPU): SIGXCPU at the limit, SIGKILL a second later. */
  cpuSeconds: wholeNumber('CPU time limit', 1, 30 * 24 * 3600, 'seconds'),
  /** Open file descriptors per process (RLIMIT_NOFILE); stdin/stdout/stderr count. */
  openFiles: wholeNumber('open-files limit', 8, 1 << 20, 'files', 'at least 8 (the loader and stdio need a few)'),
  /** Processes and threads of the tree (pids cgroup), or per user (RLIMIT_NPROC) without cgroups. */
  processes: wholeNumber('process limit', 1, 4_194_304, 'processes'),
  /** Wall-clock timeout: TERM, then KILL after the grace period. */
  wallClockMs: wholeNumber('wall-clock limit', 1, 30 * DAY_MS, 'milliseconds', 'positive'),
  /** Replace the environment with PATH=/usr/bin:/bin, HOME and LANG (plus the job's own variables). */
  cleanEnv: z.boolean({ error: 'clean environment must be true or false' }),
  cwd: isolationCwdSchema,
}).partial());
export type ResourceLimits = z.infer<typeof resourceLimitsSchema>;
export type ResourceLimitName = keyof ResourceLimits;

/**
 * Overrides of a level's preset: a value replaces the preset's, `null` removes the
 * preset's limit, an absent key keeps it. Unknown keys are refused so that a typo
 * ("memoryByte") does not silently leave the preset in force.
 */
const LIMIT_NAMES = ['memoryBytes', 'cpuSeconds', 'openFiles', 'processes', 'wallClockMs', 'cleanEnv', 'cwd'] as const;
export const limitOverridesSchema = lazySchema(() => {
  const limits = resourceLimitsSchema.shape;
  return z.strictObject(
  {
    memoryBytes: limits.memoryBytes.unwrap().nullable().optional(),
    cpuSeconds: limits.cpuSeconds.unwrap().nullable().optional(),
    openFiles: limits.openFiles.unwrap().nullable().optional(),
    processes: limits.processes.unwrap().nullable().optional(),
    wallClockMs: limits.wallClockMs.unwrap().nullable().optional(),
    cleanEnv: limits.cleanEnv,
    cwd: isolationCwdSchema.nullable().optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown limit ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: ${LIMIT_NAMES.join(', ')})` : undefined,
  },
);
});
export type LimitOverrides = z.infer<typeof limitOverridesSchema>;

export const isolationSpecSchema = lazySchema(() => z.object({
  level: isolationLevelSchema.default('none'),
  overrides: limitOverridesSchema.default({}),
}));
export type IsolationSpecInput = z.input<typeof isolationSpecSchema>;
export type IsolationSpec = z.output<typeof isolationSpecSchema>;

/** A program rule: a name matched against the program's file name, or an absolute path. */
export const programRuleSchema = lazySchema(() => z
  .string()
  .trim()
  .min(1, 'a program rule must not be empty')
  .refine((s) => !s.includes('\0'), { message: 'a program rule must not contain a NUL byte' })
  .refine((s) => !s.includes('/') || s.startsWith('/'), {
    message: 'a program rule is a name (e.g. curl) or an absolute path (e.g. /usr/bin/curl), not a relative path',
  })
  .refine((s) => !/\s/.test(s), { message: 'a program rule names one program: no spaces (rules match programs, not command lines)' }));

/**
 * Where the operator sets what jobs may run (Settings, Command policy). A deny list is a guard
 * rail: a copy of a denied program under another name, or a program that runs others as its
 * script says (python3, make…), gets around it. The allowlist plus Maximum isolation is the
 * boundary: only the very files allowed run, in a sandbox where a job cannot write new ones
 * outside its private directory.
 */
export const commandPolicySchema = lazySchema(() => z.object({
  /** Programs that may run; empty allows every program not denied. */
  allow: z.array(programRuleSchema).max(10_000).default([]),
  /** Programs that may never run; wins over allow. */
  deny: z.array(programRuleSchema).max(10_000).default([]),
  /**
   * Shell-string jobs, and programs that start a shell, run while a deny list is in force.
   * Off by default: a shell runs whatever its script says, so the deny list cannot keep
   * anything out of it.
   */
  allowShellJobs: z.boolean({ error: 'allow shell jobs must be true or false' }).default(false),
}));
export type CommandPolicyInput = z.input<typeof commandPolicySchema>;
export type CommandPolicy = z.output<typeof commandPolicySchema>;

const principal = (what: 'user' | 'group') =>
  z.union(
    [
      z.number().int(`${what} id must be a whole number`).min(0, `${what} id must not be negative`).max(2 ** 32 - 2, `${what} id is too large`),
      z
        .string()
        .trim()
        .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/, `${what} name may use letters, digits, "_", "." and "-" (at most 32 characters)`),
    ],
    { error: `${what} must be a numeric id or a name` },
  );

/** Run the job as this user and/or group (needs the engine to run as root). */
export const runAsSchema = lazySchema(() => z
  .object({ uid: principal('user').optional(), gid: principal('group').optional() })
  .refine((r) => r.uid !== undefined || r.gid !== undefined, { message: 'run as: give a user, a group, or both' }));
export type RunAs = z.infer<typeof runAsSchema>;

/** One limit as the UI shows it: its value, what enforces it on this machine, and how it falls short. */
export const limitDescriptionSchema = lazySchema(() => z.object({
  limit: z.enum(['memoryBytes', 'cpuSeconds', 'openFiles', 'processes', 'wallClockMs', 'cleanEnv', 'cwd', 'sandbox', 'runAs']),
  label: z.string(),
  value: z.string(),
  mechanism: z.string(),
  /** False when the value is set but nothing on this machine enforces it. */
  enforced: z.boolean(),
  /** Where the mechanism is weaker than the limit's name suggests. */
  note: z.string().optional(),
}));
export type LimitDescription = z.infer<typeof limitDescriptionSchema>;

/** What a job's isolation amounts to, for the job's snapshot and the launch form. */
export const isolationReportSchema = lazySchema(() => z.object({
  level: isolationLevelSchema,
  limits: z.array(limitDescriptionSchema),
  /** E.g. "shell command: only /bin/sh is checked against the command policy". */
  warnings: z.array(z.string()),
}));
export type IsolationReport = z.infer<typeof isolationReportSchema>;
