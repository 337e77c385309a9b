import { afterEach, describe, expect, it } from 'vitest';
import { Monitoring } from '../../../electron/engine/monitor/monitoring';
import { readProcTable } from '../../../electron/engine/monitor/procTable';
import { ProcessTextCache } from '../../../electron/engine/monitor/processText';
import { describeTree } from '../../../electron/engine/monitor/treeDetail';
import { snapshotOf } from '../../../electron/engine/monitor/treeUsage';
import { killGroups, schedulerCpu, sleep, startShell } from './processes';

afterEach(killGroups);

async function until(probe: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (probe()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const childrenOf = (pid: number) => [...readProcTable().processes.values()].filter((p) => p.ppid === pid);

describe('process tree detail', () => {
  it('lists a known tree with command lines and sums it', async () => {
    const job = startShell('sleep 301 & sleep 302 & wait');
    await until(() => childrenOf(job.pid).filter((p) => p.comm === 'sleep').length === 2, 'two sleeps');
    const snapshot = snapshotOf(readProcTable());
    const detail = describeTree('job-1', job.pid, snapshot, undefined, new ProcessTextCache(), 1234)!;

    expect(detail.rootPid).toBe(job.pid);
    expect(detail.processes.map((p) => p.command)).toEqual(['sh -c sleep 301 & sleep 302 & wait', 'sleep 301', 'sleep 302']);
    expect(detail.processes[0]).toMatchObject({ pid: job.pid, ppid: process.pid, state: 'S', threads: 1 });
    expect(detail.processes.slice(1).every((p) => p.ppid === job.pid)).toBe(true);
    const rss = detail.processes.reduce((sum, p) => sum + p.rss, 0);
    expect(detail.totals).toEqual({ cpu: 0, rss, processes: 3 });
    expect(rss).toBeGreaterThan(0);
    expect(describeTree('x', 2 ** 22 + 5, snapshot, undefined, new ProcessTextCache(), 0)).toBeUndefined();
  });

  it('gives each busy child its own CPU %, and the totals match the job\'s sample', async () => {
    const job = startShell('yes > /dev/null & yes > /dev/null & wait');
    await until(() => childrenOf(job.pid).filter((p) => p.comm === 'yes').length === 2, 'two busy children');
    const monitoring = new Monitoring({ runOf: () => ({ runId: 'r', startedAt: Date.now() }) });
    const roots = new Map([['job', job.pid]]);
    monitoring.tick(roots);
    const yesPids = childrenOf(job.pid).map((p) => p.pid);
    const oracle = schedulerCpu(yesPids);
    await sleep(1000);
    const usage = monitoring.tick(roots).get('job')!;
    const truth = oracle.stop();
    const detail = monitoring.treeDetail('job')!;

    expect(detail.processes.map((p) => p.command)).toEqual(['sh -c yes > /dev/null & yes > /dev/null & wait', 'yes', 'yes']);
    const busy = detail.processes.slice(1);
    const busySum = busy[0]!.cpu + busy[1]!.cpu;
    // The scheduler's account of the same second, whatever share of the two cores the test got.
    expect(Math.abs(busySum - truth)).toBeLessThan(Math.max(12, truth * 0.1));
    for (const child of busy) expect(child.cpu).toBeGreaterThan(truth / 2 - 25);
    expect(detail.processes[0]!.cpu).toBeLessThan(5);
    expect(detail.totals.cpu).toBeCloseTo(usage.cpu, 6);
    expect(detail.totals.rss).toBe(usage.rss);
    expect(detail.totals.processes).toBe(3);
    monitoring.dispose();
  });
});
