import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { JobSpec } from '../../../shared/jobSpec';
import { EngineError } from '../engineError';

/** Exactly what will be exec'd: no shell is involved unless the spec asked for one. */
export interface LaunchPlan {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

export const SHELL = '/bin/sh';

export function buildEnv(spec: JobSpec, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
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
    stat = statSync(path);
  } catch {
    return 'missing';
  }
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
export function planLaunch(spec: JobSpec, defaultCwd: string): LaunchPlan {
  const cwd = spec.cwd ? resolve(defaultCwd, spec.cwd) : defaultCwd;
  checkCwd(cwd);
  const env = buildEnv(spec);
  if (spec.command.kind === 'shell') {
    return { file: SHELL, args: ['-c', spec.command.script], cwd, env };
  }
  const file = resolveProgram(spec.command.program, cwd, env.PATH);
  return { file, args: spec.command.args, cwd, env };
}
