import { statSync } from 'node:fs';
import { join } from 'node:path';
import { isolationSpecSchema, type CommandPolicy, type IsolationReport, type IsolationSpec, type RunAs } from '../../../shared/isolation';
import type { JobCommand } from '../../../shared/jobSpec';
import { EngineError } from '../engineError';
import { resolveProgram, type LaunchPlan } from '../supervisor/launchPlan';
import { capabilities, type Capabilities } from './capabilities';
import { cleanEnvironment } from './cleanEnv';
import { checkCommandPolicy } from './commandPolicy';
import { describeLimits } from './describeLimits';
import { chooseMechanisms, type Mechanisms } from './mechanisms';
import { effectiveTimeoutMs, isUnlimited, resolveLimits, type ResolvedLimits } from './presets';
import { checkCanRunAs, nobodyUser, resolveUser, type AccountFiles, type ResolvedUser } from './runAs';
import { checkVisibleInSandbox, requireSandbox, sandboxHides, type SandboxOptions } from './sandbox';

export interface IsolationRequest {
  /** From planLaunch: the job's own program, resolved, before nice/taskset wrap it. */
  plan: LaunchPlan;
  command: JobCommand;
  /** The job's own variables (spec.env.set): kept in a cleaned environment. */
  envSet: Readonly<Record<string, string>>;
  isolation?: IsolationSpec;
  policy?: CommandPolicy;
  runAs?: RunAs;
  /** The job's own timeout (spec.timeoutMs). */
  timeoutMs?: number;
  /** The engine's data dir: private dirs live in <dataDir>/sandbox/<jobId>; the sandbox hides it. */
  dataDir: string;
  jobId: string;
  caps?: Capabilities;
  /** The environment jobs start from (userEnvironment); its PATH resolves the policy's program names. */
  baseEnv?: NodeJS.ProcessEnv;
  accounts?: AccountFiles;
}

/** Everything decided before spawning; pure checks, no side effects (safe for preflight). */
export interface Preparation {
  /** The job's command with the environment, working directory and program the isolation dictates. */
  plan: LaunchPlan;
  limits: ResolvedLimits;
  report: IsolationReport;
  /** The wall-clock timeout in force (the stricter of the job's and the limit). */
  timeoutMs?: number;
  timeoutFromLimit: boolean;
  /** Nothing to apply: wrap() returns the plan unchanged. */
  passthrough: boolean;
  caps?: Capabilities;
  mechanisms: Mechanisms;
  /** The user to switch to, if any. */
  user?: ResolvedUser;
  /** Made at launch (Maximum, or cwd "private"). */
  privateDir?: string;
  sandbox?: SandboxOptions;
}

// Parsed at the first start without an isolation spec, not at import (its schemas are lazy: shared/lazySchema.ts).
let noIsolation: IsolationSpec | undefined;

function checkDirectory(path: string): void {
  let ok = false;
  try {
    ok = statSync(path).isDirectory();
  } catch {
    // reported below
  }
  if (!ok) throw new EngineError('CWD_NOT_FOUND', `working directory ${path} (fixed by the isolation settings) does not exist`, 'isolation.overrides.cwd');
}

function environment(req: IsolationRequest, limits: ResolvedLimits, user: ResolvedUser | undefined, privateDir: string | undefined): Record<string, string> {
  const base = req.baseEnv ?? process.env;
  const home = limits.sandbox ? privateDir : user?.home;
  if (limits.cleanEnv) return cleanEnvironment(base, req.envSet, home);
  const env = { ...req.plan.env };
  // A switched user keeps root's HOME otherwise, and tools would write into it.
  if (home !== undefined && req.envSet.HOME === undefined) env.HOME = home;
  return env;
}

/**
 * Resolves a job's isolation into a concrete launch: the limits in force, the user, the
 * environment and program (re-resolved through the cleaned PATH), the command-policy
 * verdict, and what backs each limit here. Throws an EngineError naming what cannot be done
 * (Maximum without bubblewrap, run-as without root, a denied program); never weakens a level.
 */
export function prepareIsolation(req: IsolationRequest): Preparation {
  const limits = resolveLimits(req.isolation ?? (noIsolation ??= isolationSpecSchema.parse({})));
  const policy = req.policy;
  const restricted = policy !== undefined && (policy.allow.length > 0 || policy.deny.length > 0);
  if (isUnlimited(limits) && !restricted && req.runAs === undefined) {
    const report: IsolationReport = { level: limits.level, limits: [], warnings: [] };
    return { plan: req.plan, limits, report, timeoutMs: req.timeoutMs, timeoutFromLimit: false, passthrough: true, mechanisms: { rlimits: [] } };
  }
  const caps = req.caps ?? capabilities();
  let user: ResolvedUser | undefined;
  let defaultUser = false;
  if (req.runAs !== undefined) {
    user = resolveUser(req.runAs, req.accounts);
    checkCanRunAs(user, caps);
    if (user.uid === caps.uid && user.gid === caps.gid) user = undefined;
  } else if (limits.sandbox && caps.root) {
    // Root in the sandbox could still read root-only files (/etc/shadow) through the read-only view.
    user = nobodyUser(req.accounts);
    defaultUser = true;
    checkCanRunAs(user, caps);
  }
  if (limits.sandbox) requireSandbox(caps);

  const privateDir = limits.sandbox || limits.cwd === 'private' ? join(req.dataDir, 'sandbox', req.jobId) : undefined;
  const fixedCwd = limits.cwd === 'private' ? privateDir : limits.cwd;
  if (fixedCwd !== undefined && fixedCwd !== privateDir) checkDirectory(fixedCwd);
  const cwd = fixedCwd ?? req.plan.cwd;
  const env = environment(req, limits, user, privateDir);

  // A cleaned PATH may find another program, or none: resolve again with the PATH the job gets.
  let file = req.plan.file;
  if (req.command.kind === 'argv' && !req.command.program.includes('/') && env.PATH !== req.plan.env.PATH) {
    file = resolveProgram(req.command.program, cwd, env.PATH);
  }
  const searchPath = (req.baseEnv ?? process.env).PATH ?? '';
  const warnings = restricted ? checkCommandPolicy(policy, req.command, file, { searchPath, env, cwd }).warnings : [];

  let sandbox: SandboxOptions | undefined;
  if (limits.sandbox) {
    const writable = [privateDir!, ...(fixedCwd !== undefined && fixedCwd !== privateDir ? [fixedCwd] : [])];
    sandbox = { writable, cwd, hide: sandboxHides(privateDir!, [req.dataDir]), dropCapabilities: caps.root && user === undefined };
    checkVisibleInSandbox(file, sandbox);
    if (fixedCwd === undefined) checkVisibleInSandbox(cwd, sandbox);
  }

  const mechanisms = chooseMechanisms(limits, caps);
  if (mechanisms.rlimits.length > 0 && !caps.prlimit) {
    throw new EngineError('UNSUPPORTED', 'resource limits need prlimit (util-linux), which is not installed', 'isolation');
  }
  const timeoutMs = effectiveTimeoutMs(req.timeoutMs, limits);
  const report: IsolationReport = { level: limits.level, limits: describeLimits(limits, caps, { user, defaultUser, mechanisms }), warnings };
  return {
    plan: { file, args: req.plan.args, cwd, env },
    limits,
    report,
    timeoutMs,
    timeoutFromLimit: limits.wallClockMs !== undefined && timeoutMs === limits.wallClockMs && timeoutMs !== req.timeoutMs,
    passthrough: false,
    caps,
    mechanisms,
    user,
    privateDir,
    sandbox,
  };
}
