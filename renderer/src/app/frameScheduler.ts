/** Fallback for hidden windows, where animation frames stop but events keep coming. */
const HIDDEN_FLUSH_MS = 250;

/**
 * Runs `flush` at most once per animation frame however often `schedule` is called, so a
 * burst of pushed events costs one store update and one render. With `minIntervalMs`, runs
 * are also spaced at least that far apart (the first after a quiet spell still runs at once).
 */
export function createFrameScheduler(flush: () => void, minIntervalMs = 0) {
  let frame: number | undefined;
  let delay: ReturnType<typeof setTimeout> | undefined;
  let hiddenFallback: ReturnType<typeof setTimeout> | undefined;
  let lastRun = -Infinity;

  const cancel = () => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    clearTimeout(delay);
    clearTimeout(hiddenFallback);
    frame = delay = hiddenFallback = undefined;
  };
  const run = () => {
    cancel();
    lastRun = performance.now();
    flush();
  };
  const requestFrame = () => {
    delay = undefined;
    frame = requestAnimationFrame(run);
  };

  return {
    schedule(): void {
      if (frame !== undefined || delay !== undefined) return;
      const wait = lastRun + minIntervalMs - performance.now();
      if (wait > 0) delay = setTimeout(requestFrame, wait);
      else requestFrame();
      hiddenFallback = setTimeout(run, Math.max(wait, 0) + HIDDEN_FLUSH_MS);
    },
    /** Applies whatever is pending right now. */
    flushNow: run,
  };
}
