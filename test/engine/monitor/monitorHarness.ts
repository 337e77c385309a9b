import type { RunSample } from '../../../electron/engine/backends/backend';
import { createMonitoring, type MonitoringOptions } from '../../../electron/engine/monitor/createMonitor';
import type { HostScan } from '../../../electron/engine/monitor/hostScan';
import type { MachineMonitor } from '../../../electron/engine/monitor/machineMonitor';
import type { Monitor } from '../../../electron/engine/monitor/monitor';
import { runSampleOf, type TrackedProcesses, type TreeUsage } from '../../../electron/engine/monitor/sampler';
import type { MonitorTick } from '../../../shared/monitoring';

export interface HarnessOptions extends MonitoringOptions {
  /** The current run of a job being sampled (what the local backend knows of its runs). */
  runOf(jobId: string): { runId: string; startedAt: number; name?: string } | undefined;
}

/**
 * The monitor as the engine wires it (createMonitoring), ticked the way the engine's sampling
 * pipeline does: the local backend's runs sampled through the host scan, then the monitor
 * records the tick (and the machine's own subjects, from the same scan).
 */
export class MonitorHarness {
  readonly monitor: Monitor;
  readonly host: HostScan;
  readonly machine: MachineMonitor;

  constructor(private readonly options: HarnessOptions) {
    const { monitor, host } = createMonitoring({ procfs: true, ...options });
    this.monitor = monitor;
    this.host = host!;
    this.machine = monitor.machine!;
  }

  /** One tick: the jobs' usage (as the local backend's sampler answered it) and what the monitor recorded. */
  tick(roots: ReadonlyMap<string, number>, tracked?: ReadonlyMap<string, TrackedProcesses>): { usage: Map<string, TreeUsage>; tick: MonitorTick } {
    const at = this.options.now?.() ?? Date.now();
    // The local backend asks its sampler only while it has live runs.
    const usage = roots.size > 0 || (tracked?.size ?? 0) > 0 ? this.host.scan(roots, tracked) : new Map<string, TreeUsage>();
    const jobs = new Map<string, RunSample>();
    for (const [jobId, tree] of usage) {
      const run = this.options.runOf(jobId);
      if (run) jobs.set(jobId, runSampleOf(run.runId, run.startedAt, run.name, tree));
    }
    const record = this.monitor.tick(at, jobs);
    return { usage, tick: { ...record.monitor, ...(record.system && { system: record.system }) } };
  }

  dispose(): void {
    this.monitor.dispose();
    this.host.dispose();
  }
}
