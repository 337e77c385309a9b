import type { RestartPolicy } from '../../../shared/scheduling';

export interface RunOutcome {
  /** exit 0 (and not stopped by a limit or timeout). */
  succeeded: boolean;
  /** The operator stopped or killed it: never restarted automatically. */
  stoppedByOperator: boolean;
  uptimeMs: number;
  /** Human-readable cause, recorded as the restart's reason ("exit code 1", "signal SIGSEGV", "timed out"). */
  cause: string;
}

export interface RestartMemory {
  /** Epoch ms of the automatic restarts so far (pruned to the window). */
  restartTimes: number[];
  /** Short runs in a row: drives the exponential backoff. */
  consecutiveCrashes: number;
}

export type RestartDecision =
  | { kind: 'none' }
  | { kind: 'restart'; delayMs: number; reason: string }
  | { kind: 'crash-looping'; reason: string };

/**
 * What to do when a run ends, from the job's policy and its recent restarts. Pure: the
 * caller keeps the memory and applies the decision.
 */
export function decideRestart(policy: RestartPolicy, outcome: RunOutcome, memory: RestartMemory, now: number): RestartDecision {
  if (outcome.stoppedByOperator || policy.when === 'never') return { kind: 'none' };
  if (policy.when === 'on-failure' && outcome.succeeded) return { kind: 'none' };

  memory.restartTimes = memory.restartTimes.filter((t) => now - t < policy.windowMs);
  memory.consecutiveCrashes = outcome.uptimeMs < policy.minUptimeMs ? memory.consecutiveCrashes + 1 : 0;

  if (memory.restartTimes.length >= policy.maxRestarts) {
    return {
      kind: 'crash-looping',
      reason: `${cap(outcome.cause)}; restarted ${memory.restartTimes.length} times within ${Math.round(policy.windowMs / 1000)} s, giving up`,
    };
  }
  const steps = Math.max(0, memory.consecutiveCrashes - 1);
  const delayMs = Math.min(policy.maxDelayMs, Math.round(policy.initialDelayMs * policy.factor ** steps));
  memory.restartTimes.push(now);
  return { kind: 'restart', delayMs, reason: outcome.cause };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
