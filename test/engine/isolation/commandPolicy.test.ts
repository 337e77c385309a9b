import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, linkSync, mkdirSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandPolicySchema, type CommandPolicyInput } from '../../../shared/isolation';
import { checkCommandPolicy } from '../../../electron/engine/isolation/commandPolicy';
import { userEnvironment } from '../../../electron/engine/isolation/userEnvironment';
import { cleanupLaunched, launch, prepare, tempDataDir, type IsolatedJob } from './helpers';

afterEach(cleanupLaunched);

const policy = (input: unknown) => commandPolicySchema.parse(input);
const argv = (program: string, ...args: string[]) => ({ kind: 'argv' as const, program, args });
const shell = { kind: 'shell' as const, script: 'ls | wc -l' };
const operatorEnv = userEnvironment(process.env);
const context = { searchPath: operatorEnv.PATH ?? '', env: operatorEnv, cwd: process.cwd() };

/** The message a job is refused with before anything is spawned, or undefined when it would run. */
function refusal(job: IsolatedJob): string | undefined {
  try {
    prepare(job);
    return undefined;
  } catch (error) {
    return `${(error as { code?: string }).code}: ${(error as Error).message}`;
  }
}

/** A directory of stand-ins: copies of /bin/true named like programs this machine may not have (sudo, doas, busybox). */
function standIns(...names: string[]): string {
  const dir = join(tempDataDir(), 'bin');
  mkdirSync(dir);
  for (const name of names) copyFileSync(realpathSync('/bin/true'), join(dir, name));
  return dir;
}

describe('command policy: names and paths', () => {
  it('refuses a denied program, naming the rule, before anything is spawned', () => {
    expect(() => prepare({ command: argv('rm'), policy: { deny: ['rm'] } })).toThrow('command policy: program /usr/bin/rm is denied by the rule "rm"');
    expect(() => prepare({ command: argv('rm'), policy: { deny: ['/usr/bin/rm'] } })).toThrow('denied by the rule "/usr/bin/rm"');
  });

  it('with an allowlist, refuses what it does not name, and runs what it does', async () => {
    expect(() => prepare({ command: argv('ls'), policy: { allow: ['echo'] } })).toThrow('command policy: program /usr/bin/ls is not in the allowlist (echo)');
    const job = launch({ command: argv('echo', 'allowed'), policy: { allow: ['echo'] } });
    await job.ended();
    expect(job.output()).toBe('allowed\n');
  });

  it('matches programs, not substrings of the command line', () => {
    expect(() => prepare({ command: argv('echo', 'rm -rf /'), policy: { deny: ['rm'] } })).not.toThrow();
    expect(() => prepare({ command: argv('rmdir'), policy: { deny: ['rm'] } })).not.toThrow();
  });

  it('follows symlinks: a rule on the real program also catches its aliases', () => {
    const real = realpathSync('/bin/sh'); // /usr/bin/dash on Debian
    const name = real.split('/').pop()!;
    expect(() => checkCommandPolicy(policy({ deny: [name] }), shell, '/bin/sh', context)).toThrow(`the shell /bin/sh (shell-string job) is denied by the rule "${name}"`);
  });

  it('checks the program the cleaned PATH finds', () => {
    const prep = prepare({ command: argv('ls'), isolation: { level: 'enhanced' }, policy: { allow: ['/usr/bin/ls'] }, baseEnv: { PATH: '/nowhere' } });
    expect(prep.plan.file).toBe('/usr/bin/ls');
    expect(prep.plan.env.PATH).toBe('/usr/bin:/bin');
  });
});

