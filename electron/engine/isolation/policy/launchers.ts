import { basename, join } from 'node:path';
import { parseOptions } from './getopt';
import { program, unknown, userShell, type ExecState, type Launch } from './launch';
import { GRAMMAR_LAUNCHERS } from './launcherTable';
import { identify, type FileIdentity } from './programFiles';

/** Programs that run whatever text they are given as shell commands. */
export const SHELLS = new Set(['sh', 'ash', 'dash', 'bash', 'rbash', 'zsh', 'ksh', 'ksh93', 'mksh', 'lksh', 'pdksh', 'oksh', 'yash', 'posh', 'hush', 'fish', 'csh', 'tcsh', 'elvish', 'nu', 'xonsh', 'pwsh']);

/** Interpreters: they run other programs only as their script says, which the policy cannot read. */
const INTERPRETERS = /^(python[\d.]*|pypy\d*|perl[\d.]*|ruby[\d.]*|node|nodejs|deno|bun|php[\d.]*|tclsh[\d.]*|wish[\d.]*|lua[\d.]*|luajit|awk|gawk|mawk|nawk|busybox-awk|Rscript|expect|guile[\d.]*|osascript)$/;

/** Programs that hand the command to a service: it would run outside the job, where neither tracking nor the policy follows. */
const HANDS_OFF = new Set(['systemd-run', 'at', 'batch', 'run0']);

/** Programs that always start a shell: script(1) ($SHELL, or -c's string), sg and newgrp. */
const SHELL_STARTERS = new Set(['script', 'sg', 'newgrp']);

const LOADER = /^(ld-linux[-\w.]*\.so(\.\d+)*|ld\.so|ld-musl-[\w.]+\.so(\.\d+)*)$/;

export type ProgramClass =
  | { kind: 'shell'; name: string }
  | { kind: 'launcher'; name: string }
  | { kind: 'multi-call'; name: 'busybox' }
  | { kind: 'interpreter'; name: string }
  | { kind: 'plain' };

function classOfName(name: string): ProgramClass | undefined {
  if (name === 'busybox') return { kind: 'multi-call', name };
  if (SHELLS.has(name)) return { kind: 'shell', name };
  if (GRAMMAR_LAUNCHERS.has(name) || name === 'find' || name === 'pkexec' || HANDS_OFF.has(name) || SHELL_STARTERS.has(name) || LOADER.test(name)) return { kind: 'launcher', name };
  if (INTERPRETERS.test(name)) return { kind: 'interpreter', name };
  return undefined;
}

const KNOWN_NAMES = [...SHELLS, ...GRAMMAR_LAUNCHERS.keys(), 'find', 'pkexec', 'busybox', ...HANDS_OFF, ...SHELL_STARTERS];
const SYSTEM_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'];
const IDENTITIES_TTL_MS = 10_000;
let knownIdentities: { at: number; byFile: Map<string, string> } | undefined;

/** The system's own launchers and shells by file, so that a hard link under another name is still recognised. */
function knownByIdentity(id: FileIdentity): string | undefined {
  const now = Date.now();
  if (!knownIdentities || now - knownIdentities.at > IDENTITIES_TTL_MS) {
    const byFile = new Map<string, string>();
    for (const name of KNOWN_NAMES) {
      for (const dir of SYSTEM_DIRS) {
        const found = identify(join(dir, name));
        if (found && !byFile.has(`${found.dev}:${found.ino}`)) byFile.set(`${found.dev}:${found.ino}`, name);
      }
    }
    knownIdentities = { at: now, byFile };
  }
  return knownIdentities.byFile.get(`${id.dev}:${id.ino}`);
}

/**
 * What kind of program a file is: by the file itself (one of the system's launchers or
 * shells, under whatever name), else by the name of the file a link leads to, else by the
 * name it was run under (a multi-call binary picks its applet by that name).
 */
export function classify(id: FileIdentity, invokedAs: string): ProgramClass {
  const known = knownByIdentity(id);
  return (known === undefined ? undefined : classOfName(known)) ?? classOfName(basename(id.realPath)) ?? classOfName(basename(invokedAs)) ?? { kind: 'plain' };
}

