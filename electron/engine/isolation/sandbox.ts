import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { EngineError } from '../engineError';
import type { Capabilities } from './capabilities';

/** Host directories a Maximum job must not see: people's files, runtime sockets, mounts. */
export const HIDDEN_DIRS = ['/root', '/home', '/run', '/mnt', '/media'];
const PRIVATE_TMP = ['/tmp', '/var/tmp', '/dev/shm'];

// Signals an operator sends to the job's group: bwrap itself has no handler for them and
// would die at once, killing the sandbox with SIGKILL and robbing the job of its grace
// period. So bwrap runs with them ignored and the job gets them back at their defaults.
const FORWARDED_SIGNALS = 'HUP,INT,QUIT,USR1,USR2,PIPE,ALRM,TERM';

export interface SandboxOptions {
  /** Directories bound read-write at the same path (the private dir, a chosen cwd). */
  writable: readonly string[];
  cwd: string;
  /** Further host directories to hide (the engine's data dir: other jobs' logs and specs). */
  hide: readonly string[];
  /** The job stays root (run as uid 0 was asked for): take its capabilities in the sandbox. */
  dropCapabilities: boolean;
}

const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

export function requireSandbox(caps: Capabilities): string {
  if (!caps.bwrap) {
    throw new EngineError('UNSUPPORTED', `isolation level Maximum needs a bubblewrap sandbox: ${caps.bwrapProblem ?? 'bwrap is not available'}; choose Enhanced or install bubblewrap`, 'isolation.level');
  }
  return caps.bwrap;
}

/** A program under a hidden or private directory does not exist inside the sandbox: say so now. */
export function checkVisibleInSandbox(file: string, options: SandboxOptions): void {
  const hidden = [...HIDDEN_DIRS, ...PRIVATE_TMP, ...options.hide].find((d) => under(file, d));
  if (hidden !== undefined && !options.writable.some((w) => under(file, w))) {
    throw new EngineError('INVALID_SPEC', `${file} is inside ${hidden}, which the Maximum sandbox hides; move the program to a system directory or the job's private directory`, 'command');
  }
}

/**
 * The bwrap command line (through "--"). Read-only view of the host's /, fresh /dev, /proc
 * (its own pid namespace: the job sees only its own processes), private /tmp, no network
 * (a new network namespace holds only its own loopback), IPC and hostname unshared.
 *
 * Not --new-session: it would setsid the job away from the process group the supervisor
 * signals, so Stop would reach only bwrap. The TIOCSTI escape it guards against needs a
 * controlling terminal, and a job has none (started with setsid, stdio on pipes).
 *
 * --die-with-parent: bwrap's parent is the engine itself (the wrappers before it exec), so
 * when Procdeck dies, even by SIGKILL, the kernel kills bwrap and with it the whole sandbox.
 *
 * As root no user namespace is made, so setpriv inside can switch to any uid; the job gets
 * no capabilities once setpriv drops to its uid. A job that stays root gets --cap-drop ALL:
 * with CAP_SYS_ADMIN it could remount the read-only / writable. Unprivileged, bwrap needs a
 * user namespace and gives the job no capabilities anyway.
 */
export function bwrapArgs(bwrap: string, caps: Capabilities, options: SandboxOptions): string[] {
  const args = [bwrap, '--die-with-parent', '--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try'];
  if (!caps.root) args.push('--unshare-user');
  if (options.dropCapabilities) args.push('--cap-drop', 'ALL');
  args.push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc');
  for (const dir of PRIVATE_TMP) if (dir === '/tmp' || existsSync(dir)) args.push('--perms', '1777', '--tmpfs', dir);
  // A directory inside another hidden one is hidden already; mounting over it too would make
  // its --remount-ro target a plain directory of the outer tmpfs.
  const candidates = [...new Set([...HIDDEN_DIRS, ...options.hide])].filter((d) => existsSync(d)).sort();
  const hidden = candidates.filter((d) => !candidates.some((other) => other !== d && under(d, other)) && !PRIVATE_TMP.some((t) => under(d, t)));
  for (const dir of hidden) args.push('--tmpfs', dir);
  for (const dir of options.writable) args.push('--bind', dir, dir);
  // After the binds: their mount points had to be created in these tmpfs first. Not
  // recursive, so the binds stay writable.
  for (const dir of hidden) args.push('--remount-ro', dir);
  args.push('--chdir', options.cwd, '--');
  return args;
}

/** Wrappers around bwrap (outside) and around the job (inside) that keep signals deliverable. */
export function signalShield(caps: Capabilities): { outside: string[]; inside: string[] } {
  if (!caps.env || !caps.envSignals) return { outside: [], inside: [] };
  return { outside: [caps.env, `--ignore-signal=${FORWARDED_SIGNALS}`], inside: [caps.env, `--default-signal=${FORWARDED_SIGNALS}`] };
}

/** The private dir's parent holds the other jobs' private dirs: hide it as well. */
export function sandboxHides(privateDir: string, extra: readonly string[]): string[] {
  return [...new Set([dirname(privateDir), ...extra])];
}
