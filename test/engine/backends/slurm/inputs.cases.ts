import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SlurmClient } from '../../../../electron/engine/backends/slurm/slurmClient';
import { FINAL, jobDir, readText, submitIn, untilState } from '../../../support/slurm/slurmJobs';
import type { SlurmTestContext } from './context';

/** `env -0` output as a map. */
function parseEnv0(text: string): Map<string, string> {
  return new Map(
    text
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

const HOSTILE_WORDS = ['a b', "it's", '"dq"', '$HOME', '`id`', '$(id)', 'new\nline', '#SBATCH --partition=nope', '', '*', '-x', '--', '\\', 'tab\there', 'ü€', "'", ';exit 7;'];

export function inputCases({ cluster, client }: SlurmTestContext): void {
  it('passes argv words to the program exactly, whatever they hold', async () => {
    const job = await submitIn(client(), jobDir(cluster(), 'argv'), { command: { kind: 'argv', program: '/usr/bin/printf', args: ['%s\\0', ...HOSTILE_WORDS] } });
    expect((await untilState(client(), job.jobId, FINAL)).view).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(readText(job.stdoutPath).split('\0').slice(0, -1)).toEqual(HOSTILE_WORDS);
  }, 60_000);

  it('inherits the engine environment or keeps only the allowed names, and applies overrides of any name and value', async () => {
    const engineEnv = { ...process.env, PROCDECK_ENGINE_ONLY: 'from the engine' };
    const withEngineEnv = new SlurmClient({ slurmConf: cluster().paths.conf, env: engineEnv });
    const odd = "a'b\"c $x `y`\nz";
    const set = { ODD: odd, 'with-dash': '1' };
    const dir = jobDir(cluster(), 'env');
    const run = async (mode: 'inherit' | 'clean', file: string) => {
      const job = await submitIn(withEngineEnv, dir, { env: { mode, allow: ['PATH', 'HOME'], set }, command: { kind: 'argv', program: '/usr/bin/env', args: ['-0'] }, stdoutPath: join(dir, file) });
      expect((await untilState(client(), job.jobId, FINAL)).view).toMatchObject({ state: 'exited', exitCode: 0 });
      return parseEnv0(readText(job.stdoutPath));
    };
    const inherited = await run('inherit', 'inherit.env');
    expect(inherited.get('PROCDECK_ENGINE_ONLY')).toBe('from the engine');
    expect(inherited.get('ODD')).toBe(odd);
    expect(inherited.get('with-dash')).toBe('1');
    expect(inherited.get('SLURM_JOB_ID')).toMatch(/^\d+$/);

    const clean = await run('clean', 'clean.env');
    expect(clean.has('PROCDECK_ENGINE_ONLY')).toBe(false);
    expect(clean.get('PATH')).toBe(process.env.PATH);
    expect(clean.get('ODD')).toBe(odd);
    expect(clean.get('SLURM_JOB_ID')).toMatch(/^\d+$/);
    // --export=NONE would have made slurmd load the user's login environment instead.
    expect(clean.has('SLURM_GET_USER_ENV')).toBe(false);
  }, 90_000);

  it('keeps a job\'s overrides out of sbatch: SBATCH_*, SLURM_CONF and PATH reach only the job', async () => {
    const dir = jobDir(cluster(), 'sbatchenv');
    const set = { SBATCH_PARTITION: 'nope', SBATCH_TIMELIMIT: '1', SLURM_CONF: '/nonexistent/slurm.conf', PATH: '/nonexistent' };
    const job = await submitIn(client(), dir, { env: { set }, command: { kind: 'argv', program: '/usr/bin/env', args: ['-0'] } });
    const ended = await untilState(client(), job.jobId, FINAL);
    expect(ended.view).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(ended.partition).toBe('debug');
    expect(ended.timeLimitMinutes).toBeUndefined();
    const env = parseEnv0(readText(job.stdoutPath));
    expect(env.get('SBATCH_PARTITION')).toBe('nope');
    expect(env.get('PATH')).toBe('/nonexistent');
  }, 60_000);

  it('treats "#SBATCH" lines of a shell job as comments, not as options', async () => {
    const script = '#SBATCH --partition=nope\n#SBATCH --time=1\n#SBATCH --output=/tmp/elsewhere\necho ran';
    const job = await submitIn(client(), jobDir(cluster(), 'sbatchlines'), { command: { kind: 'shell', script } });
    const ended = await untilState(client(), job.jobId, FINAL);
    expect(ended.view).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(ended.partition).toBe('debug');
    expect(ended.timeLimitMinutes).toBeUndefined();
    expect(readText(job.stdoutPath)).toBe('ran\n');
  }, 60_000);

  it('runs in a working directory and writes output paths holding spaces and %, literally', async () => {
    const dir = jobDir(cluster(), 'paths');
    const cwd = join(dir, 'dir with space %j %x');
    mkdirSync(cwd);
    const stdoutPath = join(cwd, 'out %j %%.txt');
    const job = await submitIn(client(), dir, { cwd, stdoutPath, command: { kind: 'argv', program: '/bin/pwd' } });
    expect((await untilState(client(), job.jobId, FINAL)).view).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(readText(stdoutPath)).toBe(`${cwd}\n`);
  }, 60_000);
}