/** find runs the program after each -exec, -execdir, -ok and -okdir (up to ";" or "+"). */
function findLaunches(args: readonly string[], state: ExecState): Launch[] {
  const launches: Launch[] = [];
  for (let i = 0; i < args.length; i++) {
    const action = args[i]!;
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(action)) continue;
    const end = args.findIndex((a, j) => j > i && (a === ';' || a === '+'));
    const argv = args.slice(i + 1, end < 0 ? undefined : end);
    const name = argv[0];
    if (name === undefined) continue;
    if (name.includes('{}')) return unknown(`find ${action} ${name} runs each file it finds`);
    // -execdir runs from each found file's directory: only a name looked up in PATH is the same file everywhere.
    const dirOfFile = action.endsWith('dir') && name.includes('/') && !name.startsWith('/');
    if (dirOfFile) return unknown(`find ${action} ${name} runs a path relative to each found file's directory`);
    launches.push(...program(argv, state));
    if (end < 0) break;
    i = end;
  }
  return launches;
}

const LOADER_WITH_ARG = ['--library-path', '--inhibit-rpath', '--audit', '--preload', '--argv0', '--glibc-hwcaps-prefix', '--glibc-hwcaps-mask'];
const LOADER_FLAGS = ['--inhibit-cache'];
const LOADER_NO_RUN = ['--list', '--verify', '--help', '--version', '--list-tunables', '--list-diagnostics'];

/** The dynamic loader run as a program: `ld.so [options] PROGRAM`, options exactly spelled, the program a path. */
function loaderLaunches(args: readonly string[], state: ExecState): Launch[] {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('--')) {
    const option = args[i]!;
    if (LOADER_NO_RUN.includes(option)) return [];
    if (LOADER_WITH_ARG.includes(option)) i += 2;
    else if (LOADER_FLAGS.includes(option)) i += 1;
    else return unknown(`the dynamic loader's option ${option} is not one it is known to take`);
  }
  const target = args[i];
  if (target === undefined) return [];
  if (!target.includes('/')) return unknown(`the dynamic loader runs ${target} without a PATH lookup, from wherever it finds it`);
  return program(args.slice(i), state);
}

/** pkexec [--user U] [--keep-cwd] [--disable-internal-agent] PROGRAM…; without one, a root shell. */
function pkexecLaunches(args: readonly string[], state: ExecState): Launch[] {
  let i = 0;
  for (;;) {
    const option = args[i];
    if (option === '--user') i += 2;
    else if (option === '--keep-cwd' || option === '--disable-internal-agent') i += 1;
    else if (option === '--help' || option === '--version') return [];
    else break;
  }
  const rest = args.slice(i);
  return rest.length > 0 ? program(rest, state, [state.env.PATH, '/usr/sbin:/usr/bin:/sbin:/bin']) : [{ ...userShell(state), how: 'pkexec without a command' }];
}

/** busybox APPLET… runs a built-in program; `busybox --list` and the like run none. */
export function busyboxApplet(invokedAs: string, args: readonly string[], state: ExecState): Launch[] {
  const name = basename(invokedAs);
  if (name !== 'busybox') return [{ kind: 'applet', name, args, state }];
  const [applet, ...rest] = args;
  if (applet === undefined || applet.startsWith('-')) return [];
  return [{ kind: 'applet', name: applet, args: rest, state }];
}

/** What a launcher (by its name) runs, given its arguments. */
export function launchesOf(name: string, args: readonly string[], state: ExecState): Launch[] {
  if (HANDS_OFF.has(name)) return unknown(`${name} hands its command to a service, to run outside this job`);
  if (SHELL_STARTERS.has(name)) return [{ ...userShell(state), shell: name === 'script' ? state.env.SHELL || '/bin/sh' : '/bin/sh', how: name }];
  if (name === 'find') return findLaunches(args, state);
  if (name === 'pkexec') return pkexecLaunches(args, state);
  if (LOADER.test(name)) return loaderLaunches(args, state);
  const launcher = GRAMMAR_LAUNCHERS.get(name);
  if (!launcher) return [];
  const parsed = parseOptions(args, launcher.grammar);
  if (!parsed.ok) return unknown(`${name}: ${parsed.error} (an option not known here could take the next word with it)`);
  return launcher.launches(parsed, state);
}
