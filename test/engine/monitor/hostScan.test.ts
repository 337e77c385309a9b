import { afterEach, describe, expect, it } from 'vitest';
import { HostScan } from '../../../electron/engine/monitor/hostScan';
import type { TreeSampler, TreeUsage } from '../../../electron/engine/monitor/sampler';
import { bracketAsync, cpuBetween, expectWithin, readCpu, ticksBetween, waitForCpu, type Bracketed } from './kernelCpu';
import { exited, killGroups, startGroup, startShell, waitForChildren, waitForOutput, waitUntilSleeping } from './processes';
import { ReaperJob, scanReaperPhases } from './reaperJob';

const MiB = 1024 * 1024;
let sampler: TreeSampler | undefined;

afterEach(async () => {
  sampler?.dispose();
  sampler = undefined;
  await killGroups();
});

const sampleOf = (s: TreeSampler, roots: Map<string, number>, pids: readonly number[]) => bracketAsync(pids, () => s.sample(roots));

// The local backend's sampler on Linux: the host scan (the plain full-scan sampler these tests were written for is now the benches' baseline).
describe('host scan as the local runs\' sampler', () => {
  it('sums the CPU of a whole tree: two busy children count twice', async () => {
    const job = startShell('yes > /dev/null & yes > /dev/null & wait');
    const children = await waitForChildren(job.pid, 2, /^yes$/);
    const pids = [job.pid, ...children];
    sampler = new HostScan();
    const roots = new Map([['job', job.pid]]);
    const first = await sampleOf(sampler, roots, pids);
    // Each child runs until the kernel has given it half a second of CPU, whatever share of the machine that takes.
    for (const child of children) await waitForCpu([child], first.after, 50, `busy child ${child}`);
    const second = await sampleOf(sampler, roots, pids);
    const usage = second.value.get('job');

    expect(usage?.pids.sort()).toEqual([...pids].sort());
    expect(usage?.pids[0]).toBe(job.pid);
    expectWithin(usage?.cpu, cpuBetween(first, second), 'tree CPU');
    // Both children are in the sum: more than either one alone could have used.
    for (const child of children) expect(usage!.cpu).toBeGreaterThan(cpuBetween(first, second, { pids: children.filter((c) => c !== child) }).max);
  });

  it('reports an idle tree at 0 % CPU', async () => {
    const job = startShell('sleep 300 & sleep 300 & wait');
    const children = await waitForChildren(job.pid, 2, /^sleep 300$/);
    const pids = [job.pid, ...children];
    await waitUntilSleeping(pids);
    // Outside the tree: the interval lasts until it has had half a second of CPU, which a busy
    // member would have shown, whatever share of the machine that takes.
    const witness = startShell('while :; do :; done');
    sampler = new HostScan();
    const roots = new Map([['job', job.pid]]);
    const first = await sampleOf(sampler, roots, pids);
    await waitForCpu([witness.pid], readCpu([witness.pid]), 50, 'a busy process outside the tree');
    const second = await sampleOf(sampler, roots, pids);
    const usage = second.value.get('job');
    expect(usage?.pids.length).toBe(3);
    // Asleep all along: the kernel charged nothing, so nothing may be reported.
    expect(ticksBetween(first, second).max).toBe(0);
    expect(usage?.cpu).toBe(0);
  });

  it("counts children no scan saw, and children a scan saw, once, through the parent's reaped time", async () => {
    const job = await ReaperJob.start();
    sampler = new HostScan();
    const roots = new Map([['job', job.pid]]);
    const { start, afterBurst, seen, reaped, spinner } = await scanReaperPhases(job, (pids) => sampleOf(sampler!, roots, pids));
    const cpuOf = (scan: Bracketed<Map<string, TreeUsage>>) => scan.value.get('job')?.cpu;
    // Three children were born, busy and reaped between the two scans: only cutime has them.
    expect(ticksBetween(start, afterBurst).min).toBeGreaterThanOrEqual(10);
    expectWithin(cpuOf(afterBurst), cpuBetween(start, afterBurst), 'CPU of children reaped between scans');
    // A busy child seen by a scan, then reaped: its time before that scan must not count again.
    expect(seen.value.get('job')?.pids).toEqual([job.pid, spinner]);
    expect(reaped.value.get('job')?.pids).toEqual([job.pid]);
    expectWithin(cpuOf(reaped), cpuBetween(seen, reaped), 'CPU of a child reaped after a scan saw it');
  });

  it('measures resident memory: a process holding 200 MiB', async () => {
    const holder = startGroup(
      process.execPath,
      ['-e', 'const b = Buffer.alloc(200 * 1024 * 1024, 1); console.log("ready"); setInterval(() => b[0]++, 1000);'],
      { stdout: 'pipe' },
    );
    await waitForOutput(holder, 'ready');
    sampler = new HostScan();
    const usage = (await sampler.sample(new Map([['job', holder.pid]]))).get('job');
    expect(usage?.rss).toBeGreaterThan(200 * MiB);
    expect(usage?.rss).toBeLessThan(330 * MiB);
  });

  it('leaves out a job whose root has gone and keeps the others', async () => {
    const gone = startGroup('true', []);
    await exited(gone);
    const alive = startGroup('sleep', ['300']);
    sampler = new HostScan();
    const usage = await sampler.sample(new Map([['gone', gone.pid], ['alive', alive.pid]]));
    expect([...usage.keys()]).toEqual(['alive']);
    expect(usage.get('alive')?.pids).toEqual([alive.pid]);
  });

  it('keeps the trees of several jobs apart in one call', async () => {
    const busy = startShell('yes > /dev/null');
    const idle = startShell('sleep 300');
    const [yes] = await waitForChildren(busy.pid, 1, /^yes$/);
    const [nap] = await waitForChildren(idle.pid, 1, /^sleep 300$/);
    await waitUntilSleeping([idle.pid, nap!]);
    const busyPids = [busy.pid, yes!];
    const idlePids = [idle.pid, nap!];
    sampler = new HostScan();
    const roots = new Map([['busy', busy.pid], ['idle', idle.pid]]);
    const first = await sampleOf(sampler, roots, [...busyPids, ...idlePids]);
    await waitForCpu([yes!], first.after, 20, 'the busy job');
    const second = await sampleOf(sampler, roots, [...busyPids, ...idlePids]);
    const usage = second.value;
    expect(usage.get('busy')?.pids).toEqual(busyPids);
    expect(usage.get('idle')?.pids).toEqual(idlePids);
    expectWithin(usage.get('busy')?.cpu, cpuBetween(first, second, { pids: busyPids }), 'busy job');
    expect(usage.get('busy')?.cpu).toBeGreaterThan(0);
    expect(ticksBetween(first, second, idlePids).max).toBe(0);
    expect(usage.get('idle')?.cpu).toBe(0);
  });

  it('returns nothing for no roots', async () => {
    sampler = new HostScan();
    expect((await sampler.sample(new Map())).size).toBe(0);
  });
});
