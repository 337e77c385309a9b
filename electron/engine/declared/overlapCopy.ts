import type { JobSpec } from '../../../shared/jobSpec';
import { newId } from '../../../shared/ids';
import { Job } from '../jobs/job';

/**
 * overlap: allow. A job has one live run at a time, so a schedule's tick that finds the run
 * still active runs as a one-off copy of the job, with its own row, log and history: named after
 * the job and the tick (nightly@02:30:00), not restarted, not waiting for dependencies (the job's
 * own run already did), without the job's probes, schedule or watch (it is not declared). The
 * "finished jobs kept" retention removes it like any finished job.
 */
export function overlapCopy(job: Job, reason: string, scheduledAt: number): Job {
  const spec: JobSpec = { ...job.spec, name: `${job.name}@${new Date(scheduledAt).toTimeString().slice(0, 8)}`, dependsOn: [], restart: { ...job.spec.restart, when: 'never' } };
  const copy = new Job(newId('j'), spec);
  copy.restarts = { ...copy.restarts, lastReason: reason };
  return copy;
}
