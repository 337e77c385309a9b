import { basename, isAbsolute, resolve } from 'node:path';
import type { CommandPolicy } from '../../../shared/isolation';
import type { ErrorCode } from '../../../shared/errors';
import type { JobCommand } from '../../../shared/jobSpec';
import { EngineError } from '../engineError';
import type { ExecState, Launch } from './policy/launch';
import { busyboxApplet, classify, launchesOf, SHELLS } from './policy/launchers';
import { execFormat, findProgram, identify } from './policy/programFiles';
import { allowingRule, denyingRule, describeRuleFile, impersonatedRule, namesOf, resolvePolicy, type ResolvedPolicy } from './policy/programRules';

export const POLICY_ERROR_CODE: ErrorCode = 'POLICY_DENIED';

/** Launchers inside launchers inside scripts…: deeper than this is refused rather than followed. */
const MAX_DEPTH = 12;

export interface PolicyVerdict {
  /** The names and paths the job's own program was matched on. */
  matchedOn: string[];
  warnings: string[];
}

export interface PolicyContext {
  /** The PATH the policy's program names are looked up in: the operator's (userEnvironment's), not the job's. */
  searchPath: string;
  /** The environment and working directory the job starts with: what its launchers look names up with. */
  env: Readonly<Record<string, string>>;
  cwd: string;
}

const refuse = (message: string) => new EngineError(POLICY_ERROR_CODE, `command policy: ${message}`, 'command');

/** Who runs a program, nearest first: "timeout, via env". */
const runBy = (via: readonly string[]) => (via.length === 0 ? '' : `, run by ${via.join(', via ')},`);

/**
 * Follows a job's exec chain through every program that runs another one named on its
 * command line or in its "#!" line, and checks each program on the way.
 */
class PolicyWalk {
  readonly warnings = new Set<string>();

  constructor(private readonly policy: ResolvedPolicy) {}

  /** Refuses the file unless the policy lets it run: what, e.g. "program /usr/bin/rm". */
  checkFile(file: string, what: string, shellHint = false): string[] {
    const id = identify(file);
    const names = namesOf(file, id);
    const denied = denyingRule(this.policy, names, id);
    if (denied) throw refuse(`${what} is denied by the rule "${denied.rule}"`);
    if (this.policy.allow.length === 0 || allowingRule(this.policy, id)) return names;
    const posing = impersonatedRule(this.policy, names);
    if (posing) {
      throw refuse(
        `${what} is not the "${posing.rule}" the allowlist means (${describeRuleFile(posing, this.policy.searchPath)}): same name, different file (a copy or a link elsewhere)`,
      );
    }
    const hint = shellHint ? '; shell-string jobs need the shell itself (e.g. "sh") in the allowlist' : '';
    throw refuse(`${what} is not in the allowlist (${this.policy.allow.map((r) => r.rule).join(', ')})${hint}`);
  }

  /** A shell runs whatever its script says: under a deny list, only if the operator allows shell jobs. */
  shellRule(description: string, warning: string): void {
    if (this.policy.deny.length > 0 && !this.policy.allowShellJobs) {
      throw refuse(
        `${description}, and shells are refused while a deny list is in force: a shell runs whatever its script says, denied programs included. To run shell jobs anyway, allow them in Settings (Command policy)`,
      );
    }
    this.warnings.add(warning);
  }

  exec(file: string, invokedAs: string, args: readonly string[], state: ExecState, via: readonly string[], depth: number): string[] {
    if (depth > MAX_DEPTH) throw refuse(`${file}${runBy(via)} is nested in more than ${MAX_DEPTH} launchers and scripts; such chains are not followed`);
    const what = via.length === 0 ? `program ${file}` : `${file}${runBy(via)}`;
    const names = this.checkFile(file, what);
    const format = execFormat(file);
    if (format.kind === 'script') {
      const interpreter = isAbsolute(format.interpreter) ? format.interpreter : state.cwd === undefined ? undefined : resolve(state.cwd, format.interpreter);
      if (interpreter === undefined || identify(interpreter) === undefined) {
        throw refuse(`cannot tell what ${file}${runBy(via)} would run: its "#!" line names ${format.interpreter}, which is not there`);
      }
      const interpreterArgs = [...(format.arg === undefined ? [] : [format.arg]), invokedAs, ...args];
      this.exec(interpreter, format.interpreter, interpreterArgs, state, [`the script ${basename(file)}`, ...via], depth + 1);
      return names;
    }
    if (format.kind === 'no-magic') {
      this.shellFile('/bin/sh', state, `${what} has no "#!" line, so /bin/sh runs it as a script`, via, depth);
      return names;
    }
    const kind = classify(identify(file) ?? { dev: -1, ino: -1, realPath: file }, invokedAs);
    const self = basename(invokedAs);
    if (kind.kind === 'shell') {
      this.shellRule(`${what} is a shell`, `${self} is a shell: the command policy checks the shell, not the commands it runs`);
    } else if (kind.kind === 'multi-call') {
      for (const launch of busyboxApplet(invokedAs, args, state)) this.follow(launch, file, [self, ...via], depth);
    } else if (kind.kind === 'launcher') {
      for (const launch of launchesOf(kind.name, args, state)) this.follow(launch, file, [self, ...via], depth);
    } else if (kind.kind === 'interpreter') {
      this.warnings.add(`${self} runs other programs: the command policy checks ${self} itself, not what its arguments make it run`);
    }
    return names;
  }

