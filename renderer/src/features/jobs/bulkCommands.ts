import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { call } from '../../api/procdeck';
import { applyJobAnswer } from '../../app/jobEventQueue';
import { useBulkStore } from '../../stores/bulkStore';
import { useJobsStore } from '../../stores/jobsStore';
import { pushNotice } from '../../stores/noticesStore';
import { jobAction, type JobActionId } from './rowActions';

export type BulkActionId = Exclude<JobActionId, 'signal' | 'clone'>;

const COMMANDS = {
  stop: 'jobs.stop',
  kill: 'jobs.kill',
  restart: 'jobs.restart',
  pause: 'jobs.pause',
  resume: 'jobs.resume',
  remove: 'jobs.remove',
} as const;

const PAST: Record<BulkActionId, string> = {
  stop: 'stopped',
  kill: 'killed',
  restart: 'restarted',
  pause: 'paused',
  resume: 'resumed',
  remove: 'removed',
};

/** Requests in flight at once: enough to be quick, few enough that thousands do not crowd out the host's other answers. */
const IN_FLIGHT = 16;
/** Failures named in the summary; the rest are counted. */
const NAMED_FAILURES = 5;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

async function eachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export interface BulkSummary {
  verb: string;
  done: number;
  failed: { name: string; message: string }[];
  /** Picked jobs the action does not apply to (Stop on a finished job): left alone, not sent. */
  skipped: number;
}

export function describeBulk({ verb, done, failed, skipped }: BulkSummary, past: string): string {
  const parts = [`${verb}: ${plural(done, 'job')} ${past}`];
  if (failed.length > 0) {
    const named = failed.slice(0, NAMED_FAILURES).map((failure) => `${failure.name} (${failure.message})`);
    const more = failed.length > NAMED_FAILURES ? `, and ${failed.length - NAMED_FAILURES} more` : '';
    parts.push(`${failed.length} failed: ${named.join(', ')}${more}`);
  }
  if (skipped > 0) parts.push(`${skipped} left alone (not ${past === 'removed' ? 'finished' : 'in a state for it'})`);
  return `${parts.join('; ')}.`;
}

/**
 * One action on many jobs: one request per job through the contract's own command, only to
 * the jobs it applies to, and one summary of what was done and what failed (shown by the bulk
 * bar, and as an error notice when something failed).
 */
export async function runBulk(actionId: BulkActionId, jobIds: readonly string[], verb = jobAction(actionId).label): Promise<BulkSummary> {
  const known = useJobsStore.getState().jobs;
  const jobs = jobIds.map((id) => known[id]).filter((job): job is JobSnapshot => job !== undefined);
  const action = jobAction(actionId);
  const targets = jobs.filter((job) => action.applies(job));
  const summary: BulkSummary = { verb, done: 0, failed: [], skipped: jobs.length - targets.length };
  useBulkStore.getState().begin(verb, targets.length);

  await eachLimited(targets, IN_FLIGHT, async (job) => {
    const result = await call(COMMANDS[actionId], { jobId: job.id });
    if (!result.ok) {
      summary.failed.push({ name: job.name, message: result.error.message });
      return;
    }
    summary.done++;
    if (actionId === 'remove') applyJobAnswer([], [job.id]);
    else if ('job' in result.value) applyJobAnswer([result.value.job]);
  });

  const text = describeBulk(summary, PAST[actionId]);
  useBulkStore.getState().finish(text, summary.failed.length > 0);
  if (summary.failed.length > 0) pushNotice('error', text);
  return summary;
}
