import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { SubmittedJob } from '../../../../electron/engine/backends/slurm/submitJobs';
import { expandBatch } from '../../../../electron/engine/scheduler/batches';
import { waitForSlurm } from '../../../support/slurm/slurmWait';
import { FINAL, jobDir, readText, submitIn } from '../../../support/slurm/slurmJobs';
import type { SlurmTestContext } from './context';

/** Runs `work` over items with at most `limit` at a time (sbatch is a process: 20 at once would thrash a 2-core box). */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function batchCases({ cluster, client }: SlurmTestContext): void {
  it('runs 20 submissions to the end, each exiting 0 with its own output', async () => {
    const dir = jobDir(cluster(), 'twenty');
    const items = Array.from({ length: 20 }, (_, i) => i);
    const jobs: SubmittedJob[] = await inPool(items, 4, (i) =>
      submitIn(client(), dir, { name: `item-${i}`, memoryBytes: 16 << 20, command: { kind: 'argv', program: '/bin/echo', args: [`item ${i}`] }, stdoutPath: join(dir, `${i}.out`) }),
    );
    expect(new Set(jobs.map((j) => j.jobId)).size).toBe(20);
    const ids = jobs.map((j) => j.jobId);
    const done = await waitForSlurm(async () => {
      const { jobs: seen } = await client().jobs(ids);
      return ids.every((id) => FINAL.includes(seen.get(id)?.view.state ?? 'queued')) ? seen : undefined;
    }, 'all 20 jobs to end', 180_000, 500);
    for (const [i, job] of jobs.entries()) {
      expect(done.get(job.jobId)!.view, `item ${i}`).toMatchObject({ state: 'exited', exitCode: 0 });
      expect(readText(job.stdoutPath)).toBe(`item ${i}\n`);
    }
  }, 240_000);

  it('runs a template batch as one job array: every item, each with its own output and exit status', async () => {
    const dir = jobDir(cluster(), 'array');
    const items = expandBatch({ template: "printf 'item %s\\n' {}; case {} in 1|3) exit 1 ;; esac", inputs: '0\n1\n2\n3' });
    const array = await client().submitArray({ items, cwd: dir, outputDir: dir, memoryBytes: 16 << 20 });
    expect(array.taskIds).toEqual([0, 1, 2, 3].map((i) => `${array.arrayJobId}_${i}`));
    const done = await waitForSlurm(async () => {
      const { jobs: seen } = await client().jobs(array.taskIds);
      return array.taskIds.every((id) => FINAL.includes(seen.get(id)?.view.state ?? 'queued')) ? seen : undefined;
    }, 'every array task to end', 120_000, 500);
    for (const [i, id] of array.taskIds.entries()) {
      expect(done.get(id)!.view, id).toMatchObject({ state: 'exited', exitCode: i % 2 });
      expect(done.get(id)!.arrayTaskId).toBe(i);
      expect(readText(array.stdoutOf(i))).toBe(`item ${i}\n`);
    }
  }, 180_000);

  it('reports the live usage of array tasks under their task ids, each step once', async () => {
    const dir = jobDir(cluster(), 'arrayusage');
    const array = await client().submitArray({ items: ['while :; do :; done', 'while :; do :; done'], cwd: dir, outputDir: dir, memoryBytes: 16 << 20 });
    try {
      // One task may wait for a CPU (the time-limit job holds one): whichever run are reported.
      const usage = await waitForSlurm(async () => {
        const u = await client().usage(array.taskIds);
        return u.size > 0 ? u : undefined;
      }, 'sstat to report a running array task');
      for (const [id, u] of usage) {
        expect(array.taskIds).toContain(id);
        expect(u.jobId).toBe(id);
        // sstat prints an array task's steps once per task id asked for; each is counted once.
        expect(u.steps).toHaveLength(1);
      }
    } finally {
      await client().cancel(array.arrayJobId);
    }
    const ended = await waitForSlurm(async () => {
      const { jobs: seen } = await client().jobs(array.taskIds);
      return array.taskIds.every((id) => FINAL.includes(seen.get(id)?.view.state ?? 'queued')) ? seen : undefined;
    }, 'the cancelled array tasks to end');
    for (const id of array.taskIds) expect(ended.get(id)!.view.state).toBe('killed');
  }, 120_000);
}
