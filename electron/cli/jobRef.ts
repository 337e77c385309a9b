import type { JobSnapshot } from '../../shared/jobSnapshot';
import { CliError } from './cliErrors';
import { stateText } from './jobFormat';
import { printable } from './style';

/**
 * NAME|ID as operators type it: a job's id, else the one job with that name. A name several
 * jobs share is refused with the candidates listed, never guessed at: stopping the wrong one
 * of two "web" jobs is worse than asking.
 */
export function findJob(jobs: readonly JobSnapshot[], ref: string): JobSnapshot {
  const byId = jobs.find((job) => job.id === ref);
  if (byId) return byId;
  const named = jobs.filter((job) => job.name === ref);
  if (named.length === 1) return named[0]!;
  if (named.length === 0) throw new CliError(`no job has the id or name ${JSON.stringify(printable(ref))} (procdeck ls lists them)`);
  const candidates = named.map((job) => `${job.id} (${stateText(job)})`).join(', ');
  throw new CliError(`${named.length} jobs are named ${JSON.stringify(printable(ref))}; give one of their ids: ${candidates}`);
}

/** Every reference resolved before anything is done: a typo in the third name must not leave the first two stopped. */
export const findJobs = (jobs: readonly JobSnapshot[], refs: readonly string[]) => refs.map((ref) => findJob(jobs, ref));
