import { flag, has, optionalArg, valueOf, withArg, type ParsedArgs } from './getopt';
import { changeDir, GNU_HELP, HELP, otherRoot, program, setsEnv, shows, unknown, userShell, type ExecState, type GrammarLauncher, type Launch } from './launch';
import { loginShellOf } from '../runAs';

/**
 * Launchers that change who runs the command, or where its files are looked up: another
 * user (su, runuser, sudo, doas, setpriv), another root (chroot), other namespaces (unshare,
 * nsenter). Each says which file its command is, or that it cannot be told.
 */

/** sudo's secure_path in Debian's default sudoers: sudo looks the command up there, not in the caller's PATH. */
const SUDO_SECURE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** opendoas looks the command up in this fixed path. */
const DOAS_SAFE_PATH = '/bin:/sbin:/usr/bin:/usr/sbin:/usr/local/bin:/usr/local/sbin';
/** setpriv --reset-env sets PATH to util-linux's _PATH_DEFPATH (non-root) or _PATH_DEFPATH_ROOT. */
const SETPRIV_PATHS = ['/usr/local/bin:/bin:/usr/bin', '/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin'];

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

export const USER_AND_NAMESPACE_LAUNCHERS: Readonly<Record<string, GrammarLauncher>> = { unshare, nsenter, su, runuser, sudo, doas, setpriv, chroot };
