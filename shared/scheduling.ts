import { z } from 'zod';
import { lazySchema } from './lazySchema';
import { placementSchema } from './where';

export const groupNameSchema = lazySchema(() => z
  .string()
  .trim()
  .min(1, 'group name must not be empty')
  .max(64, 'group name is longer than 64 characters')
  .regex(/^[\w.-]+$/, 'group name may use letters, digits, "_", "." and "-" only'));

export const restartPolicySchema = lazySchema(() => z
  .object({
    when: z.enum(['never', 'on-failure', 'always']).default('never'),
    initialDelayMs: z.number().int().min(0).max(3_600_000).default(1000),
    factor: z.number().min(1, 'backoff factor must be at least 1').max(10).default(2),
    maxDelayMs: z.number().int().min(0).max(24 * 3_600_000).default(60_000),
    /** At most this many automatic restarts within windowMs; one more ends the job as crash-looping. */
    maxRestarts: z.number().int().min(0).max(10_000).default(5),
    windowMs: z.number().int().min(1000).max(7 * 24 * 3_600_000).default(600_000),
    /** A run shorter than this counts as a crash (backoff keeps growing); longer resets the backoff. */
    minUptimeMs: z.number().int().min(0).max(24 * 3_600_000).default(5000),
  })
  .refine((p) => p.maxDelayMs >= p.initialDelayMs, { message: 'maximum delay must not be below the initial delay', path: ['maxDelayMs'] }));
export type RestartPolicy = z.output<typeof restartPolicySchema>;
export const DEFAULT_RESTART_POLICY: RestartPolicy = restartPolicySchema.parse({});

const coreListSchema = lazySchema(() => z
  .array(z.number().int('a core is a whole number').min(0, 'a core number must not be negative').max(4095))
  .min(1, 'choose at least one core')
  .max(4096));

export const affinitySchema = lazySchema(() => z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }),
  z.object({ mode: z.literal('fixed'), cores: coreListSchema }),
  /** Each new run takes the next core of the set in turn. */
  z.object({ mode: z.literal('round-robin'), cores: coreListSchema }),
  /** The core with the lowest recent load and fewest pinned jobs (of the set, or of all cores). */
  z.object({ mode: z.literal('least-loaded'), cores: coreListSchema.optional() }),
]));
export type Affinity = z.output<typeof affinitySchema>;

export const niceSchema = lazySchema(() => z.number().int('nice is a whole number').min(-20, 'nice must be between -20 and 19').max(19, 'nice must be between -20 and 19'));

export const restartInfoSchema = lazySchema(() => z.object({
  automatic: z.number().int(),
  manual: z.number().int(),
  lastReason: z.string().optional(),
  /** When a pending automatic restart is due (epoch ms). */
  nextAt: z.number().optional(),
}));
export type RestartInfo = z.infer<typeof restartInfoSchema>;

export const groupInfoSchema = lazySchema(() => z.object({
  name: groupNameSchema,
  /** Undefined: only the global limit applies. */
  limit: z.number().int().min(1).max(4096).optional(),
  paused: z.boolean(),
  running: z.number().int(),
  queued: z.number().int(),
}));
export type GroupInfo = z.infer<typeof groupInfoSchema>;

export const batchProgressSchema = lazySchema(() => z.object({
  id: z.string(),
  name: z.string(),
  group: z.string(),
  jobIds: z.array(z.string()),
  total: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  running: z.number().int(),
  queued: z.number().int(),
  createdAt: z.number(),
  finishedAt: z.number().optional(),
  elapsedMs: z.number(),
  /** Estimated time left from the mean duration of finished items and the parallelism seen. */
  etaMs: z.number().optional(),
}));
export type BatchProgress = z.infer<typeof batchProgressSchema>;

export const batchRequestSchema = lazySchema(() => z
  .object({
    name: z.string().trim().max(200).optional(),
    group: groupNameSchema.optional(),
    /** Concurrency limit of the batch's group. */
    limit: z.number().int().min(1, 'limit must be at least 1').max(4096).optional(),
    /** One shell command per line (blank lines and # comments are ignored)… */
    lines: z.string().max(5_000_000).optional(),
    /** …or one template with {} run over each line of inputs (each input shell-quoted). */
    template: z.string().max(100_000).optional(),
    inputs: z.string().max(5_000_000).optional(),
    cwd: z.string().optional(),
    timeoutMs: z.number().int().positive().optional(),
    /** Where the items run (default this machine); on the Slurm cluster a batch's items go as one job array. */
    where: placementSchema.optional(),
  })
  .refine((r) => (r.lines !== undefined) !== (r.template !== undefined), {
    message: 'give either lines or a template with inputs',
    path: ['lines'],
  }));
export type BatchRequest = z.infer<typeof batchRequestSchema>;
