/** The PATH of a cleaned environment: system programs only, no per-user or relative entries. */
export const CLEAN_PATH = '/usr/bin:/bin';

/** Names a cleaned environment keeps; PATH is fixed, HOME may be replaced, LANG is copied. */
export const CLEAN_ENV_NAMES = ['PATH', 'HOME', 'LANG'] as const;

/**
 * A cleaned environment: PATH=/usr/bin:/bin, HOME (the run-as user's, the sandbox's private
 * dir, or the engine's), LANG (copied when set), then the variables the job sets itself:
 * those are the operator's explicit choice, unlike whatever the engine happened to inherit
 * (tokens, SSH_AUTH_SOCK, proxies...).
 */
export function cleanEnvironment(base: NodeJS.ProcessEnv, jobSets: Readonly<Record<string, string>>, home: string | undefined): Record<string, string> {
  const env: Record<string, string> = { PATH: CLEAN_PATH };
  const homeValue = home ?? base.HOME;
  if (homeValue !== undefined) env.HOME = homeValue;
  if (base.LANG !== undefined) env.LANG = base.LANG;
  return { ...env, ...jobSets };
}
