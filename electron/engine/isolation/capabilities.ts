import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** cgroup v1: one hierarchy per controller; our parent cgroup in each (undefined: not usable). */
export interface CgroupV1 {
  version: 1;
  memory?: string;
  pids?: string;
  /** memory.memsw.* exists: swap can be capped too (swap accounting is on). */
  memsw: boolean;
}

/** cgroup v2: one unified hierarchy; our parent cgroup has memory and pids enabled for its children. */
export interface CgroupV2 {
  version: 2;
  base: string;
}

/**
 * Where every run gets a cgroup of its own, whatever its isolation level, so that none of its
 * processes can leave the run's tracking (setsid, double fork, a new process group): the
 * kernel puts every child in its parent's cgroup and only root can move it out.
 * v2: one directory per run (the same as the limits' on a pure v2 machine); `kill` says
 * cgroup.kill exists (Linux 5.14+). v1: a hierarchy that needs no limit to be set: the
 * freezer (which also makes a kill race-free), else pids, else a named hierarchy of our own.
 */
export type TrackingCgroup = (
  | { version: 2; base: string; kill: boolean }
  | { version: 1; base: string; hierarchy: 'freezer' | 'pids' | typeof NAMED_HIERARCHY }
) & {
  /**
   * The engine's own cgroup in this hierarchy (from /proc/self/cgroup), where it goes back to
   * after a run without limits was born in its tracking cgroup (cgroupBirth.ts). Unset where
   * the runs' cgroups account memory (v2 with the limits' controllers): the pages the engine
   * touches while it is inside would be charged to the run's cgroup and outlive its removal.
   */
  bornFrom?: string;
};

/** The option of the named v1 hierarchy Procdeck mounts where no other can track runs. */
export const NAMED_HIERARCHY = 'name=procdeck';
/** Where that hierarchy is mounted when the machine has none of it yet. */
export const NAMED_HIERARCHY_MOUNT = '/run/procdeck/cgroup';

/** What this machine offers for isolation, probed once (see capabilities()). */
export interface Capabilities {
  root: boolean;
  uid: number;
  gid: number;
  cgroup?: CgroupV1 | CgroupV2;
  /** Why cgroups cannot be used, for the UI. */
  cgroupProblem?: string;
  /** The per-run tracking cgroup's parent; undefined: runs are tracked by their environment marker. */
  tracking?: TrackingCgroup;
  /** Why no tracking cgroup can be made (the marker fallback is then in force). */
  trackingProblem?: string;
  prlimit?: string;
  setpriv?: string;
  env?: string;
  /** env(1) supports --ignore-signal/--default-signal (coreutils ≥ 8.31). */
  envSignals: boolean;
  bwrap?: string;
  /** Why bwrap cannot be used (missing, or it failed a trial run). */
  bwrapProblem?: string;
}

export interface ProbeOptions {
  mountsText?: string;
  selfCgroupText?: string;
  uid?: number;
  gid?: number;
  /** Skip the trial runs of env and bwrap (unit tests of the cgroup probe). */
  skipTrials?: boolean;
  /**
   * Where to mount the named tracking hierarchy if no other hierarchy can track runs; false:
   * never mount. Default: NAMED_HIERARCHY_MOUNT when probing the real machine, false when
   * mountsText is given (a test's fake tree must not mount anything).
   */
  namedMount?: string | false;
}

const SYSTEM_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'];

export function findBinary(name: string): string | undefined {
  const dirs = [...SYSTEM_DIRS, ...(process.env.PATH ?? '').split(delimiter).filter((d) => d.startsWith('/'))];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

interface Mount {
  point: string;
  type: string;
  options: string[];
}

// /proc/self/mounts escapes spaces and tabs in paths as octal (\040).
const unescapeMount = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));

export function parseMounts(text: string): Mount[] {
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f.length >= 4)
    .map(([, point, type, options]) => ({ point: unescapeMount(point!), type: type!, options: options!.split(',') }));
}

/** Our own cgroup path per v1 controller ("memory" → "/a/b") and for v2 (key ""). */
export function parseSelfCgroup(text: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    for (const controller of match[1]!.split(',')) paths.set(controller, match[2]!);
  }
  return paths;
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

