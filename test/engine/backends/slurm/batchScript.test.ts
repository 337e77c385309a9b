// The batch script is plain sh: run it here with the real /bin/sh (no Slurm needed) and check
// that every word arrives as written, whatever it holds.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { arrayScript, batchScript, cpuMask, sbatchEnvironment } from '../../../../electron/engine/backends/slurm/batchScript';
import { envSpecSchema, type JobCommand } from '../../../../shared/jobSpec';

const dir = mkdtempSync(join(tmpdir(), 'procdeck-batchscript-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runScript(script: string, env: Record<string, string> = {}): string {
  const file = join(dir, `script-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, script);
  return execFileSync('/bin/sh', [file], { env: { PATH: '/usr/bin:/bin', ...env }, encoding: 'utf8' });
}

const spec = (command: JobCommand, set: Record<string, string> = {}) => ({ command, env: envSpecSchema.parse({ set }), cpus: 1, cpuBind: undefined });
const WORDS = ['a b', "it's", '"dq"', '$HOME', '`id`', '$(id)', 'new\nline', '#SBATCH --x', '', '*', '-x', '--', '\\', "'", ';exit 7;', 'ü€'];

describe('batchScript', () => {
  it('passes argv words through exactly', () => {
    const out = runScript(batchScript(spec({ kind: 'argv', program: '/usr/bin/printf', args: ['%s\\0', ...WORDS] })));
    expect(out.split('\0').slice(0, -1)).toEqual(WORDS);
  });

  it('runs a shell job\'s script with /bin/sh -c, exit status included', () => {
    const script = batchScript(spec({ kind: 'shell', script: 'echo "$((1 + 2))" && exit 0' }));
    expect(runScript(script)).toBe('3\n');
    expect(() => runScript(batchScript(spec({ kind: 'shell', script: 'exit 3' })))).toThrow(expect.objectContaining({ status: 3 }));
  });

  it('applies overrides of any name and value through env(1), not the shell', () => {
    const set = { ODD: "a'b\"c $x `y`\nz", 'with-dash': '1', '-i': 'not an option' };
    const out = runScript(batchScript(spec({ kind: 'argv', program: '/usr/bin/env', args: ['-0'] }, set)), { KEPT: 'yes' });
    const env = new Map(out.split('\0').filter(Boolean).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    expect(env.get('ODD')).toBe(set.ODD);
    expect(env.get('with-dash')).toBe('1');
    expect(env.get('-i')).toBe('not an option');
    expect(env.get('KEPT')).toBe('yes');
  });

  it('runs a program whose path holds "=" even with overrides (env(1) would take it for an assignment)', () => {
    const program = join(dir, 'a=b');
    writeFileSync(program, '#!/bin/sh\necho "ran with $MARK $1"\n');
    chmodSync(program, 0o755);
    expect(runScript(batchScript(spec({ kind: 'argv', program, args: ['x'] }, { MARK: 'm' })))).toBe('ran with m x\n');
  });

  it('starts with a command, so sbatch reads no #SBATCH line of the job\'s', () => {
    const script = batchScript(spec({ kind: 'shell', script: '#SBATCH --partition=nope\ntrue' }));
    expect(script.split('\n')[1]).toMatch(/^exec /);
  });

  it('wraps the program in srun with the CPU mask when asked to bind', () => {
    const script = batchScript({ ...spec({ kind: 'argv', program: 'x', args: [] }), cpus: 2, cpuBind: [1, 3] });
    expect(script).toBe("#!/bin/sh\nexec 'srun' '--ntasks=1' '--cpus-per-task=2' '--cpu-bind=mask_cpu:0xa' '--' 'x'\n");
    expect(cpuMask([0])).toBe('0x1');
    expect(cpuMask([70])).toBe(`0x${(1n << 70n).toString(16)}`);
  });
});

describe('arrayScript', () => {
  it('runs item N for array task N, and fails loudly for a task it has no item for', () => {
    const script = arrayScript({ items: ["echo 'first'", 'echo second; exit 4'], env: envSpecSchema.parse({}), cpus: 1, cpuBind: undefined });
    expect(runScript(script, { SLURM_ARRAY_TASK_ID: '0' })).toBe('first\n');
    expect(() => runScript(script, { SLURM_ARRAY_TASK_ID: '1' })).toThrow(expect.objectContaining({ status: 4 }));
    expect(() => runScript(script, { SLURM_ARRAY_TASK_ID: '2' })).toThrow(expect.objectContaining({ status: 127 }));
  });
});

describe('sbatchEnvironment', () => {
  const engine = { PATH: '/usr/bin', HOME: '/root', SECRET: 's', SBATCH_ACCOUNT: 'ops' };

  it('is the engine\'s environment (inherit) or its allowed names (clean), never the job\'s overrides', () => {
    const set = { LD_PRELOAD: '/tmp/evil.so', SBATCH_PARTITION: 'x', PATH: '/tmp/evil' };
    expect(sbatchEnvironment({ env: envSpecSchema.parse({ set }) }, engine)).toEqual(engine);
    expect(sbatchEnvironment({ env: envSpecSchema.parse({ mode: 'clean', allow: ['PATH', 'HOME'], set }) }, engine)).toEqual({ PATH: '/usr/bin', HOME: '/root' });
  });
});
