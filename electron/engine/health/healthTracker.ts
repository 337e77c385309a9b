import { formatDuration } from '../../../shared/format';
import { setLongTimeout, type LongTimeout } from '../timers';
import { timesInWords } from './countWords';
import { createProbeRunner, type ProbeDependencies } from './createProbeRunner';
import type { ProbeAttempt, ProbeRunner } from './probeAttempt';
import type { ProbeDefinition, ProbeRole, ProbeTiming } from './probeSpec';

export type HealthState = 'starting' | 'healthy' | 'unhealthy';

export interface ProbeResult {
  /** Epoch ms the probe started. */
  at: number;
  ok: boolean;
  durationMs: number;
  message: string;
}

export interface HealthTransition {
  role: ProbeRole;
  from: HealthState;
  to: HealthState;
  /** "liveness: GET http://127.0.0.1:8080/ returned 503 three times" */
  reason: string;
  at: number;
}

export interface HealthSnapshot {
  role: ProbeRole;
  /** "GET http://127.0.0.1:8080/" */
  target: string;
  state: HealthState;
  /** Epoch ms of the last transition (or of the start). */
  since: number;
  reason?: string;
  /** Oldest first, at most `historySize`. */
  results: ProbeResult[];
  /** Successes or failures in a row so far. */
  streak: { successes: number; failures: number };
  timing: ProbeTiming;
}

export interface HealthTrackerOptions extends ProbeDependencies {
  role: ProbeRole;
  probe: ProbeDefinition;
  /** Epoch ms the run started: "ready after 1.2 s" counts from here. Default: now. */
  startedAt?: number;
  /** Probe results kept for the detail view. Default 10. */
  historySize?: number;
}

type Phase = 'new' | 'initial-delay' | 'waiting' | 'probing' | 'disposed';

/**
 * The health of one run as one probe sees it (one tracker for readiness, one for liveness).
 * `starting` until `successThreshold` successes in a row, then `healthy`; `failureThreshold`
 * failures in a row make it `unhealthy`, and successes again `healthy`. A readiness probe that
 * has never succeeded stays `starting` (a slow start is not a failure: its results say why);
 * a liveness probe turns `unhealthy` whether or not it was ever healthy, so a run that hangs at
 * start is restarted too. Probes never overlap: the next is timed from the start of the previous
 * one and begins only once it has finished.
 */
export class HealthTracker {
  private readonly runner: ProbeRunner;
  private readonly listeners = new Set<(transition: HealthTransition) => void>();
  private readonly resultListeners = new Set<(result: ProbeResult) => void>();
  private readonly history: ProbeResult[] = [];
  private readonly historySize: number;
  private readonly startedAt: number;
  private phase: Phase = 'new';
  private timer: LongTimeout | undefined;
  private inFlight: { controller: AbortController; done: Promise<void> } | undefined;
  private current: HealthState = 'starting';
  private since: number;
  private reason: string | undefined;
  private everHealthy = false;
  private successes = 0;
  private failures = 0;
  private failureMessage: string | undefined;
  private failuresAlike = true;

  constructor(private readonly options: HealthTrackerOptions) {
    this.runner = createProbeRunner(options.probe.check, options);
    this.historySize = options.historySize ?? 10;
    this.startedAt = options.startedAt ?? Date.now();
    this.since = this.startedAt;
    this.runner.onWake?.(() => this.wake());
  }

  get state(): HealthState {
    return this.current;
  }

  get target(): string {
    return this.runner.description;
  }

  results(): readonly ProbeResult[] {
    return this.history;
  }

  snapshot(): HealthSnapshot {
    return {
      role: this.options.role,
      target: this.runner.description,
      state: this.current,
      since: this.since,
      ...(this.reason !== undefined && { reason: this.reason }),
      results: [...this.history],
      streak: { successes: this.successes, failures: this.failures },
      timing: { ...this.options.probe.timing },
    };
  }

