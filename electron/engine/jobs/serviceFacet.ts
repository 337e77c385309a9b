import type { DependencyCondition } from '../../../shared/config/fileSchema';
import type { DeclaredRef, JobHealth } from '../../../shared/jobSnapshot';

/**
 * What a declared service (a job from a config file) adds to a job, as the scheduler and the
 * snapshot read it. The services service (services/declaredServices.ts) implements it.
 */
export interface ServiceFacet {
  /** Condition per dependency id (spec.dependsOn); a dependency not listed must succeed (exit 0), as for a clicked job. */
  readonly conditions: ReadonlyMap<string, DependencyCondition>;
  /** The live run has passed its readiness probe (a service without one: once its run has started). */
  isReady(): boolean;
  health(): JobHealth | undefined;
  /** The schedule's next tick (epoch ms). */
  nextRunAt(): number | undefined;
  declared(): DeclaredRef;
}