describe('command policy: an allowlist means files, not names', () => {
  it('refuses a copy of /bin/sh named echo, and a symlink named echo, however the job reaches it', async () => {
    const dir = join(tempDataDir(), 'fake');
    mkdirSync(dir);
    copyFileSync(realpathSync('/bin/sh'), join(dir, 'echo'));
    chmodSync(join(dir, 'echo'), 0o755);
    mkdirSync(join(dir, 'link'));
    symlinkSync('/bin/sh', join(dir, 'link', 'echo'));
    const allowEcho: CommandPolicyInput = { allow: ['echo'] };
    const posing = /command policy: program .*\/echo is not the "echo" the allowlist means \(\/usr\/bin\/echo\): same name, different file/;
    expect(refusal({ command: argv(join(dir, 'echo'), '-c', 'id -u'), policy: allowEcho })).toMatch(posing);
    expect(refusal({ command: argv(join(dir, 'link', 'echo'), '-c', 'id -u'), policy: allowEcho })).toMatch(posing);
    // Through the job's own PATH, or a relative path from its working directory.
    expect(refusal({ command: argv('echo', '-c', 'id -u'), spec: { env: { set: { PATH: dir } } }, policy: allowEcho })).toMatch(posing);
    expect(refusal({ command: argv('./echo', '-c', 'id -u'), spec: { cwd: dir }, policy: allowEcho })).toMatch(posing);
    // Through a launcher that is itself allowed.
    expect(refusal({ command: argv('env', `PATH=${dir}`, 'echo', '-c', 'id -u'), policy: { allow: ['echo', 'env'] } })).toMatch(/is not the "echo" the allowlist means/);
  });

  it('lets the allowed file run under any path or link that leads to it', async () => {
    const dir = join(tempDataDir(), 'links');
    mkdirSync(dir);
    symlinkSync('/usr/bin/echo', join(dir, 'say'));
    const job = launch({ command: argv(join(dir, 'say'), 'same file'), policy: { allow: ['echo'] } });
    await job.ended();
    expect(job.output()).toBe('same file\n');
  });

  it.runIf(realpathSync('/bin') === '/usr/bin')('on a merged /usr, allowing /bin/echo allows /usr/bin/echo: the same file', () => {
    expect(refusal({ command: argv('/usr/bin/echo'), policy: { allow: ['/bin/echo'] } })).toBeUndefined();
  });

  const tmpOnSameFs = statSync(tempDataDir()).dev === statSync('/usr/bin/env').dev;
  it.runIf(tmpOnSameFs)('a deny rule catches a hard link of the denied program under another name', () => {
    const dir = join(tempDataDir(), 'hard');
    mkdirSync(dir);
    linkSync(realpathSync('/usr/bin/rm'), join(dir, 'tidy'));
    expect(refusal({ command: argv(join(dir, 'tidy')), policy: { deny: ['rm'] } })).toMatch(/program .*\/tidy is denied by the rule "rm"/);
  });
});

