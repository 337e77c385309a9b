/** Fallback for hidden windows, where animation frames stop but events keep coming. */
const HIDDEN_FLUSH_MS = 250;

/**
 * Runs `flush` at most once per animation frame however often `schedule` is called, so a
 * burst of pushed events costs one store update and one render.
 */
export function createFrameScheduler(flush: () => void) {
  let frame: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const cancel = () => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
    frame = undefined;
    timer = undefined;
  };
  const run = () => {
    cancel();
    flush();
  };

  return {
    schedule(): void {
      if (frame !== undefined) return;
      frame = requestAnimationFrame(run);
      timer = setTimeout(run, HIDDEN_FLUSH_MS);
    },
    /** Applies whatever is pending right now. */
    flushNow: run,
  };
}
