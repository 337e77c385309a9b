import { afterEach, describe, expect, it } from 'vitest';
import { createPidusageSampler } from '../../../electron/engine/monitor/pidusageSampler';
import type { TreeSampler } from '../../../electron/engine/monitor/sampler';
import { exited, killGroups, schedulerCpu, sleep, startGroup, startShell } from './processes';

let sampler: TreeSampler | undefined;

afterEach(async () => {
  sampler?.dispose();
  sampler = undefined;
  await killGroups();
});

describe('pidusage sampler', () => {
  it('sums a busy tree found with ps', async () => {
    const job = startShell('yes > /dev/null & yes > /dev/null & wait');
    await sleep(200);
    sampler = createPidusageSampler();
    const roots = new Map([['job', job.pid]]);
    const first = (await sampler.sample(roots)).get('job');
    expect(first?.pids.length).toBeGreaterThanOrEqual(3);
    const oracle = schedulerCpu(first?.pids ?? []);
    await sleep(1500);
    const usage = (await sampler.sample(roots)).get('job');
    const truth = oracle.stop();

    expect(usage?.pids[0]).toBe(job.pid);
    expect(usage?.rss).toBeGreaterThan(0);
    expect(Math.abs((usage?.cpu ?? 0) - truth)).toBeLessThan(Math.max(10, truth * 0.08));
    if (truth > 165) expect(usage?.cpu).toBeGreaterThan(150);
  });

  it('leaves out a job whose root has gone', async () => {
    const gone = startGroup('true', []);
    await exited(gone);
    const alive = startGroup('sleep', ['300']);
    sampler = createPidusageSampler();
    expect([...(await sampler.sample(new Map([['gone', gone.pid]]))).keys()]).toEqual([]);
    const usage = await sampler.sample(new Map([['gone', gone.pid], ['alive', alive.pid]]));
    expect([...usage.keys()]).toEqual(['alive']);
  });
});
