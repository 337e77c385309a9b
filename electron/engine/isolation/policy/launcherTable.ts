import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { loginShellOf } from '../runAs';
import { flag, has, optionalArg, valueOf, withArg, type Grammar, type ParsedArgs } from './getopt';
import { program, unknown, userShell, withEnv, type ExecState, type Launch } from './launch';

/**
 * The programs whose job is to run another program named on their command line, with the
 * options of the versions Debian ships (coreutils 9, util-linux 2.38+, findutils 4.9, sudo,
 * opendoas, GNU time, strace 6). Each says which operand is the command, and what it changes
 * on the way that decides which file that command is (PATH, the working directory, the root).
 */
export interface GrammarLauncher {
  grammar: Grammar;
  launches(args: ParsedArgs, state: ExecState): Launch[];
}

const HELP = [flag('h', 'help'), flag('V', 'version')];
const GNU_HELP = [flag(undefined, 'help'), flag(undefined, 'version')];
const shows = (args: ParsedArgs) => has(args, 'help', 'version');

/** sudo's secure_path in Debian's default sudoers: sudo looks the command up there, not in the caller's PATH. */
const SUDO_SECURE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** opendoas looks the command up in this fixed path. */
const DOAS_SAFE_PATH = '/bin:/sbin:/usr/bin:/usr/sbin:/usr/local/bin:/usr/local/sbin';
/** setpriv --reset-env sets PATH to util-linux's _PATH_DEFPATH (non-root) or _PATH_DEFPATH_ROOT. */
const SETPRIV_PATHS = ['/usr/local/bin:/bin:/usr/bin', '/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin'];

function changeDir(state: ExecState, dir: string | undefined): ExecState {
  if (dir === undefined) return state;
  return { ...state, cwd: isAbsolute(dir) ? dir : state.cwd === undefined ? undefined : resolve(state.cwd, dir) };
}

/** A launcher that runs its command inside another root directory: only "/" itself leaves the files where they are. */
function otherRoot(dir: string, state: ExecState, who: string): Launch[] | undefined {
  let real: string | undefined;
  try {
    real = realpathSync(isAbsolute(dir) || state.cwd === undefined ? dir : resolve(state.cwd, dir));
  } catch {
    // no such directory: the launcher fails, but say why it is refused anyway
  }
  return real === '/' ? undefined : unknown(`${who} runs its command inside another root directory (${dir}), where its name may be any file`);
}

const setsEnv = (word: string) => /^[^=]+=/.test(word);

const env: GrammarLauncher = {
  grammar: {
    options: [
      flag('i', 'ignore-environment'), flag('0', 'null'), withArg('u', 'unset'), withArg('C', 'chdir'), withArg('S', 'split-string'), flag('v', 'debug'),
      optionalArg(undefined, 'block-signal'), optionalArg(undefined, 'default-signal'), optionalArg(undefined, 'ignore-signal'), flag(undefined, 'list-signal-handling'), ...GNU_HELP,
    ],
  },
  launches(args, state) {
    if (shows(args)) return [];
    if (has(args, 'split-string')) return unknown('env -S splits a string into the command to run');
    let operands = args.operands;
    let ignore = has(args, 'ignore-environment');
    if (operands[0] === '-') {
      ignore = true;
      operands = operands.slice(1);
    }
    const vars: Record<string, string> = ignore ? {} : { ...state.env };
    for (const o of args.options) if (o.name === 'unset' && o.value !== undefined) delete vars[o.value];
    while (operands[0] !== undefined && setsEnv(operands[0])) {
      const word = operands[0];
      vars[word.slice(0, word.indexOf('='))] = word.slice(word.indexOf('=') + 1);
      operands = operands.slice(1);
    }
    return program(operands, changeDir(withEnv(state, vars), valueOf(args, 'chdir')));
  },
};

/** The command is every operand after the first `skip` (timeout's DURATION, taskset's mask); none with a `noLaunch` option. */
const runsOperands = (grammar: Grammar | Grammar['options'], skip = 0, noLaunch: string[] = []): GrammarLauncher => ({
  grammar: 'options' in grammar ? grammar : { options: grammar },
  launches: (args, state) => (shows(args) || has(args, ...noLaunch) ? [] : program(args.operands.slice(skip), state)),
});

