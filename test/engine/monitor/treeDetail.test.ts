import { afterEach, describe, expect, it } from 'vitest';
import { MonitorHarness } from './monitorHarness';
import { readProcTable } from '../../../electron/engine/monitor/procTable';
import { ProcessTextCache } from '../../../electron/engine/monitor/processText';
import { describeTree } from '../../../electron/engine/monitor/treeDetail';
import { snapshotOf } from '../../../electron/engine/monitor/treeUsage';
import { bracket, cpuBetween, expectWithin, waitForCpu } from './kernelCpu';
import { killGroups, startShell, waitForChildren, waitUntilSleeping } from './processes';

afterEach(killGroups);

describe('process tree detail', () => {
  it('lists a known tree with command lines and sums it', async () => {
    const job = startShell('sleep 301 & sleep 302 & wait');
    const sleeps = await waitForChildren(job.pid, 2, /^sleep 30[12]$/);
    await waitUntilSleeping([job.pid, ...sleeps]);
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

  it("gives each busy child its own CPU %, and the totals match the job's sample", async () => {
    const job = startShell('yes > /dev/null & yes > /dev/null & wait');
    const yesPids = await waitForChildren(job.pid, 2, /^yes$/);
    const pids = [job.pid, ...yesPids];
    const monitoring = new MonitorHarness({ runOf: () => ({ runId: 'r', startedAt: Date.now() }) });
    const roots = new Map([['job', job.pid]]);
    const first = bracket(pids, () => monitoring.tick(roots).usage);
    for (const pid of yesPids) await waitForCpu([pid], first.after, 30, `busy child ${pid}`);
    const second = bracket(pids, () => monitoring.tick(roots).usage);
    const usage = second.value.get('job')!;
    const detail = monitoring.monitor.treeDetail('job')!;

    expect(detail.processes.map((p) => p.command)).toEqual(['sh -c yes > /dev/null & yes > /dev/null & wait', 'yes', 'yes']);
    // Each process has what the kernel gave it over the same interval, whatever share of the machine that was.
    for (const row of detail.processes) expectWithin(row.cpu, cpuBetween(first, second, { pids: [row.pid] }), `CPU of ${row.command} (${row.pid})`);
    for (const row of detail.processes.slice(1)) expect(row.cpu).toBeGreaterThan(0);
    expect(detail.totals.cpu).toBeCloseTo(usage.cpu, 6);
    expect(detail.totals.rss).toBe(usage.rss);
    expect(detail.totals.processes).toBe(3);
    monitoring.dispose();
  });
});
