import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { JobSpec } from '../../../shared/jobSpec';
import { EngineError } from '../engineError';
import type { CgroupBirth } from '../isolation/cgroupBirth';

/** Exactly what will be exec'd: no shell is involved unless the spec asked for one. */
export interface LaunchPlan {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** The cgroup the process is born in (the engine joins it around the fork; see bornInside), instead of a wrapper joining it. */
  bornInto?: CgroupBirth;
}

export const SHELL = '/bin/sh';

/** What a job gets where its spec says nothing. */
export interface LaunchDefaults {
  /** The working directory of a job that names none (relative ones are resolved against it). */
  cwd: string;
  /** The environment jobs start from: userEnvironment(), never the engine's own process.env. */
  env: Readonly<Record<string, string>>;
}

/**
 * The working directory of a job that names none: the home directory of the user running
 * Procdeck (as a shell would start), never the directory Procdeck was started from (its own
 * checkout, under `npm start`). "/" when that home does not exist (a service account's
 * /nonexistent), so such jobs still start somewhere that is not Procdeck's.
 */
export function defaultWorkingDirectory(home: string = homedir()): string {
  try {
    if (statSync(home).isDirectory()) return home;
  } catch {
    // no such directory
  }
  return '/';
}

/** The job's environment: the defaults' (inherit) or the names it allows from them (clean), then its own `set`. */
export function buildEnv(spec: JobSpec, base: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = {};
  if (spec.env.mode === 'inherit') {
    for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  } else {
    for (const name of spec.env.allow) {
      const v = base[name];
      if (v !== undefined) env[name] = v;
    }
  }
  Object.assign(env, spec.env.set);
  return env;
}

function checkCwd(cwd: string): void {
  let stat;
  try {
    stat = statSync(cwd);
  } catch {
    throw new EngineError('CWD_NOT_FOUND', `working directory ${cwd} does not exist`, 'cwd');
  }
  if (!stat.isDirectory()) throw new EngineError('CWD_NOT_FOUND', `working directory ${cwd} is not a directory`, 'cwd');
}

function isExecutableFile(path: string): 'ok' | 'missing' | 'not-executable' | 'directory' {
  let stat;
  try {
    // Most PATH entries have no such file: without throwIfNoEntry each miss builds an
    // exception with its stack (~15 µs), and a start looks up its program twice (preflight, launch).
    stat = statSync(path, { throwIfNoEntry: false });
  } catch {
    return 'missing';
  }
  if (stat === undefined) return 'missing';
  if (stat.isDirectory()) return 'directory';
  try {
    accessSync(path, constants.X_OK);
    return 'ok';
  } catch {
    return 'not-executable';
  }
}

/**
 * Resolves a program the way execvp would (a name with a slash is a path, otherwise each
 * PATH entry in turn), so that "not found" and "not executable" are told apart before
 * spawning: Node reports both, and a missing cwd, as the same ENOENT.
 */
export function resolveProgram(program: string, cwd: string, pathVar: string | undefined): string {
  const field = 'command.program';
  if (program.includes('/')) {
    const full = isAbsolute(program) ? program : resolve(cwd, program);
    const status = isExecutableFile(full);
    if (status === 'missing') throw new EngineError('COMMAND_NOT_FOUND', `command not found: ${program} (no file at ${full})`, field);
    if (status === 'directory') throw new EngineError('NOT_EXECUTABLE', `${program} is a directory, not a program`, field);
    if (status === 'not-executable') throw new EngineError('NOT_EXECUTABLE', `${program} is not executable (permission denied)`, field);
    return full;
  }
  let sawNonExecutable: string | undefined;
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(isAbsolute(dir) ? dir : resolve(cwd, dir), program);
    const status = isExecutableFile(candidate);
    if (status === 'ok') return candidate;
    if (status === 'not-executable') sawNonExecutable ??= candidate;
  }
  if (sawNonExecutable) throw new EngineError('NOT_EXECUTABLE', `${program} is not executable (found ${sawNonExecutable} without execute permission)`, field);
  throw new EngineError('COMMAND_NOT_FOUND', `command not found: ${program} (searched PATH=${pathVar ?? ''})`, field);
}

/** Turns a validated spec into a launch plan, or throws an EngineError naming the problem. */
export function planLaunch(spec: JobSpec, defaults: LaunchDefaults): LaunchPlan {
  const cwd = spec.cwd ? resolve(defaults.cwd, spec.cwd) : defaults.cwd;
  checkCwd(cwd);
  const env = buildEnv(spec, defaults.env);
  if (spec.command.kind === 'shell') {
    return { file: SHELL, args: ['-c', spec.command.script], cwd, env };
  }
  const file = resolveProgram(spec.command.program, cwd, env.PATH);
  return { file, args: spec.command.args, cwd, env };
}