function probeV2(mount: Mount): CgroupV2 | string {
  const controllers = readOr(join(mount.point, 'cgroup.controllers'), '').trim().split(/\s+/);
  const missing = ['memory', 'pids'].filter((c) => !controllers.includes(c));
  if (missing.length > 0) return `cgroup v2 at ${mount.point} lacks the ${missing.join(' and ')} controller`;
  // Children of the root may have controllers only once the root's subtree_control enables
  // them; the same again for our own "procdeck" parent. Only the root cgroup may both hold
  // processes and hand controllers down, so the parent lives at the root, not under our own cgroup.
  const base = join(mount.point, 'procdeck');
  try {
    writeFileSync(join(mount.point, 'cgroup.subtree_control'), '+memory +pids');
    mkdirSync(base, { recursive: true });
    writeFileSync(join(base, 'cgroup.subtree_control'), '+memory +pids');
  } catch (error) {
    return `cannot set up ${base} (${(error as NodeJS.ErrnoException).code ?? String(error)}); cgroups need Procdeck to run as root`;
  }
  return { version: 2, base };
}

function probeV1(mounts: Mount[], selfPaths: Map<string, string>): CgroupV1 | string {
  const result: CgroupV1 = { version: 1, memsw: false };
  const problems: string[] = [];
  for (const controller of ['memory', 'pids'] as const) {
    const mount = mounts.find((m) => m.type === 'cgroup' && m.options.includes(controller));
    if (!mount) {
      problems.push(`no ${controller} cgroup hierarchy is mounted`);
      continue;
    }
    // Nest under the cgroup we already run in: a job must not escape the limits Procdeck itself
    // is under (a systemd unit's MemoryMax, a container's cap).
    const base = join(mount.point, selfPaths.get(controller) ?? '/', 'procdeck');
    try {
      mkdirSync(base, { recursive: true });
      result[controller] = base;
    } catch (error) {
      problems.push(`cannot create ${base} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  if (result.memory) {
    try {
      accessSync(join(result.memory, 'memory.memsw.limit_in_bytes'));
      result.memsw = true;
    } catch {
      // swap accounting off (swapaccount=0): swap is not capped
    }
  }
  if (!result.memory && !result.pids) return `cgroup v1: ${problems.join('; ')}`;
  return result;
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

function makeBase(base: string): string | undefined {
  try {
    mkdirSync(base, { recursive: true });
    return undefined;
  } catch (error) {
    return `cannot create ${base} (${errorCode(error)})`;
  }
}

/** Mounts our own named v1 hierarchy (no controller: membership only). Returns its mount point or a problem. */
function mountNamedHierarchy(point: string): { point: string } | string {
  try {
    mkdirSync(point, { recursive: true, mode: 0o755 });
  } catch (error) {
    return `cannot create ${point} (${errorCode(error)})`;
  }
  const mount = findBinary('mount');
  if (!mount) return 'mount(8) is not installed';
  const result = spawnSync(mount, ['-t', 'cgroup', '-o', `none,${NAMED_HIERARCHY}`, 'procdeck', point], { encoding: 'utf8', timeout: 5000 });
  if (result.status !== 0) return `cannot mount a ${NAMED_HIERARCHY} hierarchy at ${point}: ${(result.stderr || result.error?.message || `exit ${result.status}`).trim()}`;
  return { point };
}

/**
 * The tracking cgroup's parent: v2 wherever a cgroup2 hierarchy is mounted (on a hybrid
 * machine too: cgroup.procs, cgroup.kill and cgroup.freeze need no controller), else a v1
 * hierarchy, nested under our own cgroup like the limits' parents.
 */
function probeTracking(mounts: Mount[], selfPaths: Map<string, string>, limits: CgroupV1 | CgroupV2 | undefined, namedMount: string | false): TrackingCgroup | string {
  const hasKill = (base: string) => existsSync(join(base, 'cgroup.kill'));
  // On pure v2 the runs' tracking cgroup is their limits' cgroup, memory accounted: no bornFrom.
  if (limits?.version === 2) return { version: 2, base: limits.base, kill: hasKill(limits.base) };
  const problems: string[] = [];
  const v2Mount = mounts.find((m) => m.type === 'cgroup2');
  if (v2Mount) {
    const base = join(v2Mount.point, selfPaths.get('') ?? '/', 'procdeck');
    const problem = makeBase(base);
    if (!problem) return { version: 2, base, kill: hasKill(base), bornFrom: dirname(base) };
    problems.push(problem);
  }
  for (const hierarchy of ['freezer', 'pids'] as const) {
    if (hierarchy === 'pids' && limits?.pids) return { version: 1, base: limits.pids, hierarchy, bornFrom: dirname(limits.pids) };
    const mount = mounts.find((m) => m.type === 'cgroup' && m.options.includes(hierarchy));
    if (!mount) continue;
    const base = join(mount.point, selfPaths.get(hierarchy) ?? '/', 'procdeck');
    const problem = makeBase(base);
    if (!problem) return { version: 1, base, hierarchy, bornFrom: dirname(base) };
    problems.push(problem);
  }
  let named = mounts.find((m) => m.type === 'cgroup' && m.options.includes(NAMED_HIERARCHY));
  if (!named && namedMount !== false) {
    const mounted = mountNamedHierarchy(namedMount);
    if (typeof mounted === 'string') problems.push(mounted);
    else named = { point: mounted.point, type: 'cgroup', options: [NAMED_HIERARCHY] };
  }
  if (named) {
    // A hierarchy mounted just now holds every process at its root.
    const base = join(named.point, selfPaths.get(NAMED_HIERARCHY) ?? '/', 'procdeck');
    const problem = makeBase(base);
    if (!problem) return { version: 1, base, hierarchy: NAMED_HIERARCHY, bornFrom: dirname(base) };
    problems.push(problem);
  }
  if (problems.length === 0) problems.push('no cgroup hierarchy is mounted');
  return `no per-run tracking cgroup: ${problems.join('; ')}; runs are tracked by their environment marker instead`;
}

export function probeCapabilities(options: ProbeOptions = {}): Capabilities {
  const uid = options.uid ?? process.getuid?.() ?? -1;
  const gid = options.gid ?? process.getgid?.() ?? -1;
  const caps: Capabilities = { root: uid === 0, uid, gid, envSignals: false };
  const mounts = parseMounts(options.mountsText ?? readOr('/proc/self/mounts', ''));
  const selfPaths = parseSelfCgroup(options.selfCgroupText ?? readOr('/proc/self/cgroup', ''));

  const v2Mount = mounts.find((m) => m.type === 'cgroup2');
  const v2 = v2Mount ? probeV2(v2Mount) : 'no cgroup v2 hierarchy is mounted';
  if (typeof v2 !== 'string') caps.cgroup = v2;
  else {
    // Hybrid machines mount v2 beside v1 (often without controllers): fall back to v1.
    const v1 = probeV1(mounts, selfPaths);
    if (typeof v1 !== 'string') caps.cgroup = v1;
    else caps.cgroupProblem = `${v2}; ${v1}`;
  }
  const namedMount = options.namedMount ?? (options.mountsText === undefined && caps.root ? NAMED_HIERARCHY_MOUNT : false);
  const tracking = probeTracking(mounts, selfPaths, caps.cgroup, namedMount);
  if (typeof tracking === 'string') caps.trackingProblem = tracking;
  else caps.tracking = tracking;

  caps.prlimit = findBinary('prlimit');
  caps.setpriv = findBinary('setpriv');
  caps.env = findBinary('env');
  caps.bwrap = findBinary('bwrap');
  if (!caps.bwrap) caps.bwrapProblem = 'bubblewrap (bwrap) is not installed';
  if (options.skipTrials) return caps;

  if (caps.env) caps.envSignals = spawnSync(caps.env, ['--ignore-signal=HUP', '--default-signal=TERM', 'true']).status === 0;
  if (caps.bwrap) {
    // Installed is not enough: without user namespaces (non-root) bwrap cannot create its sandbox.
    const trial = spawnSync(caps.bwrap, ['--unshare-pid', '--unshare-net', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '--', 'true'], {
      encoding: 'utf8',
      timeout: 5000,
    });
    if (trial.status !== 0) {
      caps.bwrapProblem = `bubblewrap cannot create a sandbox here: ${(trial.stderr || trial.error?.message || `exit ${trial.status}`).trim()}`;
      caps.bwrap = undefined;
    }
  }
  return caps;
}

let cached: Capabilities | undefined;

/** Probed once per engine process; pass refresh after installing bwrap, say. */
export function capabilities(refresh = false): Capabilities {
  if (refresh || !cached) cached = probeCapabilities();
  return cached;
}
