import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommand, shellFirstCommand } from '../../electron/engine/supervisor/commandCheck';
import { jobSpecSchema, type JobSpecInput } from '../../shared/jobSpec';
import { tempDir } from './helpers';

const dir = tempDir('procdeck-check-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const defaults = { cwd: dir, env: { PATH: '/usr/bin:/bin', HOME: dir } };
const check = (spec: JobSpecInput) => checkCommand(jobSpecSchema.parse(spec), defaults);
const shell = (script: string, extra: Partial<JobSpecInput> = {}) => check({ command: { kind: 'shell', script }, ...extra });

describe('the first program of a shell command', () => {
  it('is read when the text names it plainly', () => {
    const cases: [string, string][] = [
      ['pyhton3 app.py', 'pyhton3'],
      ['  pyhton3', 'pyhton3'],
      ['A=1 B=x pyhton3 app.py', 'pyhton3'],
      ['# a comment\npyhton3 app.py', 'pyhton3'],
      ['ls|grep x', 'ls'],
      ['ls; pyhton3', 'ls'],
      ['/usr/bin/env python3', '/usr/bin/env'],
      ['./run.sh --flag', './run.sh'],
    ];
    for (const [script, program] of cases) expect(shellFirstCommand(script), script).toBe(program);
  });

  it('is not guessed when only the shell can tell what runs', () => {
    const scripts = [
      'cd /tmp && pyhton3',
      'export A=1; pyhton3',
      '. ./env.sh; pyhton3',
      'for i in 1 2; do pyhton3; done',
      'if true; then pyhton3; fi',
      '{ pyhton3; }',
      '! pyhton3',
      'greet() { echo hi; }; greet',
      'greet () { echo hi; }',
      '"$SHELL" -c true',
      "'pyhton3' app.py",
      'py\\hton3',
      '$PYTHON app.py',
      '`which python3` app.py',
      '~/bin/tool',
      'py*3 app.py',
      '(pyhton3)',
      '2>/dev/null pyhton3',
      '>out pyhton3',
      "'unclosed quote",
      'A=1',
      '',
      '   \n  # only a comment',
    ];
    for (const script of scripts) expect(shellFirstCommand(script), script).toBeUndefined();
  });
});

describe('checkCommand', () => {
  it('warns about a shell typo, on the script field, saying the shell may still define it', () => {
    const warnings = shell('pyhton3-e2e app.py');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.field).toBe('command.script');
    expect(warnings[0]!.message).toMatch(/^command not found: pyhton3-e2e \(searched PATH=\/usr\/bin:\/bin\); the shell may still define it/);
  });

  it('finds what the job itself would find: its own PATH, its own working directory', () => {
    expect(shell('ls -l')).toEqual([]);
    // The spec's PATH replaces the one jobs start from: ls is then not found.
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(shell('ls -l', { env: { set: { PATH: empty } } })[0]?.message).toMatch(/^command not found: ls/);
    // A relative program is looked up in the job's working directory, not Procdeck's.
    const work = join(dir, 'work');
    mkdirSync(work);
    writeFileSync(join(work, 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(work, 'run.sh'), 0o755);
    expect(shell('./run.sh', { cwd: work })).toEqual([]);
    expect(shell('./run.sh')[0]?.message).toMatch(/run\.sh/);
  });

  it('uses the shell default PATH when the job has none, as /bin/sh does', () => {
    const noPath = checkCommand(jobSpecSchema.parse({ command: { kind: 'shell', script: 'ls' } }), { cwd: dir, env: { HOME: dir } });
    expect(noPath).toEqual([]);
  });

  it('warns about a program that is there but cannot be run', () => {
    writeFileSync(join(dir, 'plain.txt'), 'not a program\n');
    chmodSync(join(dir, 'plain.txt'), 0o644);
    const warnings = shell('./plain.txt');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/not executable/);
  });

  it('checks a Program-mode command on its program field, and is silent about what the shell defines', () => {
    expect(check({ command: { kind: 'argv', program: 'no-such-program-check' } })).toEqual([
      { field: 'command.program', message: expect.stringMatching(/^command not found: no-such-program-check/) },
    ]);
    expect(check({ command: { kind: 'argv', program: 'sleep', args: ['1'] } })).toEqual([]);
    for (const script of ['cd /tmp && pwd', 'greet() { :; }; greet', '"$SHELL" -c true']) expect(shell(script), script).toEqual([]);
  });
});
