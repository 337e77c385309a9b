/** Node's setTimeout holds at most 2^31 - 1 ms (~24.8 days); a longer delay fires at once (with a warning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimeout {
  cancel(): void;
}

/**
 * setTimeout for any delay, in hops of at most MAX_TIMER_MS: a 30-day job timeout must fire
 * after 30 days, not after 1 ms. Every timer whose delay an operator (or a request) chooses
 * goes through here. `unref` lets the process exit while it is pending.
 */
export function setLongTimeout(callback: () => void, delayMs: number, options: { unref?: boolean } = {}): LongTimeout {
  const dueAt = Date.now() + Math.max(0, delayMs);
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = dueAt - Date.now();
    if (left <= 0) {
      timer = undefined;
      callback();
      return;
    }
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    if (options.unref) timer.unref();
  };
  timer = setTimeout(arm, Math.min(Math.max(0, delayMs), MAX_TIMER_MS));
  if (options.unref) timer.unref();
  return {
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
