import { flag, has, optionalArg, valueOf, withArg, type Grammar } from './getopt';
import { changeDir, GNU_HELP, HELP, program, setsEnv, shows, unknown, userShell, withEnv, type GrammarLauncher } from './launch';
import { USER_AND_NAMESPACE_LAUNCHERS } from './userLaunchers';

/**
 * The programs whose job is to run another program named on their command line, with the
 * options of the versions Debian ships (coreutils 9, util-linux 2.38+, findutils 4.9, sudo,
 * opendoas, GNU time, strace 6). Each says which operand is the command, and what it changes
 * on the way that decides which file that command is (PATH, the working directory, the root).
 */

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
  ...USER_AND_NAMESPACE_LAUNCHERS,
  time: runsOperands([flag('a', 'append'), withArg('f', 'format'), withArg('o', 'output'), flag('p', 'portability'), flag('q', 'quiet'), flag('v', 'verbose'), flag('V', 'version'), flag(undefined, 'help')]),
  strace,
  watch,
  prlimit,
}));
