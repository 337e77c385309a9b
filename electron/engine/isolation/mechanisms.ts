import type { Capabilities } from './capabilities';
import type { ResolvedLimits } from './presets';

export type MemoryMechanism = 'cgroup' | 'rlimit-as';
export type ProcessMechanism = 'cgroup' | 'rlimit-nproc';

/** How each limit in force is applied on this machine; one choice shared by launch and description. */
export interface Mechanisms {
  memory?: MemoryMechanism;
  processes?: ProcessMechanism;
  /** prlimit arguments (without the binary), empty when no rlimit is needed. */
  rlimits: string[];
}

function hasCgroup(caps: Capabilities, controller: 'memory' | 'pids'): boolean {
  const cgroup = caps.cgroup;
  if (!cgroup) return false;
  return cgroup.version === 2 || cgroup[controller] !== undefined;
}

/**
 * cgroups where the machine allows them (a real cap on the whole tree), else the rlimit that
 * comes closest. Memory is never capped by both: RLIMIT_AS counts address space, which
 * runtimes reserve far beyond what they use (Node, the JVM and Go reserve gigabytes), so
 * adding it under a cgroup cap would only break such jobs.
 */
export function chooseMechanisms(limits: ResolvedLimits, caps: Capabilities): Mechanisms {
  const rlimits: string[] = [];
  const chosen: Mechanisms = { rlimits };
  if (limits.memoryBytes !== undefined) {
    chosen.memory = hasCgroup(caps, 'memory') ? 'cgroup' : 'rlimit-as';
    if (chosen.memory === 'rlimit-as') rlimits.push(`--as=${limits.memoryBytes}`);
  }
  if (limits.processes !== undefined) {
    chosen.processes = hasCgroup(caps, 'pids') ? 'cgroup' : 'rlimit-nproc';
    if (chosen.processes === 'rlimit-nproc') rlimits.push(`--nproc=${limits.processes}`);
  }
  // Soft limit N, hard N+1: the kernel sends SIGXCPU at the soft limit (a job may catch it
  // and save its work) and SIGKILL at the hard one. With soft = hard it would go straight to SIGKILL.
  if (limits.cpuSeconds !== undefined) rlimits.push(`--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`);
  if (limits.openFiles !== undefined) rlimits.push(`--nofile=${limits.openFiles}`);
  return chosen;
}

/** bwrap's own two processes (the outer monitor and the namespace's init) count against pids.max. */
export const SANDBOX_PROCESS_OVERHEAD = 2;
