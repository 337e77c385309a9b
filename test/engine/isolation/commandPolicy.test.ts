import { realpathSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { commandPolicySchema } from '../../../shared/isolation';
import { checkCommandPolicy } from '../../../electron/engine/isolation/commandPolicy';
import { cleanupLaunched, launch, prepare } from './helpers';

afterEach(cleanupLaunched);

const policy = (input: unknown) => commandPolicySchema.parse(input);
const argv = (program: string) => ({ kind: 'argv' as const, program, args: [] });
const shell = { kind: 'shell' as const, script: 'ls | wc -l' };

describe('command policy', () => {
  it('refuses a denied program, naming the rule, before anything is spawned', () => {
    expect(() => prepare({ command: argv('rm'), policy: { deny: ['rm'] } })).toThrow('command policy: program /usr/bin/rm is denied by the rule "rm"');
    expect(() => prepare({ command: argv('rm'), policy: { deny: ['/usr/bin/rm'] } })).toThrow('denied by the rule "/usr/bin/rm"');
  });

  it('with an allowlist, refuses what it does not name, and runs what it does', async () => {
    expect(() => prepare({ command: argv('ls'), policy: { allow: ['echo'] } })).toThrow('command policy: program /usr/bin/ls is not in the allowlist (echo)');
    const job = launch({ command: { kind: 'argv', program: 'echo', args: ['allowed'] }, policy: { allow: ['echo'] } });
    await job.ended();
    expect(job.output()).toBe('allowed\n');
  });

  it('matches programs, not substrings of the command line', () => {
    expect(() => prepare({ command: { kind: 'argv', program: 'echo', args: ['rm -rf /'] }, policy: { deny: ['rm'] } })).not.toThrow();
    expect(() => prepare({ command: argv('rmdir'), policy: { deny: ['rm'] } })).not.toThrow();
  });

  it('follows symlinks: a rule on the real program also catches its aliases', () => {
    const real = realpathSync('/bin/sh'); // /usr/bin/dash on Debian
    const name = real.split('/').pop()!;
    expect(() => checkCommandPolicy(policy({ deny: [name] }), shell, '/bin/sh')).toThrow(`the shell /bin/sh (shell-string job) is denied by the rule "${name}"`);
  });

  it('checks shell-string jobs on the shell itself, and flags them', () => {
    expect(() => prepare({ command: shell, policy: { allow: ['ls', 'wc'] } })).toThrow(
      'the shell /bin/sh (shell-string job) is not in the allowlist (ls, wc); shell-string jobs need the shell itself (e.g. "sh") in the allowlist',
    );
    const prep = prepare({ command: shell, policy: { allow: ['sh', 'ls', 'wc'] } });
    expect(prep.report.warnings).toEqual(['shell-string job: only the shell (/bin/sh) is checked against the command policy, not the commands its script runs']);
  });

  it('warns when an allowed program runs other programs', () => {
    const verdict = checkCommandPolicy(policy({ allow: ['env'] }), argv('env'), '/usr/bin/env');
    expect(verdict.warnings[0]).toContain('env runs other programs');
  });

  it('checks the program the cleaned PATH finds', () => {
    const prep = prepare({ command: argv('ls'), isolation: { level: 'enhanced' }, policy: { allow: ['/usr/bin/ls'] }, baseEnv: { PATH: '/nowhere' } });
    expect(prep.plan.file).toBe('/usr/bin/ls');
    expect(prep.plan.env.PATH).toBe('/usr/bin:/bin');
  });
});