describe('command policy: launchers are checked against what they launch', () => {
  const denyPython: CommandPolicyInput = { deny: ['python3'] };
  const through = [
    ['env', 'python3'],
    ['env', '-i', 'A=1', '/usr/bin/python3'],
    ['env', '-iu', 'HOME', '--chdir=/tmp', 'python3'],
    ['nohup', 'python3'],
    ['timeout', '5', 'python3'],
    ['timeout', '-s', 'KILL', '5', 'python3'],
    ['timeout', '--sig=KILL', '--kill-after', '1', '5', 'python3'],
    ['nice', '-n', '5', 'python3'],
    ['nice', '-5', 'python3'],
    ['nice', '--adjustment=5', 'python3'],
    ['setsid', '-f', 'python3'],
    ['stdbuf', '-oL', 'python3'],
    ['ionice', '-c', '3', 'python3'],
    ['chrt', '-f', '1', 'python3'],
    ['chrt', '--other', '0', 'python3'],
    ['taskset', '-c', '0', 'python3'],
    ['taskset', '1', 'python3'],
    ['xargs', '-0', '-I{}', 'python3', '{}'],
    ['flock', '/tmp/procdeck-policy.lock', 'python3'],
    ['prlimit', '--nofile=64', 'python3'],
    ['setpriv', '--reuid=65534', '--clear-groups', 'python3'],
    ['runuser', '-u', 'nobody', '--', 'python3'],
    ['unshare', '--fork', '--pid', 'python3'],
    ['strace', '-f', '-o', '/dev/null', 'python3'],
    ['time', '-f', '%e', 'python3'],
    ['find', '/tmp', '-maxdepth', '0', '-exec', 'python3', '-c', '1', ';'],
    ['watch', '-x', 'python3'],
    ['env', 'timeout', '5', 'nice', '-n', '1', 'nohup', 'python3'],
  ];
  for (const [program, ...args] of through) {
    it(`refuses ${[program, ...args].join(' ')}`, () => {
      expect(refusal({ command: argv(program!, ...args), policy: denyPython })).toMatch(/^POLICY_DENIED: command policy: .*python3.*, run by .* is denied by the rule "python3"$/);
    });
  }

  it('reads sudo, doas and busybox command lines too (stand-ins where they are not installed)', () => {
    const dir = standIns('sudo', 'doas', 'busybox');
    for (const args of [['sudo', '-u', 'root', '-E', 'python3'], ['sudo', 'FOO=1', 'python3'], ['doas', '-u', 'root', 'python3'], ['busybox', 'env', 'python3'], ['busybox', 'timeout', '5', 'python3']]) {
      expect(refusal({ command: argv(join(dir, args[0]!), ...args.slice(1)), policy: denyPython }), args.join(' ')).toMatch(/denied by the rule "python3"/);
    }
    expect(refusal({ command: argv(join(dir, 'busybox'), 'wget', 'http://example.com'), policy: { deny: ['wget'] } })).toMatch(/the wget built into .*busybox.* is denied by the rule "wget"/);
  });

  it('follows "#!" lines: a script runs its interpreter', () => {
    const dir = join(tempDataDir(), 'scripts');
    mkdirSync(dir);
    writeFileSync(join(dir, 'job.py'), '#!/usr/bin/env python3\nprint(1)\n', { mode: 0o755 });
    writeFileSync(join(dir, 'direct.py'), `#!${realpathSync('/usr/bin/python3')} -u\nprint(1)\n`, { mode: 0o755 });
    expect(refusal({ command: argv(join(dir, 'job.py')), policy: denyPython })).toMatch(/run by env, via the script job.py, is denied by the rule "python3"/);
    expect(refusal({ command: argv(join(dir, 'direct.py')), policy: denyPython })).toMatch(/denied by the rule "python3"/);
  });

  it('refuses, saying why, a launcher whose command cannot be told', () => {
    const cases: [string[], RegExp][] = [
      [['env', '-S', 'python3 -c 1'], /cannot tell what env \(\/usr\/bin\/env\) would run: env -S splits a string/],
      [['timeout', '--frobnicate', '5', 'python3'], /cannot tell what timeout .* unknown option --frobnicate/],
      [['nice', '-x', 'python3'], /unknown option -x/],
      [['chroot', '/tmp', 'python3'], /chroot runs its command inside another root directory \(\/tmp\)/],
      [['nsenter', '-t', '1', '-m', 'python3'], /nsenter enters another process's mount namespace/],
      [['env', 'procdeck-no-such-program'], /procdeck-no-such-program is not a program it can find/],
      [['find', '.', '-exec', '{}', ';'], /runs each file it finds/],
    ];
    for (const [command, message] of cases) {
      expect(refusal({ command: argv(command[0]!, ...command.slice(1)), policy: denyPython }), command.join(' ')).toMatch(message);
    }
    expect(refusal({ command: argv(join(standIns('sudo'), 'sudo'), '-e', '/etc/hosts'), policy: denyPython })).toMatch(/sudo -e edits files/);
  });

  it('runs a launcher whose command passes, with the launcher itself checked too', async () => {
    const job = launch({ command: argv('env', 'GREETING=hi', 'timeout', '5', 'printenv', 'GREETING'), policy: denyPython });
    await job.ended();
    expect(job.output()).toBe('hi\n');
    expect(refusal({ command: argv('env', 'echo'), policy: { allow: ['echo'] } })).toMatch(/program \/usr\/bin\/env is not in the allowlist \(echo\)/);
    expect(refusal({ command: argv('env', 'ls'), policy: { allow: ['env'] } })).toMatch(/\/usr\/bin\/ls, run by env, is not in the allowlist \(env\)/);
  });
});

describe('command policy: shells', () => {
  const denyCurl: CommandPolicyInput = { deny: ['curl'] };
  const refusedShell = /shells are refused while a deny list is in force: a shell runs whatever its script says, denied programs included. To run shell jobs anyway, allow them in Settings \(Command policy\)$/;

  it('refuses shell-string jobs and programs that start a shell while a deny list is in force', () => {
    expect(refusal({ command: shell, policy: denyCurl })).toMatch(/^POLICY_DENIED: command policy: this is a shell-string job, and shells are refused/);
    const dir = standIns('busybox');
    writeFileSync(join(dir, 'no-magic'), 'curl http://example.com\n', { mode: 0o755 });
    for (const command of [
      argv('sh', '-c', 'curl x'),
      argv('bash', '-c', 'curl x'),
      argv('env', 'bash', '-c', 'curl x'),
      argv('su', '-c', 'curl x'),
      argv('flock', '/tmp/procdeck-policy.lock', '-c', 'curl x'),
      argv('watch', 'curl x'),
      argv('script', '-qc', 'curl x', '/dev/null'),
      argv('unshare', '--fork'),
      argv(join(dir, 'busybox'), 'sh', '-c', 'curl x'),
      argv(join(dir, 'busybox'), 'busybox', 'env', 'sh', '-c', 'curl x'),
      argv(join(dir, 'no-magic')),
    ]) {
      expect(refusal({ command, policy: denyCurl }), `${command.program} ${command.args.join(' ')}`).toMatch(refusedShell);
    }
  });

  it('runs them once the operator allows shell jobs, with a warning', () => {
    const prep = prepare({ command: shell, policy: { ...denyCurl, allowShellJobs: true } });
    expect(prep.report.warnings).toEqual(['shell-string job: only the shell (/bin/sh) is checked against the command policy, not the commands its script runs']);
    expect(prepare({ command: argv('env', 'bash', '-c', 'true'), policy: { ...denyCurl, allowShellJobs: true } }).report.warnings).toEqual([
      'bash is a shell: the command policy checks the shell, not the commands it runs',
    ]);
  });

  it('with an allowlist only, checks shell-string jobs on the shell itself, and flags them', () => {
    expect(() => prepare({ command: shell, policy: { allow: ['ls', 'wc'] } })).toThrow(
      'the shell /bin/sh (shell-string job) is not in the allowlist (ls, wc); shell-string jobs need the shell itself (e.g. "sh") in the allowlist',
    );
    const prep = prepare({ command: shell, policy: { allow: ['sh', 'ls', 'wc'] } });
    expect(prep.report.warnings).toEqual(['shell-string job: only the shell (/bin/sh) is checked against the command policy, not the commands its script runs']);
  });

  it('warns when an allowed program runs other programs as its script says', () => {
    const verdict = checkCommandPolicy(policy({ allow: ['perl'] }), argv('perl', '-e', 'exec "id"'), '/usr/bin/perl', context);
    expect(verdict.warnings[0]).toContain('perl runs other programs');
  });
});

describe('command policy: hostile programs', () => {
  it('does not hang on a FIFO named as the program', () => {
    const dir = join(tempDataDir(), 'fifo');
    mkdirSync(dir);
    const fifo = join(dir, 'job');
    execFileSync('mkfifo', ['-m', '0755', fifo]);
    // Reading it would block the engine until a writer came; the check must answer at once.
    expect(refusal({ command: argv(fifo), policy: { deny: ['python3'] } })).toBeUndefined();
    expect(refusal({ command: argv(fifo), policy: { allow: ['echo'] } })).toMatch(/is not in the allowlist/);
  });
});
