import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { classifySlurmFailure, SlurmError } from './slurmError';

export type SlurmCommand = 'sbatch' | 'squeue' | 'scontrol' | 'scancel' | 'sstat' | 'sacct' | 'sinfo';

export interface SlurmCliOptions {
  /** The cluster's slurm.conf; absent: the clients' own lookup (SLURM_CONF in `env`, then /etc/slurm). */
  slurmConf?: string;
  /** Where the Slurm clients are; absent: looked up on PATH. */
  binDir?: string;
  /** The environment the clients run in (default: the engine's). Never a job's: see batchScript.ts. */
  env?: NodeJS.ProcessEnv;
  /**
   * Per command. A client retries a controller that is down for about MessageTimeout (10 s by
   * default) before it says so, and scontrol twice that, so the default leaves room for both.
   */
  timeoutMs?: number;
}

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export const DEFAULT_TIMEOUT_MS = 45_000;

// execa (and its dependencies: 0.3 MB of source in the server's bundle) is loaded at the first
// Slurm command: an engine that never talks to a cluster never compiles or holds it (issue 15).
let execaModule: Promise<typeof import('execa')> | undefined;
const loadExeca = () => (execaModule ??= import('execa'));

/** Runs Slurm's command-line clients: with a timeout, in a known environment, failures typed. */
export class SlurmCli {
  private readonly baseEnv: Record<string, string>;

  constructor(private readonly options: SlurmCliOptions = {}) {
    // execa's timeout is a setTimeout, which fires at once beyond 2^31-1 ms.
    if (options.timeoutMs !== undefined && !(Number.isInteger(options.timeoutMs) && options.timeoutMs > 0 && options.timeoutMs <= 2 ** 31 - 1)) {
      throw new RangeError(`Slurm command timeout must be a whole number of milliseconds from 1 to ${2 ** 31 - 1}, not ${options.timeoutMs}`);
    }
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.env ?? process.env)) if (v !== undefined) env[k] = v;
    if (options.slurmConf !== undefined) env.SLURM_CONF = options.slurmConf;
    this.baseEnv = env;
  }

  /** The environment commands run with (the base, or a caller's replacement plus SLURM_CONF). */
  environment(replacement?: Record<string, string>): Record<string, string> {
    if (!replacement) return this.baseEnv;
    const env = { ...replacement };
    if (this.baseEnv.SLURM_CONF !== undefined) env.SLURM_CONF = this.baseEnv.SLURM_CONF;
    if (env.PATH === undefined && this.baseEnv.PATH !== undefined) env.PATH = this.baseEnv.PATH;
    return env;
  }

  /**
   * Runs `command args`; resolves on exit status 0 (or one listed in `okExitCodes`), otherwise
   * throws a SlurmError naming what Slurm said. `env` replaces the environment (sbatch passes it
   * on to the job).
   */
  async run(command: SlurmCommand, args: string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number; okExitCodes?: number[] } = {}): Promise<CliResult> {
    const file = this.options.binDir ? join(this.options.binDir, command) : command;
    const conf = this.environment(opts.env).SLURM_CONF;
    // A missing SLURM_CONF makes every client retry for 60 s before it says so.
    if (conf !== undefined && !existsSync(conf)) {
      throw new SlurmError('not-configured', `Slurm's configuration SLURM_CONF=${conf} does not exist`, command);
    }
    const timeoutMs = opts.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const { execa } = await loadExeca();
    const result = await execa(file, args, {
      env: this.environment(opts.env),
      extendEnv: false,
      input: opts.input ?? '',
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      reject: false,
      stripFinalNewline: false,
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
    const stdout = String(result.stdout ?? '');
    const stderr = String(result.stderr ?? '');
    if (result.timedOut) {
      throw new SlurmError('timed-out', `${command} did not finish within ${Math.round(timeoutMs / 1000)} s and was killed`, command, stderr.trim());
    }
    const spawnCode = (result as { code?: string }).code;
    if (spawnCode === 'ENOENT' && result.exitCode === undefined) {
      const where = this.options.binDir ? `no ${command} in ${this.options.binDir}` : `${command} not found on PATH=${this.environment(opts.env).PATH ?? ''}`;
      throw new SlurmError('not-installed', `Slurm is not installed here: ${where}`, command);
    }
    if (result.exitCode === undefined) {
      throw new SlurmError('failed', `${command} could not be run: ${result.shortMessage ?? result.message ?? 'unknown error'}`, command);
    }
    if (result.exitCode !== 0 && !(opts.okExitCodes ?? []).includes(result.exitCode)) {
      throw classifySlurmFailure(command, stderr || stdout, result.exitCode);
    }
    return { stdout, stderr, exitCode: result.exitCode };
  }
}
