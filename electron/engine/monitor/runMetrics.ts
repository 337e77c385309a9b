import type { RunMetrics } from '../../../shared/monitoring';

/** CPU seconds behind a CPU % measured over `seconds` of wall time (100 % = one core). */
export function cpuSecondsOver(cpuPercent: number, seconds: number): number {
  return (cpuPercent / 100) * seconds;
}

/** Peaks and totals of one run, updated once per tick. */
export class RunMetricsAccumulator {
  private peakCpu = 0;
  private peakRss = 0;
  private cpuSeconds = 0;
  private samples = 0;
  private lastAt: number;

  constructor(
    readonly runId: string,
    readonly startedAt: number,
  ) {
    this.lastAt = startedAt;
  }

  /** `cpuSeconds`: CPU the tree used since the previous sample (or since it started, on the first). */
  add(at: number, cpu: number, rss: number, cpuSeconds: number): void {
    this.peakCpu = Math.max(this.peakCpu, cpu);
    this.peakRss = Math.max(this.peakRss, rss);
    this.cpuSeconds += Math.max(0, cpuSeconds);
    this.samples++;
    this.lastAt = Math.max(this.lastAt, at);
  }

  get sampleCount(): number {
    return this.samples;
  }

  /**
   * The run's figures. Duration and output bytes are the caller's (the engine knows when the
   * run ended and how much it wrote); without `endedAt` the run is live and lasts until `now`.
   */
  metrics(extra: { outputBytes: number; endedAt?: number; now?: number }): RunMetrics {
    const end = extra.endedAt ?? extra.now ?? Math.max(Date.now(), this.lastAt);
    return {
      runId: this.runId,
      startedAt: this.startedAt,
      endedAt: extra.endedAt,
      durationMs: Math.max(0, end - this.startedAt),
      peakCpu: this.peakCpu,
      peakRss: this.peakRss,
      cpuSeconds: this.cpuSeconds,
      outputBytes: extra.outputBytes,
      samples: this.samples,
    };
  }
}
