/** The signals that end browser mode: Ctrl+C, a service manager's stop, the terminal going away. */
export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type ShutdownSignal = (typeof SHUTDOWN_SIGNALS)[number];

/**
 * A repeat within this long is the same request arriving twice, not the operator insisting:
 * under `npm start` one Ctrl+C reaches us twice, from the terminal (npm is in our process
 * group) and again from npm, which passes SIGINT and SIGTERM on to its script.
 */
export const REPEAT_IS_SAME_MS = 1000;

export interface ShutdownSteps {
  /** Stops every job within its grace period, then releases the engine. */
  stop(): Promise<void>;
  /** Kills every job still running now (SIGKILL to all its processes); the stop under way then ends within a second. */
  killAll(): Promise<number>;
  exit(code: number): void;
  /** One line for the operator; on stderr, which stays on the terminal when stdout goes into `| tee`. */
  say(line: string): void;
  now?: () => number;
}

export interface ShutdownOnSignals {
  /** What a signal does; exposed so tests can drive it without signalling the test runner. */
  handle(signal: ShutdownSignal): void;
  dispose(): void;
}

/**
 * The first signal stops every job (SIGTERM, SIGKILL after each one's grace period) and exits
 * once they are all gone. A second one, at least REPEAT_IS_SAME_MS later, kills them at once
 * instead of waiting out their grace periods: still every process of every job, and still
 * waited for, so nothing is left running unsupervised. Only a third gives up waiting (a job
 * stuck in uninterruptible sleep); the next start reaps what is left.
 */
export function shutdownOnSignals(steps: ShutdownSteps, target: NodeJS.Process = process): ShutdownOnSignals {
  const now = steps.now ?? Date.now;
  let firstAt: number | undefined;
  let killing = false;
  const handle = (signal: ShutdownSignal) => {
    if (firstAt === undefined) {
      firstAt = now();
      steps.say(`Procdeck: ${signal} received: stopping every job (SIGTERM, then SIGKILL after its grace period; ${signal === 'SIGHUP' ? 'send SIGINT or SIGTERM' : 'press Ctrl+C again'} to kill them at once)…`);
      void steps.stop().then(
        () => {
          steps.say('Procdeck: every job has stopped; exiting.');
          steps.exit(0);
        },
        (error: unknown) => {
          steps.say(`Procdeck: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          steps.exit(1);
        },
      );
      return;
    }
    if (now() - firstAt < REPEAT_IS_SAME_MS) return;
    if (!killing) {
      killing = true;
      void steps.killAll().then(
        (count) => steps.say(`Procdeck: ${signal} again: killing ${count === 1 ? 'the 1 job' : `the ${count} jobs`} still running (SIGKILL to every process); exiting once they are gone…`),
        (error: unknown) => steps.say(`Procdeck: could not kill the jobs: ${error instanceof Error ? error.message : String(error)}`),
      );
      return;
    }
    steps.say(`Procdeck: ${signal} a third time: exiting without waiting; the next start on this data directory stops what is left.`);
    steps.exit(130);
  };
  const listeners = SHUTDOWN_SIGNALS.map((signal) => [signal, () => handle(signal)] as const);
  for (const [signal, listener] of listeners) target.on(signal, listener);
  return {
    handle,
    dispose() {
      for (const [signal, listener] of listeners) target.off(signal, listener);
    },
  };
}
