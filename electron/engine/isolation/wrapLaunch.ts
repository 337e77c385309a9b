import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { EngineError } from '../engineError';
import type { LaunchPlan } from '../supervisor/launchPlan';
import type { ProcessEnd } from '../supervisor/spawnProcess';
import { explainEnd, normalizeSandboxEnd } from './explainEnd';
import { cgroupTracker, markerTracker, type RunTracker } from '../supervisor/runTracker';
import { RUN_MARKER_ENV, runCgroupName, runMarker, type RunIdentity } from '../supervisor/runMarker';
import { capabilities, type Capabilities } from './capabilities';
import { JobCgroup, joinPrefix, type CgroupLimits } from './jobCgroup';
import { SANDBOX_PROCESS_OVERHEAD } from './mechanisms';
import type { Preparation } from './prepareIsolation';
import { setprivArgs } from './runAs';
import type { EndCause } from '../backends/backend';
import { bwrapArgs, signalShield } from './sandbox';

/** A launch with its isolation applied, and what the supervisor needs when it ends. */
export interface IsolatedLaunch {
  plan: LaunchPlan;
  /** Sandboxed runs report a killed job as exit 128+n: turns that back into the signal. */
  normalizeEnd(end: ProcessEnd): ProcessEnd;
  /** The limit that ended the run ("memory limit 256 MiB exceeded"), or undefined. Call before cleanup resolves, or after: counters are kept. */
  explainEnd(end: ProcessEnd, ctx?: { endCause?: EndCause; elapsedMs?: number }): string | undefined;
  /** Every process of the run wherever it went: its cgroup, or its marker where there is none. */
  tracker: RunTracker;
  /** The run's live processes the tracker knows of (tracker.members()). */
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
 *   cgroup join (sh, needs the host's /sys and root; none for a run without limits: it is born
 *   in its tracking cgroup, see bornInside) → [env --ignore-signal → bwrap →
 *   env --default-signal] → prlimit (before the uid switch: raising a hard limit needs root;
 *   inside bwrap: bwrap itself needs file descriptors beyond a small nofile cap) → setpriv → job.
 * Side effects here (cgroups, the private dir); if one fails nothing is left behind.
 */
export function wrapLaunch(prep: Preparation, plan: LaunchPlan, identity: RunIdentity, machine: Capabilities = prep.caps ?? capabilities()): IsolatedLaunch {
  // Every run, at every level, carries its marker (whatever the isolation did to the
  // environment): the fallback tracking, and crash recovery's net when the registry is lost.
  const marked: LaunchPlan = { ...plan, env: { ...plan.env, [RUN_MARKER_ENV]: runMarker(identity.dataDirId, identity.runId, identity.jobId) } };
  const name = runCgroupName(identity);
  if (prep.passthrough || !prep.caps) {
    const { cgroup, problem } = trackingCgroup(name, machine);
    const tracker = track(cgroup, identity, problem ?? machine.trackingProblem);
    const argv = [...(cgroup && !cgroup.birth ? joinPrefix(cgroup.procsFiles, marked.env.PWD) : []), marked.file, ...marked.args];
    return {
      plan: { ...marked, file: argv[0]!, args: argv.slice(1), ...(cgroup?.birth && { bornInto: cgroup.birth }) },
      normalizeEnd: (end) => end,
      explainEnd: () => undefined,
      tracker,
      members: () => tracker.members(),
      cleanup: (killAfterMs) => tracker.release(killAfterMs),
    };
  }
  const { caps, limits, mechanisms } = prep;
  makePrivateDir(prep);

  const wanted: CgroupLimits = {};
  if (mechanisms.memory === 'cgroup') wanted.memoryBytes = limits.memoryBytes;
  if (mechanisms.processes === 'cgroup') wanted.processes = limits.processes! + (limits.sandbox ? SANDBOX_PROCESS_OVERHEAD : 0);
  const wantsLimit = wanted.memoryBytes !== undefined || wanted.processes !== undefined;
  // A limit is never weakened: without its cgroup the job is refused. Tracking alone falls back to the marker.
  const { cgroup, problem } = wantsLimit && caps.cgroup ? { cgroup: JobCgroup.create(name, caps.cgroup, wanted, caps.tracking), problem: undefined } : trackingCgroup(name, caps);
  const tracker = track(cgroup, identity, problem ?? caps.trackingProblem);

  const argv: string[] = [];
  if (cgroup && !cgroup.birth) argv.push(...joinPrefix(cgroup.procsFiles, marked.env.PWD));
  if (prep.sandbox) {
    const shield = signalShield(caps);
    argv.push(...shield.outside, ...bwrapArgs(caps.bwrap!, caps, prep.sandbox), ...shield.inside);
  }
  if (mechanisms.rlimits.length > 0) argv.push(caps.prlimit!, ...mechanisms.rlimits, '--');
  if (prep.user) argv.push(...setprivArgs(caps.setpriv!, prep.user));
  argv.push(marked.file, ...marked.args);

  return {
    plan: { file: argv[0]!, args: argv.slice(1), cwd: marked.cwd, env: marked.env, ...(cgroup?.birth && { bornInto: cgroup.birth }) },
    normalizeEnd: (end) => (prep.sandbox ? normalizeSandboxEnd(end) : end),
    explainEnd: (end, ctx = {}) =>
      explainEnd(end, { limits, mechanisms, counters: cgroup?.counters(), timeoutFromLimit: prep.timeoutFromLimit, ...ctx }),
    tracker,
    members: () => tracker.members(),
    cleanup: (killAfterMs) => tracker.release(killAfterMs),
  };
}

/** The tracking cgroup of a run that asks for no limit; where it cannot be made (the kernel refused), none and why. */
function trackingCgroup(name: string, caps: Capabilities): { cgroup?: JobCgroup; problem?: string } {
  if (!caps.tracking) return {};
  try {
    return { cgroup: JobCgroup.create(name, undefined, {}, caps.tracking) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** The run's cgroup when it holds every process of the run, else its marker. */
function track(cgroup: JobCgroup | undefined, identity: RunIdentity, problem: string | undefined): RunTracker {
  if (cgroup?.trackingDir) return cgroupTracker(cgroup, cgroup.trackingDir);
  const tracker = markerTracker(identity, problem);
  if (!cgroup) return tracker;
  // Limit cgroups without a tracking one (a machine whose only hierarchies are memory): the
  // marker finds the run's processes; the limit cgroups are removed at the end.
  return { ...tracker, release: async (killAfterMs) => void (await cgroup.remove(killAfterMs)) };
}
