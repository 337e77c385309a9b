import { basename, delimiter, join } from 'node:path';
import type { CommandPolicy } from '../../../../shared/isolation';
import { EngineError } from '../../engineError';
import { findProgram, identify, sameFile, type FileIdentity } from './programFiles';

/** A rule and the files it means now (see resolvePolicy). */
export interface ResolvedRule {
  rule: string;
  files: FileIdentity[];
}

export interface ResolvedPolicy {
  allow: ResolvedRule[];
  deny: ResolvedRule[];
  allowShellJobs: boolean;
  /** The PATH names were looked up in, for messages. */
  searchPath: string;
}

const isPath = (rule: string) => rule.startsWith('/');

/** The file a rule means: for a name, the first match in PATH, what `command -v` would say in the operator's shell. */
export function resolveRule(rule: string, searchPath: string): FileIdentity | undefined {
  const path = isPath(rule) ? rule : findProgram(rule, searchPath, undefined);
  return path === undefined ? undefined : identify(path);
}

const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Every file a deny rule's name may mean: the program of that name in each PATH directory and system directory. */
function everyFileNamed(rule: string, searchPath: string): FileIdentity[] {
  if (isPath(rule)) return [identify(rule)].filter((f) => f !== undefined);
  const dirs = [...new Set([...searchPath.split(delimiter).filter((d) => d.startsWith('/')), ...SYSTEM_DIRS])];
  return dirs.map((dir) => identify(join(dir, rule))).filter((f) => f !== undefined);
}

/**
 * Resolved again at every check, so rules follow the files as they are at launch. An allow
 * rule means exactly one file (a name: the first match in the operator's PATH); a deny rule
 * every file its name may mean (each PATH and system directory's), so /usr/bin/python3.11
 * is denied by "python3" even when a shim comes first in PATH.
 */
export function resolvePolicy(policy: CommandPolicy, searchPath: string): ResolvedPolicy {
  return {
    allow: policy.allow.map((rule) => ({ rule, files: [resolveRule(rule, searchPath)].filter((f) => f !== undefined) })),
    deny: policy.deny.map((rule) => ({ rule, files: everyFileNamed(rule, searchPath) })),
    allowShellJobs: policy.allowShellJobs,
    searchPath,
  };
}

const means = (rule: ResolvedRule, file: FileIdentity | undefined) => rule.files.some((f) => sameFile(f, file));

/** The file's names as rules may give them: the path it was run as, the real path, and both file names. */
export function namesOf(path: string, file: FileIdentity | undefined): string[] {
  const real = file?.realPath ?? path;
  return [...new Set([path, real, basename(path), basename(real)])];
}

/**
 * A deny rule that catches the file: by name (the file name it was run as or a link leads
 * to), by path, or by being the very file the rule resolves to (a hard link under another
 * name). A copy elsewhere under another name is a different file: a deny list is a guard rail.
 */
export function denyingRule(policy: ResolvedPolicy, names: readonly string[], file: FileIdentity | undefined): ResolvedRule | undefined {
  return policy.deny.find((r) => names.includes(r.rule) || means(r, file));
}

/** An allow rule that names exactly this file (same device and inode as what the rule resolves to). */
export function allowingRule(policy: ResolvedPolicy, file: FileIdentity | undefined): ResolvedRule | undefined {
  return policy.allow.find((r) => means(r, file));
}

/** An allow rule with the file's name or path that means another file: a copy or link posing as an allowed program. */
export function impersonatedRule(policy: ResolvedPolicy, names: readonly string[]): ResolvedRule | undefined {
  return policy.allow.find((r) => names.includes(r.rule));
}

export function describeRuleFile(rule: ResolvedRule, searchPath: string): string {
  if (rule.files.length > 0) return rule.files.map((f) => f.realPath).join(', ');
  return isPath(rule.rule) ? 'no such file' : `not found in PATH=${searchPath}`;
}

/**
 * Refuses a policy whose allowlist names a program that is not there: such an entry would
 * allow nothing, and the operator meant something by it. Deny rules may name programs that
 * are not installed (yet): they keep them out if they ever are.
 */
export function checkAllowRulesResolve(policy: CommandPolicy, searchPath: string): void {
  policy.allow.forEach((rule, index) => {
    if (resolveRule(rule, searchPath) !== undefined) return;
    const why = isPath(rule) ? 'there is no such file' : `no program of that name is in the engine's PATH (${searchPath})`;
    throw new EngineError('INVALID_REQUEST', `allowlist entry "${rule}" names no program: ${why}`, `settings.commandPolicy.allow.${index}`);
  });
}
