import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { SlurmError } from '../../../../electron/engine/backends/slurm/slurmError';
import { isAlive } from '../../helpers';
import { waitForSlurm } from '../../../support/slurm/slurmWait';
import { FINAL, jobDir, readText, submitIn, untilState } from '../../../support/slurm/slurmJobs';
import { waitFor } from '../../../support/wait';
import type { SlurmTestContext } from './context';

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail while slurmctld is down');
    },
    (e: unknown) => e as SlurmError,
  );

export function controllerCases({ cluster, client }: SlurmTestContext): void {
  it('reports a stopped controller as down, keeps the job running, and works again once it is back', async () => {
    const dir = jobDir(cluster(), 'restart');
    const job = await submitIn(client(), dir, { command: { kind: 'shell', script: 'echo $$ > pid; exec sleep 1000' } });
    await untilState(client(), job.jobId, 'running');
    const pid = await waitFor(() => Number(readText(join(dir, 'pid'))) || undefined, 'the job to write its pid');

    await cluster().stopController();
    try {
      expect(await client().ping()).toMatchObject({ up: false });
      for (const call of [() => client().jobs(), () => client().cancel(job.jobId), () => submitIn(client(), dir, { command: { kind: 'shell', script: 'true' } })]) {
        const error = await rejection(call());
        expect(error).toMatchObject({ kind: 'controller-down', code: 'SYSTEM_REFUSED' });
        expect(error.message).toMatch(/Slurm controller \(slurmctld\) is not answering/);
      }
      // The node runs on without its controller: the job's process is still there.
      expect(isAlive(pid)).toBe(true);
    } finally {
      await cluster().startController();
    }

    // The same client, no reconnect: its next call simply gets an answer.
    const back = await waitForSlurm(
      () => client().job(job.jobId).catch(() => undefined),
      'the client to reach the restarted controller',
      60_000,
      500,
    );
    expect(back.view.state).toBe('running');
    await client().cancel(job.jobId);
    expect((await untilState(client(), job.jobId, FINAL)).view.state).toBe('killed');
  }, 180_000);
}