const chrt: GrammarLauncher = {
  grammar: {
    options: [
      flag('a', 'all-tasks'), flag('b', 'batch'), flag('d', 'deadline'), withArg('D', 'sched-deadline'), flag('e', 'ext'), flag('f', 'fifo'), flag('i', 'idle'),
      flag('p', 'pid'), flag('m', 'max'), flag('o', 'other'), withArg('P', 'sched-period'), withArg('T', 'sched-runtime'), flag('r', 'rr'),
      flag('R', 'reset-on-fork'), flag('v', 'verbose'), ...HELP,
    ],
  },
  launches(args, state) {
    if (shows(args) || has(args, 'pid', 'max')) return [];
    const [first, ...rest] = args.operands;
    if (first === undefined) return [];
    // The priority comes first; newer chrt lets it out for policies without one.
    if (/^[+-]?\d+$/.test(first)) return rest.length > 0 ? program(rest, state) : unknown(`chrt ${first} names a priority but no command`);
    return program(args.operands, state);
  },
};

const flock: GrammarLauncher = {
  grammar: {
    options: [
      flag('s', 'shared'), flag('x', 'exclusive'), flag('e'), flag('u', 'unlock'), flag('n', 'nonblock'), flag(undefined, 'nb'), flag('o', 'close'),
      flag('F', 'no-fork'), withArg('w', 'timeout'), withArg(undefined, 'wait'), withArg('E', 'conflict-exit-code'), flag(undefined, 'verbose'), ...HELP,
    ],
  },
  launches(args, state) {
    if (shows(args)) return [];
    const [, how, script] = args.operands;
    if (how === undefined) return []; // `flock FD`: locks a descriptor, runs nothing
    if (how === '-c' || how === '--command') return [{ ...userShell(state), how: `flock ${how} ${JSON.stringify(script ?? '')}` }];
    return program(args.operands.slice(1), state);
  },
};

/** Namespace options and their letters (nsenter's take an optional file attached; unshare's only in the long form). */
const NAMESPACES: Readonly<Record<string, string>> = { mount: 'm', uts: 'u', ipc: 'i', net: 'n', pid: 'p', user: 'U', cgroup: 'C', time: 'T' };

const unshare: GrammarLauncher = {
  grammar: {
    options: [
      ...Object.entries(NAMESPACES).flatMap(([name, letter]) => [optionalArg(undefined, name), flag(letter)]),
      flag('f', 'fork'), optionalArg(undefined, 'kill-child'), optionalArg(undefined, 'mount-proc'), withArg(undefined, 'map-user'), withArg(undefined, 'map-users'),
      withArg(undefined, 'map-group'), withArg(undefined, 'map-groups'), flag(undefined, 'map-auto'), flag('r', 'map-root-user'), flag('c', 'map-current-user'),
      withArg(undefined, 'propagation'), withArg(undefined, 'setgroups'), flag(undefined, 'keep-caps'), withArg('S', 'setuid'), withArg('G', 'setgid'),
      withArg('R', 'root'), withArg('w', 'wd'), withArg(undefined, 'monotonic'), withArg(undefined, 'boottime'), withArg('l', 'load-interp'), ...HELP,
    ],
  },
  launches(args, state) {
    if (shows(args)) return [];
    const root = valueOf(args, 'root');
    const elsewhere = root === undefined ? undefined : otherRoot(root, state, 'unshare --root');
    if (elsewhere) return elsewhere;
    const inDir = changeDir(state, valueOf(args, 'wd'));
    return args.operands.length > 0 ? program(args.operands, inDir) : [{ ...userShell(inDir), how: 'unshare without a command' }];
  },
};

const nsenter: GrammarLauncher = {
  grammar: {
    options: [
      flag('a', 'all'), withArg('t', 'target'), ...Object.entries(NAMESPACES).map(([name, letter]) => optionalArg(letter, name)),
      withArg('N', 'net-socket'), withArg('S', 'setuid'), withArg('G', 'setgid'), flag(undefined, 'preserve-credentials'), flag(undefined, 'keep-caps'),
      flag(undefined, 'user-parent'), optionalArg('r', 'root'), optionalArg('w', 'wd'), optionalArg('W', 'wdns'), flag('e', 'env'), flag('F', 'no-fork'),
      flag('c', 'join-cgroup'), flag('Z', 'follow-context'), ...HELP,
    ],
  },
  launches(args, state) {
    if (shows(args)) return [];
    if (has(args, 'all', 'mount', 'root', 'wd', 'wdns', 'env', 'follow-context')) {
      return unknown("nsenter enters another process's mount namespace, root, directory or environment, where the command's name may be any file");
    }
    return args.operands.length > 0 ? program(args.operands, state) : [{ ...userShell(state), how: 'nsenter without a command' }];
  },
};

