/**
 * The one way tests wait: for a condition to hold, never for a fixed time. The deadline is
 * a safety net for a broken build, not a synchronisation point, so it is generous: CI machines
 * are shared and a loaded 2-core box can take seconds to fork and exec.
 */
export const DEFAULT_WAIT_MS = 20_000;

const POLL_MS = 20;

/** Resolves with the probe's first value that is neither undefined nor false; rejects naming `what` after timeoutMs. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string | (() => string), timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
