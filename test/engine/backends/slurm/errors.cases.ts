import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SlurmClient } from '../../../../electron/engine/backends/slurm/slurmClient';
import { SlurmError } from '../../../../electron/engine/backends/slurm/slurmError';
import { FINAL, jobDir, submitIn, untilState } from '../../../support/slurm/slurmJobs';
import type { SlurmTestContext } from './context';

const shell = (script: string) => ({ kind: 'shell' as const, script });

async function failure(promise: Promise<unknown>): Promise<SlurmError & { code: string; field?: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) throw new Error('expected a failure, the call succeeded');
  return error as SlurmError & { code: string; field?: string };
}

export function errorCases({ cluster, client }: SlurmTestContext): void {
  it('refuses a partition that does not exist, in Slurm\'s words, and queues nothing', async () => {
    const before = (await client().jobs()).jobs.size;
    const error = await failure(submitIn(client(), jobDir(cluster(), 'badpart'), { partition: 'nope', command: shell('true') }));
    expect(error).toBeInstanceOf(SlurmError);
    expect(error).toMatchObject({ kind: 'bad-partition', code: 'INVALID_SPEC', field: 'partition', command: 'sbatch' });
    expect(error.message).toMatch(/partition does not exist.*nope/);
    expect(error.slurmMessage).toMatch(/Invalid partition name specified/);
    expect((await client().jobs()).jobs.size).toBe(before);
  }, 60_000);

  it('refuses memory no node has (Slurm: "Memory specification can not be satisfied")', async () => {
    const error = await failure(submitIn(client(), jobDir(cluster(), 'bigmem'), { memoryBytes: 2 ** 50, command: shell('true') }));
    expect(error).toMatchObject({ kind: 'unsatisfiable', field: 'memoryBytes' });
    expect(error.slurmMessage).toMatch(/Memory specification can not be satisfied/);
  }, 60_000);

  it('says Slurm is not installed when sbatch is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'procdeck-no-slurm-'));
    try {
      const noSlurm = new SlurmClient({ slurmConf: cluster().paths.conf, binDir: empty });
      const error = await failure(submitIn(noSlurm, jobDir(cluster(), 'nobin'), { command: shell('true') }));
      expect(error).toMatchObject({ kind: 'not-installed', code: 'UNSUPPORTED', command: 'sbatch' });
      expect(error.message).toBe(`Slurm is not installed here: no sbatch in ${empty}`);
      const onPath = new SlurmClient({ slurmConf: cluster().paths.conf, env: { PATH: empty } });
      expect(await failure(onPath.jobs())).toMatchObject({ kind: 'not-installed', command: 'squeue' });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);

  it('says Slurm is not configured when no slurm.conf can be found', async () => {
    const missing = join(tmpdir(), 'procdeck-missing-slurm.conf');
    const unconfigured = new SlurmClient({ env: { PATH: process.env.PATH ?? '', SLURM_CONF: missing } });
    const error = await failure(unconfigured.jobs());
    expect(error).toMatchObject({ kind: 'not-configured', code: 'UNSUPPORTED' });
    expect(error.message).toBe(`Slurm's configuration SLURM_CONF=${missing} does not exist`);
  }, 60_000);

  it('refuses a working directory that does not exist (Slurm would run the job in /tmp instead)', async () => {
    const dir = jobDir(cluster(), 'nocwd');
    const error = await failure(submitIn(client(), dir, { cwd: join(dir, 'missing'), command: shell('pwd') }));
    expect(error).toMatchObject({ code: 'CWD_NOT_FOUND', field: 'cwd' });
  }, 30_000);

  it('refuses specs Slurm would misread, naming the field', async () => {
    const dir = jobDir(cluster(), 'badspec');
    const base = { command: shell('true') };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ stdoutPath: join(dir, 'a\\b.out') }, 'stdoutPath', /backslash/],
      [{ stdoutPath: 'relative.out' }, 'stdoutPath', /absolute/],
      [{ name: 'x JobState=COMPLETED' }, 'name', /Name=/],
      [{ name: 'two\nlines' }, 'name', /control characters/],
      [{ partition: 'a,b' }, 'partition', /one partition name/],
      [{ cpus: 0 }, 'cpus', /at least 1/],
      [{ cpuBind: [] }, 'cpuBind', /at least one CPU/],
    ];
    for (const [spec, field, message] of cases) {
      const error = await failure(submitIn(client(), dir, { ...base, ...spec }));
      expect(error, JSON.stringify(spec)).toMatchObject({ code: 'INVALID_SPEC', field });
      expect(error.message).toMatch(message);
    }
  }, 30_000);

  it('tells an unknown job apart from a bad job id, and a bad id cancels nothing', async () => {
    const job = await submitIn(client(), jobDir(cluster(), 'bystander'), { hold: true, command: shell('true') });
    for (const call of [() => client().cancel('999999'), () => client().signal('999999', 'SIGTERM'), () => client().suspend('999999'), () => client().details('999999')]) {
      expect(await failure(call())).toMatchObject({ kind: 'unknown-job', code: 'NOT_FOUND' });
    }
    for (const bad of ['-u root', '--user=root', '1 2', '', '1,2']) {
      expect(await failure(client().cancel(bad))).toMatchObject({ code: 'INVALID_REQUEST', field: 'jobId' });
    }
    expect((await client().job(job.jobId)).view.state).toBe('queued');
    await client().cancel(job.jobId);
    await untilState(client(), job.jobId, FINAL);
  }, 90_000);

  it('says accounting is disabled, in Slurm\'s words, where there is no slurmdbd', async () => {
    const result = await client().accounting(['1']);
    expect(result).toEqual({ available: false, message: 'Slurm accounting storage is disabled' });
  }, 30_000);
}
