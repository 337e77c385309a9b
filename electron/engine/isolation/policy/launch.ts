import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { flag, has, type Grammar, type ParsedArgs } from './getopt';

/** The environment and directory a program starts with: what decides which file a name it runs resolves to. */
export interface ExecState {
  env: Readonly<Record<string, string>>;
  /** Undefined when a launcher moves to a directory that cannot be known beforehand. */
  cwd: string | undefined;
}

/**
 * What a program will run, read from its command line:
 * - program: execvp(argv[0]) with that state; `searchPaths` when the launcher looks the name
 *   up in a PATH of its own (sudo's secure_path, doas's safe path): each is checked.
 * - shell: a shell (a script string, an interactive or login shell); `shell` is its path or
 *   name when known.
 * - applet: a multi-call binary (busybox) runs one of its built-in programs by name.
 * - unknown: what it runs cannot be told from the command line; refused under a policy.
 */
export type Launch =
  | { kind: 'program'; argv: readonly string[]; state: ExecState; searchPaths?: readonly (string | undefined)[] }
  | { kind: 'shell'; shell: string | undefined; state: ExecState; how: string }
  | { kind: 'applet'; name: string; args: readonly string[]; state: ExecState }
  | { kind: 'unknown'; reason: string };

export const program = (argv: readonly string[], state: ExecState, searchPaths?: readonly (string | undefined)[]): Launch[] =>
  argv.length === 0 ? [] : [{ kind: 'program', argv, state, ...(searchPaths && { searchPaths }) }];

export const unknown = (reason: string): Launch[] => [{ kind: 'unknown', reason }];

/** The shell a program starts when told to run "a shell": $SHELL, as su, unshare, script and flock do, else /bin/sh. */
export const userShell = (state: ExecState) => ({ kind: 'shell' as const, shell: state.env.SHELL || '/bin/sh', state });

export const withEnv = (state: ExecState, env: Readonly<Record<string, string>>): ExecState => ({ ...state, env });

/** A launcher read with a getopt grammar: what it runs, given its parsed command line and the state it starts with. */
export interface GrammarLauncher {
  grammar: Grammar;
  launches(args: ParsedArgs, state: ExecState): Launch[];
}

/** util-linux's -h/--help and -V/--version; coreutils' long-only ones. Either way the program runs nothing. */
export const HELP = [flag('h', 'help'), flag('V', 'version')];
export const GNU_HELP = [flag(undefined, 'help'), flag(undefined, 'version')];
export const shows = (args: ParsedArgs) => has(args, 'help', 'version');

/** The state after a launcher changes into `dir` (relative to an unknown cwd: unknown). */
export function changeDir(state: ExecState, dir: string | undefined): ExecState {
  if (dir === undefined) return state;
  return { ...state, cwd: isAbsolute(dir) ? dir : state.cwd === undefined ? undefined : resolve(state.cwd, dir) };
}

/** A launcher that runs its command inside another root directory: only "/" itself leaves the files where they are. */
export function otherRoot(dir: string, state: ExecState, who: string): Launch[] | undefined {
  let real: string | undefined;
  try {
    real = realpathSync(isAbsolute(dir) || state.cwd === undefined ? dir : resolve(state.cwd, dir));
  } catch {
    // no such directory: the launcher fails, but say why it is refused anyway
  }
  return real === '/' ? undefined : unknown(`${who} runs its command inside another root directory (${dir}), where its name may be any file`);
}

/** A NAME=VALUE word, as env and sudo take before the command. */
export const setsEnv = (word: string) => /^[^=]+=/.test(word);
