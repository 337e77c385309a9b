import type { IsolationReport, IsolationSpec, RunAs } from '../../../shared/isolation';
import { EngineError } from '../engineError';
import { capabilities, type Capabilities } from './capabilities';
import { describeLimits } from './describeLimits';
import { resolveLimits } from './presets';
import { checkCanRunAs, nobodyUser, resolveUser, type ResolvedUser } from './runAs';

/**
 * The values in force for an isolation setting and what backs each on this machine, before
 * any job exists (the launch form, the settings page). What would be refused at launch is
 * said in the warnings instead of thrown.
 */
export function describeIsolation(isolation: IsolationSpec, runAs?: RunAs, caps: Capabilities = capabilities()): IsolationReport {
  const limits = resolveLimits(isolation);
  const warnings: string[] = [];
  let user: ResolvedUser | undefined;
  let defaultUser = false;
  try {
    if (runAs !== undefined) {
      user = resolveUser(runAs);
      checkCanRunAs(user, caps);
    } else if (limits.sandbox && caps.root) {
      user = nobodyUser();
      defaultUser = true;
    }
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    warnings.push(`refused at launch: ${error.message}`);
    user = undefined;
  }
  if (limits.sandbox && !caps.bwrap) warnings.push(`refused at launch: isolation level Maximum needs bubblewrap (${caps.bwrapProblem ?? 'unavailable'})`);
  return { level: limits.level, limits: describeLimits(limits, caps, { user, defaultUser }), warnings };
}

/** One line per mechanism for a settings page: what this machine can enforce. */
export function describeMachine(caps: Capabilities = capabilities()): string[] {
  const cgroup = caps.cgroup;
  return [
    cgroup
      ? `cgroup v${cgroup.version}: memory and process caps on the whole job tree`
      : `no usable cgroups (${caps.cgroupProblem ?? 'unknown'}): memory falls back to RLIMIT_AS, processes to RLIMIT_NPROC`,
    caps.prlimit ? `prlimit: CPU time, open files (per process)` : 'prlimit missing: jobs with resource limits are refused',
    caps.bwrap ? `bubblewrap: Maximum available` : `Maximum unavailable: ${caps.bwrapProblem ?? 'no bwrap'}`,
    caps.root ? 'running as root: jobs can run as other users' : `running as uid ${caps.uid}: jobs run as this user only`,
  ];
}
