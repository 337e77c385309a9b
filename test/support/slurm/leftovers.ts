import { existsSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../wait';

/** A process's state letter, undefined once it is gone; a zombie ('Z') counts as gone. */
function liveState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' ? undefined : state;
  } catch {
    return undefined;
  }
}

const readOr = (read: () => string, fallback: string) => {
  try {
    return read();
  } catch {
    return fallback;
  }
};

export interface ClusterProcess {
  pid: number;
  comm: string;
  /** What ties it to the cluster: its cwd, its command line, its SLURM_CONF or its cgroup. */
  why: string;
}

/**
 * Every live process that belongs to the cluster in `dir`: daemons (their command line names
 * the dir), slurmstepd and jobs (SLURM_CONF in their environment, or a cwd inside the dir), and
 * whatever sits in the node's cgroups (a job that cleared its environment and left the dir).
 */
export function clusterProcesses(dir: string, cgroupDirs: readonly string[]): ClusterProcess[] {
  const inCgroups = new Set<number>();
  for (const cg of cgroupDirs) for (const pid of pidsInCgroupTree(cg)) inCgroups.add(pid);
  const confLine = `SLURM_CONF=${join(dir, 'slurm.conf')}`;
  const found: ClusterProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid || liveState(pid) === undefined) continue;
    const cwd = readOr(() => readlinkSync(`/proc/${pid}/cwd`), '');
    const cmdline = readOr(() => readFileSync(`/proc/${pid}/cmdline`, 'latin1'), '');
    const environ = readOr(() => readFileSync(`/proc/${pid}/environ`, 'latin1'), '');
    let why: string | undefined;
    if (cwd === dir || cwd.startsWith(`${dir}/`)) why = `cwd ${cwd}`;
    else if (cmdline.includes(dir)) why = 'command line';
    else if (environ.split('\0').includes(confLine)) why = 'SLURM_CONF';
    else if (inCgroups.has(pid)) why = 'cgroup';
    if (why) found.push({ pid, comm: readOr(() => readFileSync(`/proc/${pid}/comm`, 'latin1').trim(), '?'), why });
  }
  return found;
}

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

function pidsInCgroupTree(dir: string): number[] {
  const own = readOr(() => readFileSync(join(dir, 'cgroup.procs'), 'latin1'), '')
    .split('\n')
    .filter(Boolean)
    .map(Number);
  return [...own, ...subdirectories(dir).flatMap(pidsInCgroupTree)];
}

/** SIGKILLs the cluster's processes until none is left (a slurmstepd whose slurmd died ignores SIGTERM). */
export async function killClusterProcesses(dir: string, cgroupDirs: readonly string[], timeoutMs = 20_000): Promise<void> {
  await waitFor(
    () => {
      const left = clusterProcesses(dir, cgroupDirs);
      for (const p of left) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // exited meanwhile
        }
      }
      return left.length === 0;
    },
    () => `the processes of the Slurm test cluster in ${dir} to be gone: ${describeProcesses(clusterProcesses(dir, cgroupDirs))}`,
    timeoutMs,
  );
}

export const describeProcesses = (procs: readonly ClusterProcess[]) => procs.map((p) => `${p.pid} ${p.comm} (${p.why})`).join(', ');

/** Mount points of the cgroup hierarchies (v1 controllers and the v2 unified tree). */
function cgroupMounts(): string[] {
  return readFileSync('/proc/self/mounts', 'latin1')
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f[2] === 'cgroup' || f[2] === 'cgroup2')
    .map((f) => f[1]!);
}

/**
 * The cgroups slurmd made for this node. Debian's slurmd is built for several slurmd per host,
 * so under v1 its tree is `<controller>/slurm_<NodeName>`; under v2 the node name is part of
 * the scope's name. The node name is random per cluster, so matching on it never takes
 * another cluster's (or a developer's) cgroups.
 */
export function nodeCgroups(nodeName: string): string[] {
  const found: string[] = [];
  const look = (dir: string, depth: number) => {
    for (const sub of subdirectories(dir)) {
      if (sub.slice(sub.lastIndexOf('/') + 1).includes(nodeName)) found.push(sub);
      else if (depth > 0) look(sub, depth - 1);
    }
  };
  for (const mount of cgroupMounts()) look(mount, 1);
  return found;
}

/** Removes a cgroup tree bottom-up (rmdir only: a cgroup's files cannot be unlinked). */
export function removeCgroupTree(dir: string): void {
  for (const child of subdirectories(dir)) removeCgroupTree(child);
  try {
    rmdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Whether the process that wrote an owner file still runs (same pid and same start time). */
export function ownerAlive(owner: { pid: number; startTicks: string }): boolean {
  return liveState(owner.pid) !== undefined && startTicks(owner.pid) === owner.startTicks;
}

/** Field 22 of /proc/PID/stat: start time in clock ticks since boot, which tells a recycled pid apart. */
export function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Kills what is left of a cluster dir, removes its node's cgroups, then the dir; throws if anything remains. */
export async function removeCluster(dir: string, nodeName: string | undefined): Promise<void> {
  const cgroups = () => (nodeName ? nodeCgroups(nodeName) : []);
  await killClusterProcesses(dir, cgroups());
  for (const cg of cgroups()) removeCgroupTree(cg);
  // owner.json goes last: a removal cut short still leaves a dir the next start can judge and reap.
  // (Another test file's start may be reaping the same abandoned dir: it may be gone already.)
  const entries = existsSync(dir) ? readdirSync(dir) : [];
  for (const entry of entries) if (entry !== 'owner.json') rmSync(join(dir, entry), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  const left = clusterProcesses(dir, cgroups());
  const problems = [
    left.length > 0 ? `processes ${describeProcesses(left)}` : '',
    cgroups().length > 0 ? `cgroups ${cgroups().join(', ')}` : '',
    existsSync(dir) ? `dir ${dir}` : '',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`the Slurm test cluster left ${problems.join('; ')}`);
}

/** A test run that was killed leaves its cluster behind; the next start removes it. */
export async function reapAbandonedClusters(prefix: string): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(prefix)) continue;
    const dir = join(tmpdir(), name);
    let owner: { pid: number; startTicks: string } | undefined;
    try {
      owner = JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8'));
    } catch {
      owner = undefined; // half-created, or not ours to judge: leave it
    }
    if (!owner || ownerAlive(owner)) continue;
    let nodeName: string | undefined;
    try {
      nodeName = /^NodeName=(\S+)/m.exec(readFileSync(join(dir, 'slurm.conf'), 'utf8'))?.[1];
    } catch {
      nodeName = undefined; // died before writing its config: no daemon can have started
    }
    console.warn(`Slurm test cluster: removing ${dir}, abandoned by process ${owner.pid}`);
    await removeCluster(dir, nodeName);
  }
}
