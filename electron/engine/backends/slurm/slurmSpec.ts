import { placementOf, type JobSpec } from '../../../../shared/jobSpec';
import type { Placement } from '../../../../shared/where';
import { EngineError } from '../../engineError';
import { slurmSubmitSchema, type SlurmSubmitInput } from './submitRequest';

export type SlurmPlacement = Extract<Placement, { kind: 'slurm' }>;

export function slurmPlacementOf(spec: JobSpec): SlurmPlacement {
  const where = placementOf(spec);
  if (where.kind !== 'slurm') throw new EngineError('INTERNAL', `job placed ${where.kind} reached the Slurm backend`, 'where');
  return where;
}

/**
 * What of a job spec this machine enforces and a cluster cannot: refused by name, so a job
 * never runs on the cluster without a limit or sandbox its spec asked for.
 */
export function refuseLocalOnly(spec: JobSpec): void {
  const refuse = (field: string, what: string) => {
    throw new EngineError('INVALID_SPEC', `${what} is not available on the Slurm cluster (${field} applies to jobs on this machine); the cluster enforces cpus, memory and time limit instead`, field);
  };
  if (spec.isolation !== undefined && (spec.isolation.level ?? 'none') !== 'none') refuse('isolation', 'isolation (limits, sandbox)');
  if (spec.runAs !== undefined) refuse('runAs', 'running as another user');
  if (spec.nice !== undefined) refuse('nice', 'a nice value');
  if (spec.affinity.mode !== 'none' && spec.affinity.mode !== 'fixed') {
    refuse('affinity', `CPU affinity "${spec.affinity.mode}" (only fixed cores, bound with srun --cpu-bind inside the cores Slurm allocates)`);
  }
}

/** The submission of one run: the spec's command, directory and environment, the placement's resources, Procdeck's output files. */
export function submitInputOf(spec: JobSpec, files: { stdoutPath: string; stderrPath: string }, defaultCwd: string): SlurmSubmitInput {
  const where = slurmPlacementOf(spec);
  return {
    ...(spec.name && { name: spec.name }),
    command: spec.command,
    cwd: spec.cwd ?? defaultCwd,
    env: spec.env,
    stdoutPath: files.stdoutPath,
    stderrPath: files.stderrPath,
    ...(where.partition !== undefined && { partition: where.partition }),
    cpus: where.cpus ?? 1,
    ...(where.memoryBytes !== undefined && { memoryBytes: where.memoryBytes }),
    // The placement's time limit, else the job's own timeout: Slurm enforces either (in whole minutes).
    ...((where.timeLimitMs ?? spec.timeoutMs) !== undefined && { timeLimitMs: where.timeLimitMs ?? spec.timeoutMs }),
    ...(where.nodes !== undefined && { nodes: where.nodes }),
    ...(spec.affinity.mode === 'fixed' && { cpuBind: [...spec.affinity.cores] }),
  };
}

/** The checks sbatch's input gets, run before queueing (names, paths, resources), with the field named as the spec names it. */
export function checkSubmitInput(input: SlurmSubmitInput): void {
  const parsed = slurmSubmitSchema.safeParse(input);
  if (parsed.success) return;
  const issue = parsed.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const field = ['partition', 'cpus', 'memoryBytes', 'timeLimitMs', 'nodes'].includes(key) ? `where.${key}` : key === 'cpuBind' ? 'affinity' : key;
  throw new EngineError('INVALID_SPEC', issue.message, field);
}

/** Two runs can share one job array when everything but their shell script is the same. */
export function arrayKey(spec: JobSpec, defaultCwd: string): string | undefined {
  if (spec.command.kind !== 'shell') return undefined;
  const { name: _name, command: _command, ...rest } = spec;
  return JSON.stringify({ ...rest, cwd: spec.cwd ?? defaultCwd });
}
