import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EngineError } from '../../engineError';
import { arrayScript, batchScript, sbatchEnvironment } from './batchScript';
import type { SlurmCli } from './slurmCli';
import { SlurmError } from './slurmError';
import { literalPattern, mebibytes, minutes, resourceArguments, slurmArraySchema, slurmSubmitSchema, type SlurmResources } from './submitRequest';

export interface SubmittedJob {
  /** Slurm's job id. */
  jobId: string;
  stdoutPath: string;
  stderrPath: string;
  /** What the cluster enforces, in its units (whole minutes, whole MiB). */
  timeLimitMinutes?: number;
  memoryMiB?: number;
  /** The batch script as sbatch received it. */
  script: string;
}

export interface SubmittedArray {
  arrayJobId: string;
  /** "<arrayJobId>_<N>" for item N, as scancel/squeue/sstat name the task. */
  taskIds: string[];
  stdoutOf(index: number): string;
  stderrOf(index: number): string;
  script: string;
}

function checkDirectory(path: string, field: string, what: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new EngineError('CWD_NOT_FOUND', `${what} ${path} does not exist (the cluster is assumed to share this file system)`, field);
  }
  if (!isDirectory) throw new EngineError('CWD_NOT_FOUND', `${what} ${path} is not a directory`, field);
}

/** sbatch --parsable prints "<id>" or "<id>;<cluster>". */
function parseJobId(stdout: string): string {
  const m = /^(\d+)(?:;\S+)?$/.exec(stdout.trim());
  if (!m) throw new SlurmError('unreadable-output', `sbatch printed no job id: ${JSON.stringify(stdout.slice(0, 200))}`, 'sbatch', stdout);
  return m[1]!;
}

const enforced = (r: SlurmResources) => ({
  timeLimitMinutes: r.timeLimitMs === undefined ? undefined : minutes(r.timeLimitMs),
  memoryMiB: r.memoryBytes === undefined ? undefined : mebibytes(r.memoryBytes),
});

/**
 * Submits through `sbatch --parsable`, the script on stdin. Checked first, because Slurm would
 * not say so: a working directory that does not exist (slurmstepd then runs the job in /tmp
 * instead) and an output directory that does not exist (the job fails to launch).
 */
export async function submitJob(cli: SlurmCli, input: unknown, engineEnv: NodeJS.ProcessEnv): Promise<SubmittedJob> {
  const parsed = slurmSubmitSchema.safeParse(input);
  if (!parsed.success) throw EngineError.fromZod('INVALID_SPEC', parsed.error);
  const req = parsed.data;
  checkDirectory(req.cwd, 'cwd', 'working directory');
  checkDirectory(dirname(req.stdoutPath), 'stdoutPath', 'output directory');
  checkDirectory(dirname(req.stderrPath), 'stderrPath', 'output directory');
  const script = batchScript(req);
  const args = [...resourceArguments(req, req.name, req.cwd), `--output=${literalPattern(req.stdoutPath)}`, `--error=${literalPattern(req.stderrPath)}`];
  const { stdout } = await cli.run('sbatch', args, { input: script, env: sbatchEnvironment(req, engineEnv) });
  return { jobId: parseJobId(stdout), stdoutPath: req.stdoutPath, stderrPath: req.stderrPath, script, ...enforced(req) };
}

/** A template batch as one job array (`--array=0-(N-1)`): one sbatch call for every item. */
export async function submitArray(cli: SlurmCli, input: unknown, engineEnv: NodeJS.ProcessEnv): Promise<SubmittedArray> {
  const parsed = slurmArraySchema.safeParse(input);
  if (!parsed.success) throw EngineError.fromZod('INVALID_SPEC', parsed.error);
  const req = parsed.data;
  checkDirectory(req.cwd, 'cwd', 'working directory');
  checkDirectory(req.outputDir, 'outputDir', 'output directory');
  const script = arrayScript(req);
  const pattern = (ext: string) => `${literalPattern(req.outputDir)}/%a.${ext}`;
  const args = [...resourceArguments(req, req.name, req.cwd), `--array=0-${req.items.length - 1}`, `--output=${pattern('out')}`, `--error=${pattern('err')}`];
  const { stdout } = await cli.run('sbatch', args, { input: script, env: sbatchEnvironment(req, engineEnv) });
  const arrayJobId = parseJobId(stdout);
  return {
    arrayJobId,
    taskIds: req.items.map((_, i) => `${arrayJobId}_${i}`),
    stdoutOf: (i) => join(req.outputDir, `${i}.out`),
    stderrOf: (i) => join(req.outputDir, `${i}.err`),
    script,
  };
}