  /** A shell a launcher starts, by name or path: checked as a program, then as a shell. */
  private shellFile(shell: string, state: ExecState, description: string, via: readonly string[], depth: number): void {
    if (depth > MAX_DEPTH) throw refuse(`${description}, nested in more than ${MAX_DEPTH} launchers`);
    const file = findProgram(shell, state.env.PATH, state.cwd);
    if (file !== undefined) this.checkFile(file, `the shell ${file}${runBy(via)}`);
    else if (this.policy.allow.length > 0) throw refuse(`${description}, and that shell (${shell}) cannot be found to check it against the allowlist`);
    this.shellRule(description, `${description}: the command policy checks the shell, not the commands it runs`);
  }

  private follow(launch: Launch, launcherFile: string, via: readonly string[], depth: number): void {
    const launcher = via[0] ?? basename(launcherFile);
    if (launch.kind === 'unknown') {
      throw refuse(`cannot tell what ${launcher} (${launcherFile}) would run: ${launch.reason}. Such commands are refused while a command policy is in force`);
    }
    if (launch.kind === 'shell') {
      this.shellFile(launch.shell ?? '/bin/sh', launch.state, `${launcher} starts a shell (${launch.how})`, via, depth + 1);
      return;
    }
    if (launch.kind === 'applet') {
      const names = [launch.name];
      const denied = denyingRule(this.policy, names, undefined);
      if (denied) throw refuse(`the ${launch.name} built into ${launcherFile}${runBy(via)} is denied by the rule "${denied.rule}"`);
      if (SHELLS.has(launch.name)) {
        this.shellRule(`${launcherFile} runs its built-in shell ${launch.name}`, `${launch.name} (built into ${basename(launcherFile)}) is a shell: the command policy checks the shell, not the commands it runs`);
        return;
      }
      // `busybox busybox sh`: the applet may be the multi-call binary itself.
      const inner = launch.name === 'busybox' ? busyboxApplet('busybox', launch.args, launch.state) : launchesOf(launch.name, launch.args, launch.state);
      if (depth + 1 > MAX_DEPTH) throw refuse(`${launcherFile}${runBy(via)} nests its applets more than ${MAX_DEPTH} deep; such chains are not followed`);
      for (const next of inner) this.follow(next, launcherFile, [launch.name, ...via], depth + 1);
      return;
    }
    const [name] = launch.argv;
    const paths = launch.searchPaths ?? [launch.state.env.PATH];
    const files = [...new Set(paths.map((path) => findProgram(name!, path, launch.state.cwd)).filter((f): f is string => f !== undefined))];
    if (files.length === 0) {
      throw refuse(`cannot tell what ${launcher} (${launcherFile}) would run: ${name} is not a program it can find (PATH=${launch.state.env.PATH ?? 'unset'})`);
    }
    for (const file of files) this.exec(file, name!, launch.argv.slice(1), launch.state, via, depth + 1);
  }
}

/**
 * Checks what a job will run against the operator's policy, before spawning (the program
 * resolved through PATH, before any wrapper the engine adds). A deny rule wins over an allow
 * rule; with a non-empty allowlist a program must be one of the files its rules resolve to
 * (a name looked up in the operator's PATH, a path as it is; same device and inode), so a
 * copy or link named like an allowed program is refused. Programs that run another program
 * named on their command line (env, nohup, timeout, nice, sudo, busybox… see
 * policy/launcherTable.ts) and scripts ("#!") are followed, and each program on the way is
 * checked; one whose command cannot be told is refused. A shell (a shell-string job, or any
 * program that starts one) can run anything: with a deny list in force it is refused unless
 * the operator allows shell jobs; otherwise only the shell itself is checked, with a warning.
 */
export function checkCommandPolicy(policy: CommandPolicy, command: JobCommand, resolvedFile: string, ctx: PolicyContext): PolicyVerdict {
  const walk = new PolicyWalk(resolvePolicy(policy, ctx.searchPath));
  const state: ExecState = { env: ctx.env, cwd: ctx.cwd };
  let matchedOn: string[];
  if (command.kind === 'shell') {
    matchedOn = walk.checkFile(resolvedFile, `the shell ${resolvedFile} (shell-string job)`, true);
    walk.shellRule('this is a shell-string job', `shell-string job: only the shell (${resolvedFile}) is checked against the command policy, not the commands its script runs`);
  } else {
    matchedOn = walk.exec(resolvedFile, resolvedFile, command.args, state, [], 0);
  }
  return { matchedOn, warnings: [...walk.warnings] };
}
