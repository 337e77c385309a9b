import { z } from 'zod';
import { commandPolicySchema, isolationLevelSchema } from './isolation';

export const settingsSchema = z.object({
  /** Size at which a run's log file is rotated; at most logFilesKept files of this size are kept. */
  logMaxBytes: z.number().int().min(64 * 1024).max(10 * 1024 ** 3).default(8 * 1024 * 1024),
  logFilesKept: z.number().int().min(1).max(20).default(2),
  /** In-memory tail per run served to the UI. */
  tailMaxBytes: z.number().int().min(4 * 1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Output per job passed on live to the UI; beyond it the live view skips (the file has everything). */
  liveLogBytesPerSecond: z.number().int().min(64 * 1024).max(256 * 1024 * 1024).default(1024 * 1024),
  sampleIntervalMs: z.number().int().min(100).max(60_000).default(1000),
  /**
   * Finished jobs kept in the list and in jobs.json. Beyond it the oldest finished jobs are
   * dropped (at start-up and whenever the saved jobs are compacted), and a notice says how
   * many; running, queued and waiting jobs, and what they depend on, are never dropped.
   */
  finishedJobsKept: z.number().int().min(100).max(1_000_000).default(5000),
  /**
   * Runs kept per job in its run history (jobs.runs), the latest included; the oldest
   * records go first, and their log files with them.
   */
  runsKept: z.number().int().min(1).max(1000).default(20),
  /**
   * Disk space all run logs (`<data dir>/logs`) may take. Beyond it the oldest ended runs' logs
   * are deleted first, then older rotated parts of live runs; never the file a live run writes.
   */
  logBudgetBytes: z
    .number()
    .int('the log budget must be a whole number of bytes')
    .min(64 * 1024, 'the log budget must be at least 64 KiB')
    .max(1024 ** 5, 'the log budget must be at most 1 PiB')
    .default(1024 ** 3),
  /** Jobs running at once; more wait as queued. */
  maxConcurrent: z.number().int().min(1).max(4096).default(64),
  confirmKill: z.boolean().default(true),
  /** Isolation level of jobs whose spec names none. */
  defaultIsolation: isolationLevelSchema.default('none'),
  /** Programs jobs may (allow) and may never (deny) run, checked before spawning. */
  commandPolicy: commandPolicySchema.default({ allow: [], deny: [], allowShellJobs: false }),
  /**
   * The Slurm cluster's slurm.conf (an absolute path); null: Slurm's own lookup (SLURM_CONF in
   * Procdeck's environment, else /etc/slurm/slurm.conf). The Slurm target is offered wherever
   * sbatch is on PATH and its controller answers.
   */
  slurmConf: z
    .string()
    .refine((p) => p.startsWith('/'), { message: 'slurm.conf must be an absolute path' })
    .refine((p) => !p.includes('\0'), { message: 'slurm.conf must not contain a NUL byte' })
    .nullable()
    .default(null),
  /**
   * A port on 127.0.0.1 serving only GET /metrics without a token (for a local Prometheus);
   * null: none. Any user of this machine can read it, so it says no more than /metrics does.
   */
  metricsPort: z.number().int('metrics port must be a whole number').min(1, 'metrics port must be 1–65535').max(65535, 'metrics port must be 1–65535').nullable().default(null),
});
export type Settings = z.infer<typeof settingsSchema>;
/**
 * A change to some settings. Built from the same fields without their defaults: `.partial()`
 * alone would keep them, and a patch naming one setting would reset every other to its default.
 */
export const settingsPatchSchema = z.object(
  Object.fromEntries(Object.entries(settingsSchema.shape).map(([key, field]) => [key, field.unwrap().optional()])) as {
    [K in keyof typeof settingsSchema.shape]: z.ZodOptional<ReturnType<(typeof settingsSchema.shape)[K]['unwrap']>>;
  },
);
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
/** A patch as a caller may write it: fields inside a setting that have defaults may be left out. */
export type SettingsPatchInput = z.input<typeof settingsPatchSchema>;
export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});
