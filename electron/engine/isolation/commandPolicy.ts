import { realpathSync } from 'node:fs';
import { basename } from 'node:path';
import type { CommandPolicy } from '../../../shared/isolation';
import type { ErrorCode } from '../../../shared/errors';
import type { JobCommand } from '../../../shared/jobSpec';
import { EngineError } from '../engineError';

/** Switch to 'POLICY_DENIED' once shared/errors.ts has it. */
export const POLICY_ERROR_CODE: ErrorCode = 'POLICY_DENIED';

// Programs that run other programs named in their arguments or input: allowing one of them
// allows, in effect, whatever it is told to run. Only a warning: they are often what jobs are.
const RUNS_OTHERS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'fish', 'busybox', 'env', 'xargs', 'find', 'nohup', 'timeout', 'sudo', 'su', 'python', 'python3', 'perl', 'ruby', 'node', 'php', 'tclsh', 'lua', 'awk', 'gawk']);

export interface PolicyVerdict {
  /** The names and paths the program was matched on. */
  matchedOn: string[];
  warnings: string[];
}

/** The resolved path, what its symlinks lead to, and both file names: a rule may name any of them. */
function identities(file: string): string[] {
  let real = file;
  try {
    real = realpathSync(file);
  } catch {
    // gone meanwhile: spawning will say so
  }
  return [...new Set([file, real, basename(file), basename(real)])];
}

function matches(rule: string, names: readonly string[]): boolean {
  return rule.startsWith('/') ? names.some((n) => n.startsWith('/') && n === rule) : names.some((n) => !n.startsWith('/') && n === rule);
}

const isInterpreter = (names: readonly string[]) => names.some((n) => !n.startsWith('/') && (RUNS_OTHERS.has(n) || /^python\d/.test(n)));

/**
 * Checks the program that will be exec'd (resolved through PATH, before any wrapper the
 * engine adds) against the operator's policy. A deny rule wins over an allow rule; with a
 * non-empty allowlist a program must match one of its rules. Matching is on the resolved
 * path, its symlink target and their file names, never on a substring of the command line.
 * A shell-string job runs /bin/sh, so only the shell is checked: the script's commands are
 * not, and the verdict says so.
 */
export function checkCommandPolicy(policy: CommandPolicy, command: JobCommand, resolvedFile: string): PolicyVerdict {
  const names = identities(resolvedFile);
  const warnings: string[] = [];
  const what = command.kind === 'shell' ? `the shell ${resolvedFile} (shell-string job)` : `program ${resolvedFile}`;
  const denied = policy.deny.find((rule) => matches(rule, names));
  if (denied !== undefined) {
    throw new EngineError(POLICY_ERROR_CODE, `command policy: ${what} is denied by the rule "${denied}"`, 'command');
  }
  if (policy.allow.length > 0 && !policy.allow.some((rule) => matches(rule, names))) {
    const hint = command.kind === 'shell' ? '; shell-string jobs need the shell itself (e.g. "sh") in the allowlist' : '';
    throw new EngineError(POLICY_ERROR_CODE, `command policy: ${what} is not in the allowlist (${policy.allow.join(', ')})${hint}`, 'command');
  }
  const restricted = policy.allow.length > 0 || policy.deny.length > 0;
  if (restricted && command.kind === 'shell') {
    warnings.push(`shell-string job: only the shell (${resolvedFile}) is checked against the command policy, not the commands its script runs`);
  } else if (restricted && isInterpreter(names)) {
    warnings.push(`${basename(resolvedFile)} runs other programs: the command policy checks ${basename(resolvedFile)} itself, not what its arguments make it run`);
  }
  return { matchedOn: names, warnings };
}
