import { afterEach, describe, expect, it } from 'vitest';
import { Monitoring } from '../../../electron/engine/monitor/monitoring';
import { readProcTable } from '../../../electron/engine/monitor/procTable';
import { cpuSecondsOver, lifetimeCpuSeconds, RunMetricsAccumulator } from '../../../electron/engine/monitor/runMetrics';
import { killGroups, sleep, startShell } from './processes';

afterEach(killGroups);

describe('RunMetricsAccumulator', () => {
  it('keeps peaks, sums CPU time and takes duration and output bytes from the caller', () => {
    const run = new RunMetricsAccumulator('r1', 10_000);
    run.add(11_000, 50, 100, 0.5);
    run.add(12_000, 180, 300, 1.8);
    run.add(13_000, 20, 200, 0.2);
    expect(run.metrics({ outputBytes: 4096, endedAt: 13_500 })).toEqual({
      runId: 'r1',
      startedAt: 10_000,
      endedAt: 13_500,
      durationMs: 3500,
      peakCpu: 180,
      peakRss: 300,
      cpuSeconds: 2.5,
      outputBytes: 4096,
      samples: 3,
    });
    expect(run.metrics({ outputBytes: 0, now: 20_000 }).durationMs).toBe(10_000);
  });

  it('converts CPU % over an interval back to CPU seconds', () => {
    expect(cpuSecondsOver(150, 2)).toBe(3);
  });

  it('counts a tree\'s whole-life CPU, own and reaped, for the first sample', () => {
    const table = readProcTable();
    const self = table.processes.get(process.pid)!;
    expect(lifetimeCpuSeconds(table, [process.pid])).toBe((self.cpuTicks + self.childCpuTicks) / table.clockTicks);
  });
});

describe('run metrics from real ticks', () => {
  it('counts the CPU time of children the job reaped between ticks', async () => {
    // Three busy children of 0.4 s each, all reaped by the shell, which then idles.
    const job = startShell('i=0; while [ $i -lt 3 ]; do timeout 0.4 sh -c "while :; do :; done"; i=$((i+1)); done; sleep 300');
    const startedAt = Date.now();
    const monitoring = new Monitoring({ runOf: () => ({ runId: 'run-1', startedAt }) });
    const roots = new Map([['job', job.pid]]);
    const busyChildren = () => [...readProcTable().processes.values()].filter((p) => p.ppid === job.pid && p.comm !== 'sleep');
    for (let i = 0; i < 60; i++) {
      monitoring.tick(roots);
      if (Date.now() - startedAt > 1300 && busyChildren().length === 0) break;
      await sleep(150);
    }
    await sleep(200);
    monitoring.tick(roots);
    const table = readProcTable();
    const shell = table.processes.get(job.pid)!;
    // The kernel's own account: everything the shell and its reaped children used.
    const truth = (shell.cpuTicks + shell.childCpuTicks) / table.clockTicks;
    const metrics = monitoring.subject('job')!.metrics({ outputBytes: 12, now: Date.now() });
    expect(truth).toBeGreaterThan(0.05);
    expect(Math.abs(metrics.cpuSeconds - truth)).toBeLessThanOrEqual(0.05);
    expect(metrics.peakCpu).toBeGreaterThan(5);
    expect(metrics.peakRss).toBeGreaterThan(0);
    expect(metrics.samples).toBeGreaterThan(3);
    expect(metrics.runId).toBe('run-1');
    expect(metrics.outputBytes).toBe(12);
    monitoring.dispose();
  });
});
