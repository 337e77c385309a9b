// What is refused before a job is queued for the Slurm cluster, without any cluster: sbatch
// missing, a slurm.conf that does not exist, what only this machine can enforce, bad resources.
// Each is a clear error naming the field, and nothing else changes: local jobs keep running.
import { mkdtempSync, rmSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { JobSpecInput } from '../../../../shared/jobSpec';
import { closeEngines, openEngine, waitForState } from '../../helpers';

const slurmJob = (where: Record<string, unknown> = {}, rest: Partial<JobSpecInput> = {}): JobSpecInput => ({ command: { kind: 'shell', script: 'true' }, cwd: '/tmp', ...rest, where: { kind: 'slurm', ...where } });
const scratch = mkdtempSync(join(tmpdir(), 'procdeck-slurm-preflight-'));
afterEach(() => closeEngines());
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function refusal(run: () => unknown): { code?: string; field?: string; message: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; field?: string; message: string };
  }
  throw new Error('expected the start to be refused');
}

describe('Slurm placement: refused before queueing', () => {
  it('names sbatch missing from PATH; the job list is unchanged and a local job still runs', async () => {
    const engine = openEngine({ slurm: { env: { PATH: join(scratch, 'empty-bin') } } });
    const error = refusal(() => engine.jobs.start(slurmJob()));
    expect(error).toMatchObject({ field: 'where' });
    expect(error.message).toMatch(/Slurm is not installed here: sbatch not found on PATH=/);
    expect(engine.jobs.list()).toEqual([]);
    expect(engine.backends.describe().find((b) => b.kind === 'slurm')).toMatchObject({ available: false, detail: expect.stringMatching(/sbatch not found/) });
    const local = engine.jobs.start({ command: { kind: 'shell', script: 'exit 0' } });
    expect((await waitForState(engine, local.id, 'exited')).exitCode).toBe(0);
  });

  it('names a slurm.conf setting that does not exist', () => {
    const bin = join(scratch, 'bin');
    mkdirSync(bin, { recursive: true });
    // An sbatch that must never be run: the missing configuration is said before any client starts.
    writeFileSync(join(bin, 'sbatch'), '#!/bin/sh\necho "must not run" >&2; exit 99\n');
    chmodSync(join(bin, 'sbatch'), 0o755);
    const engine = openEngine({ settings: { slurmConf: join(scratch, 'no-such', 'slurm.conf') }, slurm: { env: { PATH: bin } } });
    const error = refusal(() => engine.jobs.start(slurmJob()));
    expect(error.message).toMatch(/Slurm's configuration .*no-such\/slurm\.conf does not exist/);
  });

  it("refuses what only this machine enforces, and resources Slurm would not take, naming each field", () => {
    const bin = join(scratch, 'bin2');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'sbatch'), '#!/bin/sh\nexit 99\n');
    chmodSync(join(bin, 'sbatch'), 0o755);
    const conf = join(scratch, 'slurm.conf');
    writeFileSync(conf, '');
    const engine = openEngine({ settings: { slurmConf: conf }, slurm: { env: { PATH: bin } } });
    const cases: [JobSpecInput, string, RegExp][] = [
      [slurmJob({}, { isolation: { level: 'basic' } }), 'isolation', /not available on the Slurm cluster/],
      [slurmJob({}, { nice: 5 }), 'nice', /nice value is not available on the Slurm cluster/],
      [slurmJob({}, { affinity: { mode: 'least-loaded' } }), 'affinity', /only fixed cores/],
      [slurmJob({}, { cwd: 'relative/dir' }), 'cwd', /absolute path/],
      [slurmJob({}, { name: 'a Partition=evil' }), 'name', /Slurm's job record would read it as a field/],
    ];
    for (const [spec, field, message] of cases) {
      const error = refusal(() => engine.jobs.start(spec));
      expect(error, field).toMatchObject({ code: 'INVALID_SPEC', field });
      expect(error.message).toMatch(message);
    }
    expect(refusal(() => engine.jobs.start(slurmJob({ partition: 'a,b' }))).message).toMatch(/one partition name/);
    expect(refusal(() => engine.jobs.start(slurmJob({ cpus: 0 }))).message).toMatch(/cpus|too small|>=1/i);
    expect(engine.jobs.list()).toEqual([]);
  });
});
