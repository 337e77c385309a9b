import { z } from 'zod';
import { jobSpecSchema } from '../jobSpec';
import { probeSchema } from '../probes';
import { scheduleSchema } from '../schedule';
import { watchSchema } from '../watch';
import { DEPENDENCY_CONDITIONS, jobNameSchema, ON_UNHEALTHY_ACTIONS } from './fileWords';

/**
 * A job definition as a config file (or an import) declares it, once read: the job spec the
 * engine runs, plus what only a declared service has (autostart, dependencies with their
 * condition, probes, schedule, watch, labels). Where it runs is the spec's own `where`.
 * Every path is absolute.
 *
 * When the architecture issue's definitions land, one of these becomes a definition
 * `{ name, spec, labels, origin: 'config' }` with the rest beside it; `dependsOn` names other
 * definitions of the same file (the spec's own dependsOn, job ids that must exit 0, is left
 * empty: the engine resolves names to ids when it applies the file).
 */
export const declaredDependencySchema = z.object({
  name: jobNameSchema,
  /** started: its run has started; healthy: its readiness probe passed (started, without one); succeeded: it exited 0. */
  condition: z.enum(DEPENDENCY_CONDITIONS),
  /** healthy only: once the dependency turns unhealthy, tell the running dependant (a log line, a notice), or stop it until the dependency is healthy again. */
  onUnhealthy: z.enum(ON_UNHEALTHY_ACTIONS).default('tell'),
});
export type DeclaredDependency = z.output<typeof declaredDependencySchema>;

export const declaredJobSchema = z.object({
  name: jobNameSchema,
  /** spec.name is the job's name; spec.cwd is always set (the file's directory by default). */
  spec: jobSpecSchema,
  autostart: z.boolean().default(false),
  dependsOn: z.array(declaredDependencySchema).max(1000).default([]),
  readiness: probeSchema.optional(),
  liveness: probeSchema.optional(),
  schedule: scheduleSchema.optional(),
  watch: watchSchema.optional(),
  labels: z.record(z.string(), z.string()).default({}),
  /**
   * The dotenv file whose variables are in spec.env.set, and the names it gave (those `env`
   * did not override): export writes the file's name back instead of its values.
   */
  envFile: z.object({ path: z.string(), names: z.array(z.string()) }).optional(),
});
export type DeclaredJobInput = z.input<typeof declaredJobSchema>;
export type DeclaredJob = z.output<typeof declaredJobSchema>;

/** Where a definition was written: shown beside it, never compared (an edit above it moves it). */
export interface DeclaredAt {
  file: string;
  line: number;
  column: number;
}