const SU_OPTIONS = [
  withArg('c', 'command'), withArg(undefined, 'session-command'), flag('f', 'fast'), withArg('g', 'group'), withArg('G', 'supp-group'), flag('l', 'login'),
  flag('m', 'preserve-environment'), flag('p'), flag('P', 'pty'), withArg('s', 'shell'), withArg('w', 'whitelist-environment'), ...HELP,
];

/** su, and runuser without -u: always a shell (the target's login shell, or -s), with -c's string or interactive. */
function suShell(args: ParsedArgs, state: ExecState, who: string): Launch[] {
  const operands = args.operands[0] === '-' ? args.operands.slice(1) : args.operands;
  const target = operands[0] ?? 'root';
  const script = valueOf(args, 'command') ?? valueOf(args, 'session-command');
  const shell = valueOf(args, 'shell') ?? loginShellOf(target) ?? '/bin/sh';
  return [{ kind: 'shell', shell, state, how: script === undefined ? `${who} (a login shell of ${target})` : `${who} -c ${JSON.stringify(script)}` }];
}

const su: GrammarLauncher = {
  grammar: { options: SU_OPTIONS, permute: true },
  launches: (args, state) => (shows(args) ? [] : suShell(args, state, 'su')),
};

const runuser: GrammarLauncher = {
  grammar: { options: [...SU_OPTIONS, withArg('u', 'user')], permute: true },
  launches(args, state) {
    if (shows(args)) return [];
    return has(args, 'user') ? program(args.operands, state) : suShell(args, state, 'runuser');
  },
};

const sudo: GrammarLauncher = {
  grammar: {
    options: [
      flag('A', 'askpass'), withArg('a', 'auth-type'), flag('B', 'bell'), flag('b', 'background'), withArg('C', 'close-from'), withArg('c', 'login-class'),
      withArg('D', 'chdir'), flag('E'), optionalArg(undefined, 'preserve-env'), flag('e', 'edit'), withArg('g', 'group'), flag('H', 'set-home'),
      optionalArg('h'), withArg(undefined, 'host'), flag(undefined, 'help'), flag('i', 'login'), flag('K', 'remove-timestamp'), flag('k', 'reset-timestamp'),
      flag('l', 'list'), flag('N', 'no-update'), flag('n', 'non-interactive'), flag('P', 'preserve-groups'), withArg('p', 'prompt'), withArg('R', 'chroot'),
      withArg('r', 'role'), flag('S', 'stdin'), flag('s', 'shell'), withArg('T', 'command-timeout'), withArg('t', 'type'), withArg('U', 'other-user'),
      withArg('u', 'user'), flag('V', 'version'), flag('v', 'validate'),
    ],
  },
  launches(args, state) {
    if (has(args, 'edit')) return unknown('sudo -e edits files with an editor of its choosing');
    const root = valueOf(args, 'chroot');
    const elsewhere = root === undefined ? undefined : otherRoot(root, state, 'sudo --chroot');
    if (elsewhere) return elsewhere;
    const bareHelp = args.options.some((o) => o.name === 'h' && o.value === undefined);
    if (bareHelp || has(args, 'help', 'version', 'list', 'validate', 'remove-timestamp')) return [];
    const inDir = changeDir(state, valueOf(args, 'chdir'));
    let operands = args.operands;
    while (operands[0] !== undefined && setsEnv(operands[0])) operands = operands.slice(1);
    const target = valueOf(args, 'user') ?? 'root';
    if (has(args, 'login')) return [{ kind: 'shell', shell: loginShellOf(target) ?? '/bin/sh', state: inDir, how: `sudo -i (a login shell of ${target})` }];
    if (has(args, 'shell')) return [{ ...userShell(inDir), how: 'sudo -s' }];
    return program(operands, inDir, [inDir.env.PATH, SUDO_SECURE_PATH]);
  },
};

