import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../../../../shared/lazySchema';
import { commandSchema, DEFAULT_CLEAN_ENV_ALLOWLIST, envSpecSchema, MAX_TIMEOUT_MS } from '../../../../shared/jobSpec';

/**
 * `scontrol show job -o` prints `Key=value` pairs separated by spaces, so a value that holds
 * " Key=" reads as a field of its own. Values Procdeck sends to Slurm must not look like that.
 */
const FAKE_FIELD = /\s[A-Z][A-Za-z0-9_:/]*=/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\0-\x1f\x7f]/;

const slurmText = (what: string) =>
  z
    .string()
    .refine((s) => !CONTROL.test(s), { message: `${what} must not contain control characters (newline, tab, NUL…)` })
    .refine((s) => !FAKE_FIELD.test(s), { message: `${what} must not contain " Name=" (Slurm's job record would read it as a field of its own)` });

const absolutePath = (what: string) =>
  slurmText(what)
    .pipe(z.string().min(1, `${what} must not be empty`))
    .refine((p) => isAbsolute(p), { message: `${what} must be an absolute path (the job runs on another machine, in its own directory)` });

/**
 * Slurm expands %j, %x… in output paths and, on a backslash anywhere in one, expands nothing
 * and drops the backslash: a path with one would be written somewhere else.
 */
const outputPath = (what: string) => absolutePath(what).refine((p) => !p.includes('\\'), { message: `${what} must not contain a backslash (Slurm drops it from output paths)` });

// sbatch --partition takes a comma-separated list; one name is letters, digits, '-', '_', '.'.
const partitionSchema = lazySchema(() => z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'partition must be one partition name (letters, digits, "-", "_", "."), not a list'));

/** The Slurm-specific part of a submission: where and with what resources it runs. */
export const slurmResourcesSchema = lazySchema(() => z.object({
  partition: partitionSchema.optional(),
  /** --cpus-per-task for the one task the job runs. */
  cpus: z.number().int('cpus must be a whole number').min(1, 'cpus must be at least 1').max(4096, 'cpus is more than 4096').default(1),
  /** --mem, rounded up to whole MiB; enforced by the cluster (task/cgroup), not by Procdeck. */
  memoryBytes: z.number().int('memory must be a whole number of bytes').positive('memory must be positive').max(2 ** 50, 'memory is more than 1 PiB').optional(),
  /** --time, rounded up to whole minutes (Slurm's unit; it checks limits about every 30 s). */
  timeLimitMs: z.number().int().positive('time limit must be positive').max(MAX_TIMEOUT_MS, 'time limit is longer than 30 days').optional(),
  /**
   * CPUs to bind the job's program to, through `srun --cpu-bind=mask_cpu:…` inside the batch
   * script (sbatch has no --cpu-bind). They must lie inside the allocation Slurm grants.
   */
  cpuBind: z.array(z.number().int().min(0).max(4095)).min(1, 'cpuBind must name at least one CPU').max(4096).optional(),
  /** --nodes: the job's one task runs on the first of them (a multi-node program starts its own steps with srun). */
  nodes: z.number().int('nodes must be a whole number').min(1, 'nodes must be at least 1').max(100_000, 'nodes is more than 100000').optional(),
  /** Submit held (PENDING, reason JobHeldUser) until released. */
  hold: z.boolean().default(false),
}));

export const slurmSubmitSchema = lazySchema(() => slurmResourcesSchema.extend({
  name: slurmText('name').pipe(z.string().trim().min(1, 'name must not be empty').max(200, 'name is longer than 200 characters')).optional(),
  command: commandSchema,
  /** The job's working directory, on the cluster's shared file system. */
  cwd: absolutePath('working directory'),
  env: envSpecSchema.default({ mode: 'inherit', allow: DEFAULT_CLEAN_ENV_ALLOWLIST, set: {} }),
  /** Where the job's stdout and stderr go: Procdeck chooses them and follows them from there. */
  stdoutPath: outputPath('stdoutPath'),
  stderrPath: outputPath('stderrPath'),
}));
export type SlurmSubmitInput = z.input<typeof slurmSubmitSchema>;
export type SlurmSubmitRequest = z.output<typeof slurmSubmitSchema>;
export type SlurmResources = z.output<typeof slurmResourcesSchema>;

/** One template batch as a job array: each item is a shell command, task N runs item N. */
export const slurmArraySchema = lazySchema(() => slurmResourcesSchema.extend({
  name: slurmText('name').pipe(z.string().trim().min(1, 'name must not be empty').max(200, 'name is longer than 200 characters')).optional(),
  items: z
    .array(z.string().refine((s) => !s.includes('\0'), { message: 'item must not contain a NUL byte' }).pipe(z.string().trim().min(1, 'item must not be empty')))
    .min(1, 'a job array needs at least one item')
    // Slurm's default MaxArraySize is 1001 (task ids 0-1000).
    .max(1000, 'a job array holds at most 1000 items (Slurm\'s default MaxArraySize)'),
  cwd: absolutePath('working directory'),
  env: envSpecSchema.default({ mode: 'inherit', allow: DEFAULT_CLEAN_ENV_ALLOWLIST, set: {} }),
  /** Task N writes `<outputDir>/<N>.out` and `<N>.err`. */
  outputDir: outputPath('outputDir'),
}));
export type SlurmArrayInput = z.input<typeof slurmArraySchema>;
export type SlurmArrayRequest = z.output<typeof slurmArraySchema>;

/** A literal path in Slurm's filename pattern syntax: '%' doubled so nothing is expanded. */
export function literalPattern(path: string): string {
  return path.replaceAll('%', '%%');
}

export const mebibytes = (bytes: number) => Math.ceil(bytes / (1024 * 1024));
export const minutes = (ms: number) => Math.ceil(ms / 60_000);

/** The sbatch options for resources every submission shares. `--export=ALL`: see batchScript.ts. */
export function resourceArguments(r: SlurmResources, name: string | undefined, cwd: string): string[] {
  const args = ['--parsable', '--export=ALL', `--chdir=${cwd}`, '--ntasks=1', `--cpus-per-task=${r.cpus}`, '--no-requeue'];
  if (name !== undefined) args.push(`--job-name=${name}`);
  if (r.partition !== undefined) args.push(`--partition=${r.partition}`);
  if (r.memoryBytes !== undefined) args.push(`--mem=${mebibytes(r.memoryBytes)}M`);
  if (r.timeLimitMs !== undefined) args.push(`--time=${minutes(r.timeLimitMs)}`);
  if (r.nodes !== undefined) args.push(`--nodes=${r.nodes}`);
  if (r.hold) args.push('--hold');
  return args;
}
