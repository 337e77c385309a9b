import { afterEach, describe, expect, it } from 'vitest';
import { MonitorHarness } from './monitorHarness';
import { cpuSecondsOver, RunMetricsAccumulator } from '../../../electron/engine/monitor/runMetrics';
import { bracket, clockTicks, cpuBetween, expectWithin, ticksAt, ticksBetween } from './kernelCpu';
import { killGroups } from './processes';
import { ReaperJob, scanReaperPhases } from './reaperJob';

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

});

describe('run metrics from real ticks', () => {
  it('counts the CPU time of children the job reaped between ticks', async () => {
    const job = await ReaperJob.start();
    const monitoring = new MonitorHarness({ runOf: () => ({ runId: 'run-1', startedAt: Date.now() }) });
    const roots = new Map([['job', job.pid]]);
    const ticks = await scanReaperPhases(job, (pids) => bracket(pids, () => monitoring.tick(roots).usage));
    const metrics = monitoring.monitor.subject('job')!.metrics({ outputBytes: 12, now: Date.now() });

    // The kernel's own account: everything the shell and its reaped children used, up to the last tick.
    expectWithin(metrics.cpuSeconds * clockTicks(), ticksAt(ticks.reaped), 'CPU ticks of the run');
    expect(ticksBetween(ticks.start, ticks.reaped).min).toBeGreaterThanOrEqual(10);
    // No tick's figure can be below the average over all of them.
    expect(metrics.peakCpu).toBeGreaterThanOrEqual(cpuBetween(ticks.start, ticks.reaped).min);
    expect(metrics.peakRss).toBeGreaterThan(0);
    expect(metrics.samples).toBe(4);
    expect(metrics.runId).toBe('run-1');
    expect(metrics.outputBytes).toBe(12);
    monitoring.dispose();
  });
});
