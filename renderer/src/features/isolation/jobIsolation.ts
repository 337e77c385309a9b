import type { IsolationLevel } from '../../../../shared/isolation';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { isFinal } from '../../../../shared/jobState';

/**
 * The job's isolation level: from the limits in force for its latest run, else from its spec
 * (a job not yet started). Undefined when the spec names none: the settings' default applies
 * when it starts, and the run's report will say which.
 */
export function jobIsolationLevel(job: JobSnapshot): IsolationLevel | undefined {
  return job.isolation?.level ?? job.spec.isolation?.level;
}

// The engine's limit-named end reasons ("memory limit 256 MiB exceeded (…)", "CPU time limit 2 s
// exceeded", "process limit 64 reached", "wall-clock limit 10 min exceeded", "probably the memory limit…").
const LIMIT_REASON = /\blimit\b.*\b(exceeded|reached)\b|^probably the memory limit/;

/** The reason of a run that a limit ended, for showing it prominently; undefined otherwise. */
export function limitEndReason(job: JobSnapshot): string | undefined {
  if (!isFinal(job.state) || job.reason === undefined || job.isolation === undefined) return undefined;
  return LIMIT_REASON.test(job.reason) ? job.reason : undefined;
}
