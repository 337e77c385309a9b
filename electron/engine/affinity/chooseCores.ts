import type { Affinity } from '../../../shared/scheduling';
import { EngineError } from '../engineError';

export interface CoreContext {
  coreCount: number;
  /** Recent busy % per core (0–100), from the engine's per-core sampling. */
  coreLoad: readonly number[];
  /** How many running jobs are pinned to each core. */
  pinnedJobs: readonly number[];
  /** Round-robin cursor per core set, kept by the caller across launches. */
  roundRobin: Map<string, number>;
}

export function checkCores(cores: readonly number[], coreCount: number): void {
  const bad = cores.filter((c) => c >= coreCount);
  if (bad.length > 0) {
    throw new EngineError(
      'INVALID_SPEC',
      `core ${bad.join(', ')} does not exist: this machine has cores 0–${coreCount - 1}`,
      'affinity.cores',
    );
  }
}

/** The cores a new run is pinned to, or undefined for no pinning. */
export function chooseCores(affinity: Affinity, ctx: CoreContext): number[] | undefined {
  switch (affinity.mode) {
    case 'none':
      return undefined;
    case 'fixed':
      checkCores(affinity.cores, ctx.coreCount);
      return [...affinity.cores];
    case 'round-robin': {
      checkCores(affinity.cores, ctx.coreCount);
      const key = affinity.cores.join(',');
      const cursor = ctx.roundRobin.get(key) ?? 0;
      ctx.roundRobin.set(key, cursor + 1);
      return [affinity.cores[cursor % affinity.cores.length]!];
    }
    case 'least-loaded': {
      const candidates = affinity.cores ?? Array.from({ length: ctx.coreCount }, (_, i) => i);
      checkCores(candidates, ctx.coreCount);
      // Load dominates; each job already pinned there weighs like 25 % of load, so an idle
      // core that just received a job is not picked again before the samples show it busy.
      const score = (c: number) => (ctx.coreLoad[c] ?? 0) + 25 * (ctx.pinnedJobs[c] ?? 0);
      return [candidates.reduce((best, c) => (score(c) < score(best) ? c : best))];
    }
  }
}
