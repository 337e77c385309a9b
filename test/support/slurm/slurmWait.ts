import { waitFor } from '../wait';

/**
 * waitFor for Slurm: each probe runs a Slurm command, so probes are spaced at least
 * `spacingMs` apart instead of waitFor's 20 ms, which would keep slurmctld and a loaded
 * machine busy answering. This spaces the looking, it does not stand in for a signal.
 */
export function waitForSlurm<T>(probe: () => Promise<T | undefined | false>, what: string | (() => string), timeoutMs = 60_000, spacingMs = 200): Promise<T> {
  let nextAt = 0;
  return waitFor(
    async () => {
      if (Date.now() < nextAt) return undefined;
      const value = await probe();
      nextAt = Date.now() + spacingMs;
      return value;
    },
    what,
    timeoutMs,
  );
}
