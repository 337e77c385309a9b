// The Slurm client against a real single-node Slurm (munged, slurmctld, slurmd) started for
// this file in a temp dir. Groups of cases live in *.cases.ts; they share the one cluster, in
// order. The time-limit job is submitted first and checked last: Slurm limits are whole
// minutes, so it runs ~1-1.5 min while everything else is tested beside it.
import { beforeAll, expect, it } from 'vitest';
import { parseIdList } from '../../../../electron/engine/backends/slurm/scontrolJob';
import { SlurmClient } from '../../../../electron/engine/backends/slurm/slurmClient';
import type { SubmittedJob } from '../../../../electron/engine/backends/slurm/submitJobs';
import { describeWithSlurm } from '../../../support/slurm/slurmFixture';
import { FINAL, jobDir, submitIn, untilFileMatches, untilState } from '../../../support/slurm/slurmJobs';
import { batchCases } from './batches.cases';
import { controlCases } from './controls.cases';
import { controllerCases } from './controller.cases';
import { errorCases } from './errors.cases';
import { inputCases } from './inputs.cases';
import { lifecycleCases } from './lifecycle.cases';

describeWithSlurm('Slurm client on a real single-node cluster', { constrain: true }, (cluster) => {
  let client: SlurmClient | undefined;
  let timeLimited: SubmittedJob;
  const ctx = {
    cluster,
    client: () => {
      if (!client) throw new Error('no client: the cluster did not start');
      return client;
    },
  };

  beforeAll(async () => {
    client = new SlurmClient({ slurmConf: cluster().paths.conf });
    timeLimited = await submitIn(client, jobDir(cluster(), 'timelimit'), { timeLimitMs: 1000, memoryBytes: 16 << 20, command: { kind: 'shell', script: 'exec sleep 1000' } });
  }, 60_000);

  lifecycleCases(ctx);
  controlCases(ctx);
  inputCases(ctx);
  errorCases(ctx);
  batchCases(ctx);
  controllerCases(ctx);

  it('ends a job at its time limit as timed out (TIMEOUT)', async () => {
    expect(timeLimited.timeLimitMinutes).toBe(1);
    // slurmctld looks at time limits every 30 s: a 1 min limit ends a job within about 90 s of its start.
    const ended = await untilState(ctx.client(), timeLimited.jobId, FINAL, 180_000);
    expect(ended.slurmState).toBe('TIMEOUT');
    expect(ended.view).toMatchObject({ state: 'timed-out', reason: 'Slurm time limit 1 min reached (TIMEOUT)' });
    expect(ended.endedAt! - ended.startedAt!).toBeGreaterThanOrEqual(60_000);
  }, 200_000);

  it('binds the job\'s program to a chosen CPU of its allocation (srun --cpu-bind inside the batch script)', async () => {
    const cpus = cluster().cpus;
    const target = cpus - 1;
    const job = await submitIn(ctx.client(), jobDir(cluster(), 'bind'), {
      cpus,
      cpuBind: [target],
      command: { kind: 'shell', script: 'grep Cpus_allowed_list /proc/self/status' },
    });
    const ended = await untilState(ctx.client(), job.jobId, FINAL, 120_000);
    expect(ended.view).toMatchObject({ state: 'exited', exitCode: 0 });
    const allowed = await untilFileMatches(job.stdoutPath, /Cpus_allowed_list:\s*(\S+)/);
    expect(parseIdList(allowed[1]!)).toEqual([target]);
  }, 150_000);
});
