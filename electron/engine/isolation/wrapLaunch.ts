import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { EngineError } from '../engineError';
import type { LaunchPlan } from '../supervisor/launchPlan';
import type { ProcessEnd } from '../supervisor/spawnProcess';
import { explainEnd, normalizeSandboxEnd } from './explainEnd';
import { JobCgroup, joinPrefix, type CgroupLimits } from './jobCgroup';
import { SANDBOX_PROCESS_OVERHEAD } from './mechanisms';
import type { Preparation } from './prepareIsolation';
import { setprivArgs } from './runAs';
import { bwrapArgs, signalShield } from './sandbox';

/** A launch with its isolation applied, and what the supervisor needs when it ends. */
export interface IsolatedLaunch {
  plan: LaunchPlan;
  /** Sandboxed runs report a killed job as exit 128+n: turns that back into the signal. */
  normalizeEnd(end: ProcessEnd): ProcessEnd;
  /** The limit that ended the run ("memory limit 256 MiB exceeded"), or undefined. Call before cleanup resolves, or after: counters are kept. */
  explainEnd(end: ProcessEnd, ctx?: { endCause?: 'operator-stop' | 'timeout'; elapsedMs?: number }): string | undefined;
  /** Every process in the run's cgroup (including any that left its process group); empty without cgroups. */
  members(): number[];
  /** Waits for the run's cgroup to empty (SIGKILLs what is left after killAfterMs), then removes it. */
  cleanup(killAfterMs?: number): Promise<void>;
}

function makePrivateDir(prep: Preparation): void {
  const dir = prep.privateDir;
  if (dir === undefined) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    if (prep.user) chownSync(dir, prep.user.uid, prep.user.gid);
  } catch (error) {
    throw new EngineError('SYSTEM_REFUSED', `could not prepare the job's private directory ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/**
 * Applies a preparation to its plan (prep.plan; nice/taskset may then wrap the result from
 * outside: they run as root before the cgroup join, and a sandbox's bwrap, the pid the engine
 * reads nice and affinity back from, carries them). Order of the exec chain, each exec'ing
 * the next so the pid and process group stay the job's:
 *   cgroup join (sh, needs the host's /sys and root) → [env --ignore-signal → bwrap →
 *   env --default-signal] → prlimit (before the uid switch: raising a hard limit needs root;
 *   inside bwrap: bwrap itself needs file descriptors beyond a small nofile cap) → setpriv → job.
 * Side effects here (cgroups, the private dir); if one fails nothing is left behind.
 */
export function wrapLaunch(prep: Preparation, plan: LaunchPlan, runId: string): IsolatedLaunch {
  if (prep.passthrough || !prep.caps) {
    return { plan, normalizeEnd: (end) => end, explainEnd: () => undefined, members: () => [], cleanup: async () => undefined };
  }
  const { caps, limits, mechanisms } = prep;
  makePrivateDir(prep);

  const wanted: CgroupLimits = {};
  if (mechanisms.memory === 'cgroup') wanted.memoryBytes = limits.memoryBytes;
  if (mechanisms.processes === 'cgroup') wanted.processes = limits.processes! + (limits.sandbox ? SANDBOX_PROCESS_OVERHEAD : 0);
  const cgroup = caps.cgroup && (wanted.memoryBytes !== undefined || wanted.processes !== undefined) ? JobCgroup.create(runId, caps.cgroup, wanted) : undefined;

  const argv: string[] = [];
  if (cgroup) argv.push(...joinPrefix(cgroup.procsFiles));
  if (prep.sandbox) {
    const shield = signalShield(caps);
    argv.push(...shield.outside, ...bwrapArgs(caps.bwrap!, caps, prep.sandbox), ...shield.inside);
  }
  if (mechanisms.rlimits.length > 0) argv.push(caps.prlimit!, ...mechanisms.rlimits, '--');
  if (prep.user) argv.push(...setprivArgs(caps.setpriv!, prep.user));
  argv.push(plan.file, ...plan.args);

  return {
    plan: { file: argv[0]!, args: argv.slice(1), cwd: plan.cwd, env: plan.env },
    normalizeEnd: (end) => (prep.sandbox ? normalizeSandboxEnd(end) : end),
    explainEnd: (end, ctx = {}) =>
      explainEnd(end, { limits, mechanisms, counters: cgroup?.counters(), timeoutFromLimit: prep.timeoutFromLimit, ...ctx }),
    members: () => cgroup?.members() ?? [],
    cleanup: async (killAfterMs) => {
      await cgroup?.remove(killAfterMs);
    },
  };
}
