import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Per-user data directory, following the XDG base directory spec. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(home, '.local', 'share');
  return join(base, 'procdeck');
}

/**
 * The one rule every host and the CLI follow to find the data directory (and so each other):
 * the `--data-dir` given, else PROCDECK_DATA_DIR, else the XDG default. Always absolute.
 */
export function resolveDataDir(given: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(given || env.PROCDECK_DATA_DIR || defaultDataDir(env));
}
