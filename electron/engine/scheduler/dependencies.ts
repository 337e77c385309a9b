import type { DependencyCondition } from '../../../shared/config/fileSchema';
import type { Job } from '../jobs/job';

type ConditionStatus = { kind: 'ready' } | { kind: 'waiting' } | { kind: 'failed'; reason: string };
/** Waiting: for `on` (the first dependency not there yet) to meet `condition`, and `others` more. */
export type DependencyStatus = { kind: 'ready' } | { kind: 'waiting'; on: Job; condition: DependencyCondition; others: number } | { kind: 'failed'; reason: string };

/**
 * Whether a queued job's dependencies allow it to start. Each dependency has a condition: a
 * clicked job's must succeed (exit 0, no restart of it pending); a declared service may instead
 * wait for its dependency to have started, or to be healthy (its readiness probe passed).
 */
export function dependencyStatus(job: Job, jobs: ReadonlyMap<string, Job>): DependencyStatus {
  let waiting: { kind: 'waiting'; on: Job; condition: DependencyCondition; others: number } | undefined;
  for (const id of job.spec.dependsOn) {
    const dep = jobs.get(id);
    if (!dep) return { kind: 'failed', reason: `dependency ${id} no longer exists` };
    const condition = job.service?.conditions.get(id) ?? 'succeeded';
    const status = conditionStatus(dep, condition);
    if (status.kind === 'failed') return status;
    if (status.kind !== 'waiting') continue;
    if (waiting) waiting.others++;
    else waiting = { kind: 'waiting', on: dep, condition, others: 0 };
  }
  return waiting ?? { kind: 'ready' };
}

function conditionStatus(dep: Job, condition: DependencyCondition): ConditionStatus {
  const state = dep.state();
  if (condition === 'succeeded') {
    // exitCode, not run.exitCode: a dependency that succeeded before an engine restart has no run here, only its saved end.
    if (state === 'exited' && dep.exitCode === 0) return { kind: 'ready' };
    if (dep.isUnfinished() || state === 'queued') return { kind: 'waiting' };
    const outcome = state === 'exited' ? `exit code ${dep.exitCode ?? '?'}` : state;
    return { kind: 'failed', reason: `dependency ${dep.name} (${dep.id}) did not succeed: ${outcome}` };
  }
  const live = dep.liveRun();
  if (live) {
    if (live.state === 'starting') return { kind: 'waiting' };
    if (condition === 'started') return { kind: 'ready' };
    // A run being stopped is healthy for no one: its dependants wait for what comes next (its restart, or its end).
    if (live.state !== 'stopping' && (dep.service?.isReady() ?? true)) return { kind: 'ready' };
    return { kind: 'waiting' };
  }
  if (dep.isWaiting()) return { kind: 'waiting' };
  // Ended: a dependency that only had to start did, if it ran at all.
  if (condition === 'started' && dep.startedAt !== undefined && (state === 'exited' || state === 'killed')) return { kind: 'ready' };
  const outcome = state === 'exited' ? `exited with code ${dep.exitCode ?? '?'}` : `is ${state}`;
  return { kind: 'failed', reason: `dependency ${dep.name} (${dep.id}) ${outcome} and is not running (condition: ${condition})` };
}
