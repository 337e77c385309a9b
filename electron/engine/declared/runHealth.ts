import type { HealthState, JobHealth } from '../../../shared/jobSnapshot';
import { HealthTracker, type HealthTransition } from '../health/healthTracker';
import type { ProbeDependencies } from '../health/createProbeRunner';
import type { ProbeDefinition } from '../health/probeSpec';

export interface RunHealthOptions extends ProbeDependencies {
  readiness?: ProbeDefinition;
  liveness?: ProbeDefinition;
  startedAt: number;
  onTransition(transition: HealthTransition): void;
  /** A probe's result that changed no state: only the results shown moved. */
  onResult(): void;
}

/** The readiness and liveness trackers of one live run of a declared service. */
export class RunHealth {
  private readonly readiness?: HealthTracker;
  private readonly liveness?: HealthTracker;

  constructor(
    readonly runId: string,
    options: RunHealthOptions,
  ) {
    const make = (role: 'readiness' | 'liveness', probe: ProbeDefinition) => {
      const tracker = new HealthTracker({ role, probe, startedAt: options.startedAt, spawn: options.spawn, lines: options.lines });
      tracker.onTransition(options.onTransition);
      tracker.onResult(options.onResult);
      return tracker;
    };
    if (options.readiness) this.readiness = make('readiness', options.readiness);
    if (options.liveness) this.liveness = make('liveness', options.liveness);
  }

  start(): void {
    this.readiness?.start();
    this.liveness?.start();
  }

  /** Without a readiness probe a run counts as ready once started; a failed liveness probe makes it not ready (it is being stopped). */
  isReady(): boolean {
    return (this.readiness === undefined || this.readiness.state === 'healthy') && this.liveness?.state !== 'unhealthy';
  }

  snapshot(): JobHealth {
    const readiness = this.readiness?.snapshot();
    const liveness = this.liveness?.snapshot();
    return { state: overall(readiness?.state, liveness?.state), ...(readiness && { readiness }), ...(liveness && { liveness }) };
  }

  async dispose(): Promise<void> {
    await Promise.all([this.readiness?.dispose(), this.liveness?.dispose()]);
  }
}

/** Unhealthy if either probe says so; starting until readiness passed (or, with liveness only, its first success). */
function overall(readiness: HealthState | undefined, liveness: HealthState | undefined): HealthState {
  if (readiness === 'unhealthy' || liveness === 'unhealthy') return 'unhealthy';
  if (readiness !== undefined) return readiness;
  return liveness ?? 'healthy';
}
