import type { JobSpec } from '../../../shared/jobSpec';
import { probeSpawnerIn, type ProbeSpawner } from '../health/execProbe';

/**
 * Where a declared service's exec probe runs: the job's working directory and environment (as
 * the job starts from it: Procdeck's, or only the allowed names for a clean one, plus its own).
 * The probe command is the operator's, from the file: it runs as Procdeck does, not as the job's
 * runAs user, and without the job's isolation.
 */
export function probeSpawnerFor(spec: JobSpec, defaultCwd: string, base: Readonly<Record<string, string | undefined>>): ProbeSpawner {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (spec.env.mode === 'clean' && !spec.env.allow.includes(name)) continue;
    env[name] = value;
  }
  Object.assign(env, spec.env.set);
  return probeSpawnerIn(spec.cwd ?? defaultCwd, env);
}
