import { afterEach, describe, expect, it } from 'vitest';
import { createPidusageSampler } from '../../../electron/engine/monitor/pidusageSampler';
import type { TreeSampler } from '../../../electron/engine/monitor/sampler';
import { bracketAsync, cpuBetween, expectWithin, waitForCpu } from './kernelCpu';
import { exited, killGroups, startGroup, startShell, waitForChildren } from './processes';

let sampler: TreeSampler | undefined;

afterEach(async () => {
  sampler?.dispose();
  sampler = undefined;
  await killGroups();
});

// pidusage times the interval with /proc/uptime, which has 10 ms steps.
const UPTIME_RESOLUTION_MS = 10;

describe('pidusage sampler', () => {
  it('sums a busy tree found with ps', async () => {
    const job = startShell('yes > /dev/null & yes > /dev/null & wait');
    const children = await waitForChildren(job.pid, 2, /^yes$/);
    const pids = [job.pid, ...children];
    sampler = createPidusageSampler();
    const roots = new Map([['job', job.pid]]);
    const first = await bracketAsync(pids, () => sampler!.sample(roots));
    expect(first.value.get('job')?.pids.sort()).toEqual([...pids].sort());
    for (const child of children) await waitForCpu([child], first.after, 50, `busy child ${child}`);
    const second = await bracketAsync(pids, () => sampler!.sample(roots));
    const usage = second.value.get('job');

    expect(usage?.pids[0]).toBe(job.pid);
    expect(usage?.rss).toBeGreaterThan(0);
    expectWithin(usage?.cpu, cpuBetween(first, second, { clockSlackMs: UPTIME_RESOLUTION_MS }), 'tree CPU');
    // Both children are in the sum: more than either one alone could have used.
    for (const child of children) {
      const other = children.filter((c) => c !== child);
      expect(usage!.cpu).toBeGreaterThan(cpuBetween(first, second, { pids: other, clockSlackMs: UPTIME_RESOLUTION_MS }).max);
    }
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
