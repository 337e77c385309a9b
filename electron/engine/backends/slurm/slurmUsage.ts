import type { RunSample } from '../backend';
import type { SlurmClient } from './slurmClient';
import type { SlurmRun } from './slurmRun';
import { CpuRate } from './sstatUsage';

/** How often sstat is asked (README: AveCPU has 1 s resolution, so 10 s keeps the rate within 10 %; ~6–8 ms CPU a call). */
export const SSTAT_INTERVAL_MS = 10_000;
const NO_SAMPLES: ReadonlyMap<string, RunSample> = new Map();
/** CPU seconds unchanged this long: the job is idle (not merely slurmstepd's figures late). */
const UNCHANGED_MEANS_IDLE_MS = 60_000;

/**
 * Live usage of the running Slurm jobs from `sstat`, on the sampling pipeline's tick but at
 * most every `intervalMs`: the call runs beside the tick (never delaying local jobs' samples)
 * and each new figure is handed out once, at the next tick, with the interval it covers, so
 * the monitor's CPU seconds add up as for a local run.
 */
export class SlurmUsage {
  private readonly rate = new CpuRate();
  private lastAskedAt = 0;
  private inFlight = false;
  private fresh = new Map<string, RunSample>();

  constructor(private readonly intervalMs = SSTAT_INTERVAL_MS) {}

  /** Figures that arrived since the last tick, by job id; starts the next sstat when one is due. */
  take(runs: ReadonlyMap<string, SlurmRun>, client: () => SlurmClient, controllerDown: boolean): ReadonlyMap<string, RunSample> {
    // No Slurm job and no figure waiting (every tick of an engine without Slurm jobs): nothing to do.
    if (runs.size === 0 && this.fresh.size === 0) return NO_SAMPLES;
    const out = this.fresh;
    this.fresh = new Map();
    const now = Date.now();
    if (!this.inFlight && !controllerDown && now - this.lastAskedAt >= this.intervalMs) {
      const running = [...runs].filter(([, run]) => run.state === 'running' && run.slurmJobId !== undefined && run.startedAt !== undefined);
      if (running.length > 0) {
        this.lastAskedAt = now;
        this.inFlight = true;
        void this.ask(running, client()).finally(() => (this.inFlight = false));
      }
    }
    return out;
  }

  forget(slurmJobId: string): void {
    this.rate.forget(slurmJobId);
    this.previousAt.delete(slurmJobId);
    this.lastCpuSeconds.delete(slurmJobId);
  }

  private async ask(running: [string, SlurmRun][], client: SlurmClient): Promise<void> {
    const usage = await client.usage(running.map(([, run]) => run.slurmJobId!)).catch(() => undefined);
    if (!usage) return; // the next poll of states says what is wrong with the controller
    const at = Date.now();
    for (const [jobId, run] of running) {
      const job = usage.get(run.slurmJobId!);
      if (!job || !run.isActive() || run.startedAt === undefined) continue;
      const previous = this.previousAt.get(run.slurmJobId!);
      // slurmstepd refreshes its figures on its own clock (JobAcctGatherFrequency), late on a
      // loaded node: the same CPU seconds again is no new measurement, not an idle job. It is
      // skipped (the rate then spans the time since the last real one) unless it stays so long
      // that the job is idle indeed.
      const last = this.lastCpuSeconds.get(run.slurmJobId!);
      if (previous !== undefined && last === job.cpuSeconds && at - previous < UNCHANGED_MEANS_IDLE_MS) continue;
      this.lastCpuSeconds.set(run.slurmJobId!, job.cpuSeconds);
      const rate = this.rate.update(job, at);
      this.previousAt.set(run.slurmJobId!, at);
      const lifetimeSeconds = Math.max(1, (at - run.startedAt) / 1000);
      this.fresh.set(jobId, {
        runId: run.runId,
        startedAt: run.startedAt,
        usage: {
          cpu: rate ?? (job.cpuSeconds / lifetimeSeconds) * 100,
          rss: job.rssBytes ?? 0,
          processes: job.steps.reduce((n, s) => n + s.tasks, 0),
          ...(previous !== undefined && { intervalSeconds: (at - previous) / 1000 }),
          lifetimeCpuSeconds: job.cpuSeconds,
        },
      });
    }
  }

  private readonly previousAt = new Map<string, number>();
  private readonly lastCpuSeconds = new Map<string, number>();
}