const doas: GrammarLauncher = {
  grammar: { options: [withArg('a'), withArg('C'), flag('L'), flag('n'), flag('s'), withArg('u')] },
  launches(args, state) {
    if (has(args, 'C', 'L')) return [];
    if (has(args, 's')) return [{ kind: 'shell', shell: state.env.SHELL || loginShellOf(valueOf(args, 'u') ?? 'root') || '/bin/sh', state, how: 'doas -s' }];
    return program(args.operands, state, [state.env.PATH, DOAS_SAFE_PATH]);
  },
};

const setpriv: GrammarLauncher = {
  grammar: {
    options: [
      flag('d', 'dump'), flag(undefined, 'nnp'), flag(undefined, 'no-new-privs'), ...['inh-caps', 'ambient-caps', 'bounding-set', 'ruid', 'euid', 'rgid', 'egid', 'reuid', 'regid', 'groups', 'securebits', 'pdeathsig', 'selinux-label', 'apparmor-profile', 'landlock-access', 'landlock-rule'].map((name) => withArg(undefined, name)),
      flag(undefined, 'clear-groups'), flag(undefined, 'keep-groups'), flag(undefined, 'init-groups'), flag(undefined, 'reset-env'), ...HELP,
    ],
  },
  launches(args, state) {
    if (shows(args) || has(args, 'dump')) return [];
    if (!has(args, 'reset-env')) return program(args.operands, state);
    return program(args.operands, state, SETPRIV_PATHS);
  },
};

const chroot: GrammarLauncher = {
  grammar: { options: [withArg(undefined, 'groups'), withArg(undefined, 'userspec'), flag(undefined, 'skip-chdir'), ...GNU_HELP] },
  launches(args, state) {
    if (shows(args)) return [];
    const [root, ...command] = args.operands;
    if (root === undefined) return [];
    const elsewhere = otherRoot(root, state, 'chroot');
    if (elsewhere) return elsewhere;
    return command.length > 0 ? program(command, state) : [{ ...userShell(state), how: 'chroot without a command' }];
  },
};

const watch: GrammarLauncher = {
  grammar: {
    options: [
      flag('b', 'beep'), flag('c', 'color'), flag('C', 'no-color'), optionalArg('d', 'differences'), flag('e', 'errexit'), flag('g', 'chgexit'), withArg('q', 'equexit'),
      withArg('n', 'interval'), flag('p', 'precise'), flag('t', 'no-title'), flag('w', 'no-wrap'), flag('r', 'no-rerun'), flag('x', 'exec'), flag('h', 'help'), flag('v', 'version'),
    ],
  },
  launches(args, state) {
    if (shows(args) || args.operands.length === 0) return [];
    if (has(args, 'exec')) return program(args.operands, state);
    return [{ kind: 'shell', shell: '/bin/sh', state, how: `watch ${JSON.stringify(args.operands.join(' '))} (run by sh -c)` }];
  },
};

const xargs: GrammarLauncher = {
  grammar: {
    options: [
      flag('0', 'null'), withArg('a', 'arg-file'), withArg('d', 'delimiter'), withArg('E'), optionalArg('e', 'eof'), withArg('I'), optionalArg('i', 'replace'),
      withArg('L'), optionalArg('l', 'max-lines'), withArg('n', 'max-args'), flag('o', 'open-tty'), flag('p', 'interactive'), flag('r', 'no-run-if-empty'),
      withArg('s', 'max-chars'), flag('t', 'verbose'), flag('x', 'exit'), withArg('P', 'max-procs'), withArg(undefined, 'process-slot-var'),
      flag(undefined, 'show-limits'), ...GNU_HELP,
    ],
  },
  // Input lines only ever become arguments: the command is the first operand (echo without one).
  launches: (args, state) => (shows(args) ? [] : program(args.operands.length > 0 ? args.operands : ['echo'], state)),
};

const STRACE_LONG_WITH_ARG = ['columns', 'output', 'attach', 'user', 'env', 'string-limit', 'trace', 'trace-path', 'signal', 'status', 'summary-sort-by', 'summary-columns', 'summary-syscall-overhead', 'interruptible', 'const-print-style', 'fault', 'inject', 'abbrev', 'verbose', 'raw', 'read', 'write', 'quiet', 'silent', 'decode-fds', 'decode-pids', 'absolute-timestamps', 'timestamps', 'relative-timestamps', 'syscall-times', 'daemonize', 'kvm', 'argv0', 'stack-traces'];

