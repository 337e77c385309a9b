/**
 * Runs the sampling tick once per interval while there is something to sample. The next tick
 * is scheduled only after the current one finished, so a slow /proc scan can never pile up
 * overlapping ticks.
 *
 * A tick that says there was nothing to sample (no run, no watched process, no viewer or
 * subscriber of the machine's figures, nothing owed to a client) pauses the loop: no timer
 * fires until `wake()`. A timer that fires every second while nothing changed is not free on
 * an idle server: after ~10 minutes V8 optimizes node's timer list and the tick, and the
 * optimizing compiler's pages cost 3.4 MiB of RSS for the life of the process (README,
 * *Where the memory goes*). Whatever can give the next tick something to do wakes it (a job
 * change, a watch, a system view, a subscriber); a woken loop ticks one interval later, as an
 * idle tick would have.
 */
export class SamplingLoop {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private running = false;
  /** woken while a tick ran: it is followed by another whatever it said. */
  private wokenDuringTick = false;

  constructor(
    private intervalMs: number,
    /** One tick; false when there was nothing to sample and nothing to send (the loop pauses until woken). */
    private readonly tick: (at: number) => Promise<boolean>,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  setInterval(ms: number): void {
    this.intervalMs = ms;
  }

  /** Something may want sampling: a paused loop ticks again (one interval from now). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.wokenDuringTick = true;
    else if (this.timer === undefined) this.schedule();
  }

  /** Whether a tick is scheduled or under way (false: paused or stopped). */
  get active(): boolean {
    return this.running || this.timer !== undefined;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    this.running = true;
    this.wokenDuringTick = false;
    let more = true;
    try {
      more = await this.tick(Date.now());
    } catch {
      // A failed scan (a process vanishing mid-read is already handled inside) skips one tick.
    } finally {
      this.running = false;
      if (more || this.wokenDuringTick) this.schedule();
    }
  }
}
