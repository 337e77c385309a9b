import type { TreeUsage } from './sampler';

/**
 * Calls the sampler once per interval. The next tick is scheduled only after the current one
 * finished, so a slow /proc scan can never pile up overlapping ticks.
 */
export class SamplingLoop {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private intervalMs: number,
    private readonly sample: () => Promise<Map<string, TreeUsage>>,
    private readonly onTick: (at: number, usage: Map<string, TreeUsage>) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  setInterval(ms: number): void {
    this.intervalMs = ms;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      // Called with no roots too: the sampler returns at once when it has nothing to watch,
      // and a monitor may still have the machine's figures or watched processes to report.
      const usage = await this.sample();
      if (!this.stopped) this.onTick(Date.now(), usage);
    } catch {
      // A failed scan (a process vanishing mid-read is already handled inside) skips one tick.
    } finally {
      this.schedule();
    }
  }
}