const strace: GrammarLauncher = {
  grammar: {
    options: [
      ...'AcCdDfFhiknqrtTvVwxyYzZ'.split('').map((letter) => flag(letter)), ...'abeEIoOpPsSuUX'.split('').map((letter) => withArg(letter)),
      ...STRACE_LONG_WITH_ARG.map((name) => (['quiet', 'silent', 'decode-fds', 'decode-pids', 'absolute-timestamps', 'timestamps', 'relative-timestamps', 'syscall-times', 'daemonize', 'stack-traces'].includes(name) ? optionalArg(undefined, name) : withArg(undefined, name))),
      flag(undefined, 'follow-forks'), flag(undefined, 'output-separately'), flag(undefined, 'summary-only'), flag(undefined, 'summary'), flag(undefined, 'seccomp-bpf'),
      flag(undefined, 'no-abbrev'), flag(undefined, 'instruction-pointer'), flag(undefined, 'stack-trace'), flag(undefined, 'kill-on-exit'), flag(undefined, 'successful-only'),
      flag(undefined, 'failed-only'), flag(undefined, 'debug'), ...GNU_HELP,
    ],
  },
  launches: (args, state) => (shows(args) || has(args, 'h', 'V') ? [] : program(args.operands, state)),
};

const LIMITS = ['core', 'data', 'fsize', 'memlock', 'rss', 'nofile', 'nproc', 'rttime', 'sigpending', 'stack', 'cpu', 'as', 'locks', 'msgqueue', 'nice', 'rtprio'];

const prlimit: GrammarLauncher = {
  grammar: {
    options: [
      ...'cdefilmnqrstuvxy'.split('').map((letter) => optionalArg(letter)), ...LIMITS.map((name) => optionalArg(undefined, name)), withArg('p', 'pid'), withArg('o', 'output'),
      flag(undefined, 'noheadings'), flag(undefined, 'raw'), flag(undefined, 'verbose'), flag('h', 'help'), flag('V', 'version'),
    ],
  },
  launches: (args, state) => (shows(args) || has(args, 'pid') ? [] : program(args.operands, state)),
};

export const GRAMMAR_LAUNCHERS: ReadonlyMap<string, GrammarLauncher> = new Map(Object.entries({
  env,
  nohup: runsOperands(GNU_HELP),
  setsid: runsOperands([flag('c', 'ctty'), flag('f', 'fork'), flag('w', 'wait'), ...HELP]),
  timeout: runsOperands([withArg('k', 'kill-after'), withArg('s', 'signal'), flag('v', 'verbose'), flag('p', 'preserve-status'), flag('f', 'foreground'), ...GNU_HELP], 1),
  // coreutils still takes the historic "nice -5 cmd" and "nice --5 cmd".
  nice: runsOperands({ options: [withArg('n', 'adjustment'), ...GNU_HELP], legacy: (word) => (/^-[+-]?\d/.test(word) ? 'adjustment' : undefined) }),
  ionice: runsOperands([withArg('c', 'class'), withArg('n', 'classdata'), withArg('p', 'pid'), withArg('P', 'pgid'), withArg('u', 'uid'), flag('t', 'ignore'), ...HELP], 0, ['pid', 'pgid', 'uid']),
  stdbuf: runsOperands([withArg('i', 'input'), withArg('o', 'output'), withArg('e', 'error'), ...GNU_HELP]),
  chrt,
  taskset: runsOperands([flag('a', 'all-tasks'), flag('p', 'pid'), flag('c', 'cpu-list'), ...HELP], 1, ['pid']),
  xargs,
  flock,
  unshare,
  nsenter,
  su,
  runuser,
  sudo,
  doas,
  setpriv,
  chroot,
  time: runsOperands([flag('a', 'append'), withArg('f', 'format'), withArg('o', 'output'), flag('p', 'portability'), flag('q', 'quiet'), flag('v', 'verbose'), flag('V', 'version'), flag(undefined, 'help')]),
  strace,
  watch,
  prlimit,
}));
