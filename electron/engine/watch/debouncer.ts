import { setLongTimeout, type LongTimeout } from '../timers';

/**
 * Calls `fire` once a burst of pokes has been quiet for `quietMs`, and at the latest `maxWaitMs`
 * after the burst's first poke: a file written without pause (a log under a watched path that
 * should have been ignored) still restarts the service now and then instead of never.
 */
export class Debouncer {
  private timer: LongTimeout | undefined;
  private burstStart: number | undefined;

  constructor(
    private readonly fire: () => void,
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
  ) {}

  poke(): void {
    const now = performance.now();
    this.burstStart ??= now;
    this.timer?.cancel();
    const left = Math.max(0, this.burstStart + this.maxWaitMs - now);
    this.timer = setLongTimeout(() => {
      this.timer = undefined;
      this.burstStart = undefined;
      this.fire();
    }, Math.min(this.quietMs, left));
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.burstStart = undefined;
  }
}
