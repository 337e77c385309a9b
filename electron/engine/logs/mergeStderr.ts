import type { LaunchPlan } from '../supervisor/launchPlan';
import { SHELL } from '../supervisor/launchPlan';

/**
 * The plan with the job's stderr pointing at its stdout pipe (a job's mergeStderr): one pipe
 * carries both, in the order they were written. Node's spawn cannot make fd 2 a copy of the
 * child's own fd 1, so a shell does it and execs the plan: the pid, process group and tracking
 * stay the job's, as with the nice and taskset wrappers. Outermost, after every check: the
 * shell runs only `exec`, never the job's text.
 */
export function stderrIntoStdout(plan: LaunchPlan): LaunchPlan {
  return { ...plan, file: SHELL, args: ['-c', 'exec 2>&1; exec "$0" "$@"', plan.file, ...plan.args] };
}
