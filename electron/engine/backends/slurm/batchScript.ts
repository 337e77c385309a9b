import type { JobCommand, JobSpec } from '../../../../shared/jobSpec';
import { shellQuote } from '../../scheduler/batches';
import { buildEnv } from '../../supervisor/launchPlan';
import type { SlurmArrayRequest, SlurmSubmitRequest } from './submitRequest';

/**
 * The environment of a Slurm job is set in two places, on purpose:
 *
 * - sbatch runs with `--export=ALL` and an environment Procdeck builds: the engine's own
 *   (mode "inherit") or only its allow-listed variables (mode "clean"). Slurm 22.05 has no
 *   clean export: `--export=NONE` and `--export=NAME,…` make slurmd run the user's login shell
 *   (`su - user -c env`, SLURM_GET_USER_ENV=1) and the job gets that environment instead.
 * - The job's own overrides (`env.set`, chosen by whoever submitted the job) go into the batch
 *   script as `env NAME=value` arguments, never into sbatch's environment, where `SBATCH_*`
 *   would change the submission, `SLURM_CONF` the cluster, and `PATH`/`LD_PRELOAD` which
 *   program runs as the operator.
 */
export function sbatchEnvironment(spec: Pick<SlurmSubmitRequest, 'env'>, engineEnv: NodeJS.ProcessEnv): Record<string, string> {
  // The local launcher's helper, so "clean" keeps the same names here and there; it reads only `env`.
  return buildEnv({ env: { ...spec.env, set: {} } } as JobSpec, engineEnv);
}

/** `exec` words that run the job's command with its overrides applied (inside the step when bound). */
function launchWords(command: JobCommand, overrides: Readonly<Record<string, string>>): string[] {
  const program = command.kind === 'shell' ? ['/bin/sh', '-c', command.script] : [command.program, ...command.args];
  const assignments = Object.entries(overrides).map(([name, value]) => `${name}=${value}`);
  if (assignments.length === 0) return program;
  // env(1) takes every leading NAME=VALUE word as an assignment, so a program whose name
  // holds '=' is run through `sh -c 'exec "$0" "$@"'`, which takes it as a word.
  const runProgram = program[0]!.includes('=') ? ['/bin/sh', '-c', 'exec "$0" "$@"', ...program] : program;
  return ['/usr/bin/env', '--', ...assignments, ...runProgram];
}

/** A CPU list as the hex mask `srun --cpu-bind=mask_cpu:` takes. */
export function cpuMask(cpus: readonly number[]): string {
  let mask = 0n;
  for (const cpu of cpus) mask |= 1n << BigInt(cpu);
  return `0x${mask.toString(16)}`;
}

function srunWords(cpus: number, cpuBind: readonly number[] | undefined): string[] {
  if (!cpuBind) return [];
  return ['srun', '--ntasks=1', `--cpus-per-task=${cpus}`, `--cpu-bind=mask_cpu:${cpuMask(cpuBind)}`, '--'];
}

/**
 * The batch script sbatch reads on stdin. Its first line after the shebang is a command, so
 * sbatch stops looking for `#SBATCH` option lines there: nothing in the job's command (which
 * sits inside single quotes) can add options. Everything is shell-quoted; no word is ever
 * expanded by the script's shell.
 */
export function batchScript(spec: Pick<SlurmSubmitRequest, 'command' | 'env' | 'cpus' | 'cpuBind'>): string {
  const words = [...srunWords(spec.cpus, spec.cpuBind), ...launchWords(spec.command, spec.env.set)];
  return `#!/bin/sh\nexec ${words.map(shellQuote).join(' ')}\n`;
}

/** One script for a whole job array: task N runs item N (each a shell command, as a template batch expands). */
export function arrayScript(spec: Pick<SlurmArrayRequest, 'items' | 'env' | 'cpus' | 'cpuBind'>): string {
  const cases = spec.items.map((item, index) => {
    const words = [...srunWords(spec.cpus, spec.cpuBind), ...launchWords({ kind: 'shell', script: item }, spec.env.set)];
    return `${index}) exec ${words.map(shellQuote).join(' ')} ;;`;
  });
  return [
    '#!/bin/sh',
    'case "$SLURM_ARRAY_TASK_ID" in',
    ...cases,
    'esac',
    'echo "procdeck: no item for array task $SLURM_ARRAY_TASK_ID" >&2',
    'exit 127',
    '',
  ].join('\n');
}
