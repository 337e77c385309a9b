import { z } from 'zod';
import { lazySchema } from './lazySchema';
import { DEPENDENCY_CONDITIONS, type DependencyCondition } from './config/fileWords';

/**
 * Why a job that is waiting to run has not started, from the scheduler's own state: the global
 * pool is full, its group is at its limit or paused, a dependency is not there yet, its restart
 * policy's backoff, or the cluster has not started it (Slurm's pending reason).
 */
export const jobWaitSchema = lazySchema(() => z.discriminatedUnion('kind', [
  /** Every slot of the global pool (settings.maxConcurrent) is taken. */
  z.object({ kind: z.literal('pool'), running: z.number().int(), limit: z.number().int() }),
  /** Its group runs as many jobs as its limit allows (a Slurm job counts from its submission to its end, pending in the cluster included). */
  z.object({ kind: z.literal('group'), group: z.string(), running: z.number().int(), limit: z.number().int() }),
  z.object({ kind: z.literal('group-paused'), group: z.string() }),
  /** The first of its dependencies not there yet; `others`: how many more it also waits for. */
  z.object({ kind: z.literal('dependency'), jobId: z.string(), name: z.string(), condition: z.enum(DEPENDENCY_CONDITIONS), others: z.number().int() }),
  /** Its restart policy starts it again at `at` (epoch ms). */
  z.object({ kind: z.literal('backoff'), at: z.number() }),
  /** Submitted to a cluster that has not started it: the cluster's own words. */
  z.object({ kind: z.literal('cluster'), reason: z.string() }),
]));
export type JobWait = z.infer<typeof jobWaitSchema>;
/** The waits the pool and the dependencies decide (the others come from the job's phase and its run). */
export type QueueWait = Extract<JobWait, { kind: 'pool' | 'group' | 'group-paused' | 'dependency' }>;

const CONDITION_WORDS: Record<DependencyCondition, string> = {
  started: 'to start',
  healthy: 'to be healthy',
  succeeded: 'to succeed',
};

/** HH:MM:SS on the reader's clock. */
const localTimeOfDay = (at: number): string => new Date(at).toTimeString().slice(0, 8);

/** The wait in words, the one way the jobs table and the CLI say it: "group build: 2 of 2 running". */
export function describeWait(wait: JobWait, timeOfDay: (at: number) => string = localTimeOfDay): string {
  switch (wait.kind) {
    case 'pool':
      return wait.running === wait.limit ? `all ${wait.limit} slots in use` : `${wait.running} running, limit ${wait.limit}`;
    case 'group':
      return `group ${wait.group}: ${wait.running} of ${wait.limit} running`;
    case 'group-paused':
      return `group ${wait.group} is paused`;
    case 'dependency':
      return `waiting for ${wait.name} ${CONDITION_WORDS[wait.condition]}${wait.others > 0 ? ` (and ${wait.others} more)` : ''}`;
    case 'backoff':
      return `restarting at ${timeOfDay(wait.at)}`;
    case 'cluster':
      return wait.reason;
  }
}

/**
 * Whether two waits say the same (a change is pushed only when it does not). Field by field:
 * a wait's fields are all plain values, and this runs for each job a batch queues.
 */
export function sameWait(a: JobWait | undefined, b: JobWait | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const keys = Object.keys(a) as (keyof JobWait)[];
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => a[key] === b[key]);
}
