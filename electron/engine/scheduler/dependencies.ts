import type { Job } from '../jobs/job';

export type DependencyStatus = { kind: 'ready' } | { kind: 'waiting' } | { kind: 'failed'; reason: string };

/** A dependency counts as done when its latest run exited 0 and no restart of it is pending. */
export function dependencyStatus(job: Job, jobs: ReadonlyMap<string, Job>): DependencyStatus {
  let waiting = false;
  for (const id of job.spec.dependsOn) {
    const dep = jobs.get(id);
    if (!dep) return { kind: 'failed', reason: `dependency ${id} no longer exists` };
    const state = dep.state();
    // exitCode, not run.exitCode: a dependency that succeeded before an engine restart has no run here, only its saved end.
    if (state === 'exited' && dep.exitCode === 0) continue;
    if (dep.isUnfinished() || state === 'queued') {
      waiting = true;
      continue;
    }
    const outcome = state === 'exited' ? `exit code ${dep.exitCode ?? '?'}` : state;
    return { kind: 'failed', reason: `dependency ${dep.name} (${id}) did not succeed: ${outcome}` };
  }
  return waiting ? { kind: 'waiting' } : { kind: 'ready' };
}
