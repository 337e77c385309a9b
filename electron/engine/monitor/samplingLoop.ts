/**
 * Runs the sampling tick once per interval. The next tick is scheduled only after the current
 * one finished, so a slow /proc scan can never pile up overlapping ticks.
 */
export class SamplingLoop {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private intervalMs: number,
    private readonly tick: (at: number) => Promise<void>,
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
    this.timer = setTimeout(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      await this.tick(Date.now());
    } catch {
      // A failed scan (a process vanishing mid-read is already handled inside) skips one tick.
    } finally {
      this.schedule();
    }
  }
}
