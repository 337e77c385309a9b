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