  /** Returns the unsubscribe. */
  onTransition(listener: (transition: HealthTransition) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every probe's result, as it comes (before its transition, if it makes one). Returns the unsubscribe. */
  onResult(listener: (result: ProbeResult) => void): () => void {
    this.resultListeners.add(listener);
    return () => this.resultListeners.delete(listener);
  }

  start(): void {
    if (this.phase !== 'new') return;
    this.phase = 'initial-delay';
    this.arm(this.options.probe.timing.initialDelayMs);
  }

  /** Stops probing: no timer, socket or probe process is left once this settles. */
  async dispose(): Promise<void> {
    if (this.phase === 'disposed') return this.inFlight?.done;
    this.phase = 'disposed';
    this.timer?.cancel();
    this.timer = undefined;
    this.listeners.clear();
    this.resultListeners.clear();
    const inFlight = this.inFlight;
    inFlight?.controller.abort(new Error('stopped'));
    await inFlight?.done;
    this.runner.dispose();
  }

  private arm(delayMs: number): void {
    this.timer = setLongTimeout(() => {
      this.timer = undefined;
      this.probe();
    }, delayMs);
  }

  /** A log line matched between probes: probe now rather than at the next interval, unless healthy already. */
  private wake(): void {
    if (this.phase !== 'waiting' || this.current === 'healthy') return;
    this.timer?.cancel();
    this.timer = undefined;
    this.probe();
  }

  private probe(): void {
    if (this.phase === 'disposed' || this.inFlight) return;
    this.phase = 'probing';
    const { timeoutMs, intervalMs } = this.options.probe.timing;
    const controller = new AbortController();
    const timeout = setLongTimeout(() => controller.abort(new Error(`timed out after ${formatDuration(timeoutMs)}`)), timeoutMs);
    const at = Date.now();
    const begun = performance.now();
    const done = Promise.resolve()
      .then(() => this.runner.attempt(controller.signal))
      .catch((error: unknown): ProbeAttempt => ({ ok: false, message: `probe failed: ${error instanceof Error ? error.message : String(error)}` }))
      .then((attempt) => {
        timeout.cancel();
        this.inFlight = undefined;
        if (this.phase === 'disposed') return;
        const durationMs = performance.now() - begun;
        this.record({ at, ok: attempt.ok, durationMs, message: attempt.message });
        this.judge(attempt);
        this.phase = 'waiting';
        this.arm(Math.max(0, intervalMs - durationMs));
      });
    this.inFlight = { controller, done };
  }

  private record(result: ProbeResult): void {
    this.history.push(result);
    if (this.history.length > this.historySize) this.history.splice(0, this.history.length - this.historySize);
    for (const listener of this.resultListeners) listener(result);
  }

  private judge(attempt: ProbeAttempt): void {
    const { successThreshold, failureThreshold } = this.options.probe.timing;
    const prefix = `${this.options.role}: ${this.runner.description}`;
    if (attempt.ok) {
      this.successes += 1;
      this.failures = 0;
      this.failureMessage = undefined;
      this.failuresAlike = true;
      if (this.current !== 'healthy' && this.successes >= successThreshold) {
        const reason =
          this.current === 'starting'
            ? `${prefix} ${attempt.message} after ${formatDuration(Math.max(0, Math.round(Date.now() - this.startedAt)))}`
            : `${prefix} ${attempt.message}${timesInWords(this.successes)}, healthy again`;
        this.everHealthy = true;
        this.transition('healthy', reason);
      }
      return;
    }
    this.successes = 0;
    this.failures += 1;
    if (this.failureMessage !== undefined && this.failureMessage !== attempt.message) this.failuresAlike = false;
    this.failureMessage = attempt.message;
    const mayTurnUnhealthy = this.options.role === 'liveness' || this.everHealthy;
    if (this.current !== 'unhealthy' && mayTurnUnhealthy && this.failures >= failureThreshold) {
      const reason = this.failuresAlike
        ? `${prefix} ${attempt.message}${timesInWords(this.failures)}`
        : `${prefix} failed${timesInWords(this.failures)} in a row, last: ${attempt.message}`;
      this.transition('unhealthy', reason);
    }
  }

  private transition(to: HealthState, reason: string): void {
    const from = this.current;
    this.current = to;
    this.since = Date.now();
    this.reason = reason;
    const transition: HealthTransition = { role: this.options.role, from, to, reason, at: this.since };
    for (const listener of this.listeners) {
      try {
        listener(transition);
      } catch (error) {
        // A listener's bug must not stop the probing (this runs in a timer: a throw would reach the top).
        console.error(`health listener failed on "${reason}":`, error);
      }
    }
  }
}
