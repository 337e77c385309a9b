import type { LimitDescription } from '../../../shared/isolation';
import type { Capabilities } from './capabilities';
import { CLEAN_PATH } from './cleanEnv';
import { formatBytes, formatDuration } from '../../../shared/format';
import { chooseMechanisms, SANDBOX_PROCESS_OVERHEAD, type Mechanisms } from './mechanisms';
import type { ResolvedLimits } from './presets';
import type { ResolvedUser } from './runAs';

export interface DescribeContext {
  /** The user the job runs as, when it is switched. */
  user?: ResolvedUser;
  /** The user was not asked for: the sandbox's default unprivileged account. */
  defaultUser?: boolean;
  mechanisms?: Mechanisms;
}

function cgroupName(caps: Capabilities, file: string): string {
  return caps.cgroup?.version === 2 ? `cgroup v2 (${file})` : `cgroup v1 (${file})`;
}

/**
 * For each limit in force: its value, the kernel mechanism behind it on this machine, and an
 * honest note where that mechanism is weaker than the limit's name. The UI shows these.
 */
export function describeLimits(limits: ResolvedLimits, caps: Capabilities, ctx: DescribeContext = {}): LimitDescription[] {
  const m = ctx.mechanisms ?? chooseMechanisms(limits, caps);
  const out: LimitDescription[] = [];
  const asRoot = (ctx.user?.uid ?? caps.uid) === 0;
  const rlimit = (name: string) => (caps.prlimit ? `${name} via prlimit` : `${name} (prlimit missing: the job will be refused)`);

  if (limits.memoryBytes !== undefined) {
    const value = formatBytes(limits.memoryBytes);
    if (m.memory === 'cgroup') {
      const swap = caps.cgroup?.version === 2 ? 'memory.max, memory.swap.max = 0' : caps.cgroup?.version === 1 && caps.cgroup.memsw ? 'memory.limit_in_bytes + memsw' : 'memory.limit_in_bytes';
      const noSwapNote = caps.cgroup?.version === 1 && !caps.cgroup.memsw ? ' Swap accounting is off here, so swap use is not capped.' : '';
      out.push({ limit: 'memoryBytes', label: 'Memory', value, mechanism: cgroupName(caps, swap), enforced: true,
        note: `Caps the resident memory (and page cache) of the whole process tree; at the cap the kernel's OOM killer kills a process of the job.${noSwapNote}` });
    } else {
      out.push({ limit: 'memoryBytes', label: 'Memory', value, mechanism: rlimit('RLIMIT_AS'), enforced: caps.prlimit !== undefined,
        note: `No memory cgroup here (${caps.cgroupProblem ?? 'unavailable'}). RLIMIT_AS caps virtual address space, not resident memory, and per process, not per tree: runtimes that reserve address space (Node, Java, Go) may fail well below the cap, and each child gets the full amount again.` });
    }
  }
  if (limits.cpuSeconds !== undefined) {
    out.push({ limit: 'cpuSeconds', label: 'CPU time', value: formatDuration(limits.cpuSeconds * 1000), mechanism: rlimit('RLIMIT_CPU'), enforced: caps.prlimit !== undefined,
      note: 'Per process, not per tree: each process of the job may use this much CPU time. SIGXCPU at the limit, SIGKILL one second later.' });
  }
  if (limits.openFiles !== undefined) {
    out.push({ limit: 'openFiles', label: 'Open files', value: String(limits.openFiles), mechanism: rlimit('RLIMIT_NOFILE'), enforced: caps.prlimit !== undefined,
      note: 'Per process: opening one more fails with EMFILE ("Too many open files") inside the job; stdin, stdout and stderr count.' });
  }
  if (limits.processes !== undefined) {
    const value = String(limits.processes);
    if (m.processes === 'cgroup') {
      const overhead = limits.sandbox ? ` The sandbox's own ${SANDBOX_PROCESS_OVERHEAD} processes are added on top.` : '';
      out.push({ limit: 'processes', label: 'Processes', value, mechanism: cgroupName(caps, 'pids.max'), enforced: true,
        note: `Caps the whole tree; threads count as processes. A fork over the cap fails (EAGAIN) inside the job.${overhead}` });
    } else {
      out.push({ limit: 'processes', label: 'Processes', value, mechanism: rlimit('RLIMIT_NPROC'), enforced: !asRoot && caps.prlimit !== undefined,
        note: asRoot
          ? 'Not enforced: no pids cgroup here, and RLIMIT_NPROC is ignored for root.'
          : "RLIMIT_NPROC counts every process of the job's user, not just this job's: the user's other processes use up the same budget." });
    }
  }
  if (limits.wallClockMs !== undefined) {
    out.push({ limit: 'wallClockMs', label: 'Wall clock', value: formatDuration(limits.wallClockMs), mechanism: 'engine timer', enforced: true,
      note: "SIGTERM to the job's process group, SIGKILL after the grace period. The job's own timeout applies when shorter." });
  }
  if (limits.cleanEnv) {
    const home = limits.sandbox ? "the job's private directory" : ctx.user?.home ? `${ctx.user.home} (${ctx.user.label})` : "Procdeck's HOME";
    out.push({ limit: 'cleanEnv', label: 'Environment', value: 'cleaned', mechanism: `PATH=${CLEAN_PATH}, HOME, LANG only`, enforced: true,
      note: `Nothing inherited from Procdeck's environment except LANG; HOME is ${home}. Variables the job sets itself are kept.` });
  }
  if (limits.cwd !== undefined) {
    out.push({ limit: 'cwd', label: 'Working directory', value: limits.cwd === 'private' ? 'private (per job)' : limits.cwd, mechanism: 'fixed at launch', enforced: true,
      note: limits.cwd === 'private' ? 'A directory of its own under Procdeck\'s data directory, kept between runs.' : undefined });
  }
  if (limits.sandbox) {
    out.push({ limit: 'sandbox', label: 'Sandbox', value: caps.bwrap ? 'bubblewrap' : 'unavailable', mechanism: caps.bwrap ? `bwrap (${caps.bwrap})` : 'none', enforced: caps.bwrap !== undefined,
      note: caps.bwrap
        ? `Read-only system, private /tmp, /root /home /run /mnt hidden, no network (own empty network namespace), own pid namespace (sees only its own processes), dies with Procdeck. Writable: its private directory and /tmp. No seccomp filter: all system calls are allowed.${caps.envSignals ? '' : ' env(1) here cannot reset signals, so Stop kills the sandbox at once (no grace period).'}`
        : `Refused: ${caps.bwrapProblem ?? 'bwrap is not available'}. The level is never silently weakened.` });
  }
  if (limits.sandbox && caps.root && !ctx.user) {
    out.push({ limit: 'runAs', label: 'Runs as', value: 'root, without capabilities', mechanism: 'bwrap --cap-drop ALL', enforced: true,
      note: 'Root without capabilities cannot change mounts or bypass permissions, but still owns root\'s files: it can read the root-only files the sandbox shows (e.g. /etc/shadow). Prefer an unprivileged user.' });
  }
  if (ctx.user) {
    out.push({ limit: 'runAs', label: 'Runs as', value: ctx.user.label, mechanism: 'setpriv', enforced: true,
      note: ctx.defaultUser ? 'The sandbox runs jobs as nobody unless another user is chosen.' : 'Supplementary groups cleared; setuid programs (sudo, ping) gain no privileges.' });
  }
  return out;
}
