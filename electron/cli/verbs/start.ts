import { resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { wholeNumber } from '../optionParsers';
import { ISOLATION_LEVELS, type IsolationLevel } from '../../../shared/isolation';
import type { JobSpecInput } from '../../../shared/jobSpec';
import { DURATION_PATTERN, parseDuration, parseSize, SIZE_PATTERN } from '../../../shared/config/units';
import type { Placement } from '../../../shared/where';
import { UsageError } from '../cliErrors';
import { stateColor, stateText } from '../jobFormat';
import { printable } from '../style';
import { jsonLine, type Verb } from './verb';

interface StartOptions {
  name?: string;
  cwd?: string;
  env?: [string, string][];
  group?: string;
  cores?: number[];
  isolation?: IsolationLevel;
  shell?: string;
  mergeStderr?: boolean;
  json?: boolean;
  on?: 'local' | 'slurm';
  partition?: string;
  cpus?: number;
  mem?: number;
  time?: number;
  nodes?: number;
}

function size(text: string): number {
  if (!SIZE_PATTERN.test(text)) throw new InvalidArgumentError(`expected a size with a unit such as 512M or 2G (powers of 1024), got ${JSON.stringify(text)}`);
  return parseSize(text);
}

function duration(text: string): number {
  if (!DURATION_PATTERN.test(text)) throw new InvalidArgumentError(`expected a duration with a unit such as 30m, 2h or 1h30m, got ${JSON.stringify(text)}`);
  return Math.round(parseDuration(text));
}

/** --on slurm and its resources; a resource without --on slurm is a mistake, not silently dropped. */
function placementOf(options: StartOptions): Placement | undefined {
  const resources = { partition: options.partition, cpus: options.cpus, memoryBytes: options.mem, timeLimitMs: options.time, nodes: options.nodes };
  const given = Object.entries({ '--partition': options.partition, '--cpus': options.cpus, '--mem': options.mem, '--time': options.time, '--nodes': options.nodes }).filter(([, v]) => v !== undefined);
  if (options.on !== 'slurm') {
    if (given.length > 0) throw new UsageError(`${given.map(([k]) => k).join(', ')} ask the Slurm cluster for resources: add --on slurm`);
    return options.on === 'local' ? { kind: 'local' } : undefined;
  }
  return { kind: 'slurm', ...Object.fromEntries(Object.entries(resources).filter(([, v]) => v !== undefined)) };
}

function environmentEntry(text: string, previous: [string, string][] = []): [string, string][] {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError(`expected NAME=VALUE, got ${JSON.stringify(text)}`);
  return [...previous, [text.slice(0, equals), text.slice(equals + 1)]];
}

function coreList(text: string): number[] {
  const cores = text.split(',').map((part) => part.trim());
  if (cores.some((core) => !/^\d+$/.test(core))) throw new InvalidArgumentError(`expected core numbers separated by commas (e.g. 0,1), got ${JSON.stringify(text)}`);
  return cores.map(Number);
}

/** The job spec a command line describes; the engine checks it like any other request. */
export function specFromCommandLine(argv: string[], options: StartOptions, cwd: string): JobSpecInput {
  if (options.shell !== undefined && argv.length > 0) throw new UsageError('give either --shell SCRIPT or -- PROGRAM ARGS…, not both');
  if (options.shell === undefined && argv.length === 0) throw new UsageError('nothing to start: give -- PROGRAM ARGS… or --shell SCRIPT');
  const where = placementOf(options);
  return {
    ...(options.name !== undefined && { name: options.name }),
    command: options.shell !== undefined ? { kind: 'shell', script: options.shell } : { kind: 'argv', program: argv[0]!, args: argv.slice(1) },
    // Where the operator typed the command, as pm2 and pueue do (the engine's own default is the home directory).
    cwd: resolve(cwd, options.cwd ?? '.'),
    ...(options.env && { env: { set: Object.fromEntries(options.env) } }),
    ...(options.group !== undefined && { group: options.group }),
    ...(options.cores !== undefined && { affinity: { mode: 'fixed', cores: options.cores } }),
    ...(options.isolation !== undefined && { isolation: { level: options.isolation } }),
    ...(where && { where }),
    ...(options.mergeStderr && { mergeStderr: true }),
  };
}

export const start: Verb = (program, context) => {
  program
    .command('start')
    .description('start a job: procdeck start [options] -- PROGRAM ARGS…, or procdeck start --shell SCRIPT')
    .argument('[program-and-args...]', 'the program and its arguments (after --, so that their options stay theirs)')
    .option('--name <name>', 'the job name (default: the command line)')
    .option('--cwd <dir>', 'working directory (default: the current directory)')
    .option('--env <name=value>', 'set an environment variable (repeatable)', environmentEntry)
    .option('--group <group>', 'pool group (default: default)')
    .option('--cores <list>', 'pin to these cores, e.g. 0,1', coreList)
    .addOption(new Option('--isolation <level>', 'isolation level').choices(ISOLATION_LEVELS))
    .option('--shell <script>', 'run SCRIPT with /bin/sh -c instead of a program')
    .addOption(new Option('--on <where>', 'where it runs: this machine (local, the default) or the Slurm cluster').choices(['local', 'slurm']))
    .option('--partition <name>', 'Slurm partition (with --on slurm; default: the cluster\'s default)')
    .option('--cpus <n>', 'CPUs Slurm allocates to the job (with --on slurm; default 1)', wholeNumber('--cpus'))
    .option('--mem <size>', 'memory limit the cluster enforces, e.g. 512M, 4G (with --on slurm)', size)
    .option('--time <duration>', 'wall-clock limit the cluster enforces, e.g. 30m, 2h (with --on slurm; whole minutes)', duration)
    .option('--nodes <n>', 'nodes to allocate (with --on slurm)', wholeNumber('--nodes'))
    .option('--merge-stderr', "send stderr into stdout: the log keeps the exact order of the job's lines, all marked stdout")
    .option('--json', "print jobs.start's answer ({job}) as JSON")
    .action(async (argv: string[], options: StartOptions) => {
      const spec = specFromCommandLine(argv, options, context.io.cwd);
      const client = await context.client();
      const answer = await client.invoke('jobs.start', { spec });
      if (options.json) return void context.io.out(jsonLine(answer));
      const { job } = answer;
      context.io.out(`started ${printable(job.name)} (id ${job.id}): ${stateColor(job, context.style)(stateText(job))}\n`);
    });
};
