import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SlurmClient, SlurmJob } from '../../../electron/engine/backends/slurm/slurmClient';
import type { SubmittedJob } from '../../../electron/engine/backends/slurm/submitJobs';
import type { SlurmSubmitInput } from '../../../electron/engine/backends/slurm/submitRequest';
import type { JobState } from '../../../shared/jobState';
import type { LocalSlurm } from './localSlurm';
import { waitForSlurm } from './slurmWait';

/** A fresh directory for one test's jobs, inside the cluster's dir (so teardown finds all it left). */
export function jobDir(cluster: LocalSlurm, label: string): string {
  const dir = join(cluster.paths.workDir, `${label}-${randomBytes(3).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

type Spec = Omit<SlurmSubmitInput, 'cwd' | 'stdoutPath' | 'stderrPath'> & Partial<Pick<SlurmSubmitInput, 'cwd' | 'stdoutPath' | 'stderrPath'>>;

/** Submits with the job's directory, output and error files filled in under `dir`. */
export function submitIn(client: SlurmClient, dir: string, spec: Spec): Promise<SubmittedJob> {
  return client.submit({ cwd: dir, stdoutPath: join(dir, 'out.txt'), stderrPath: join(dir, 'err.txt'), ...spec });
}

/** Waits until the job's Procdeck state is one of `states`, polling squeue --json. */
export function untilState(client: SlurmClient, jobId: string, states: JobState | JobState[], timeoutMs = 60_000): Promise<SlurmJob> {
  const wanted = Array.isArray(states) ? states : [states];
  let last: SlurmJob | undefined;
  return waitForSlurm(
    async () => {
      last = (await client.jobs([jobId])).jobs.get(jobId);
      return last && wanted.includes(last.view.state) ? last : undefined;
    },
    () => `Slurm job ${jobId} to be ${wanted.join('/')} (is ${last ? `${last.view.state}: ${last.slurmState} ${last.slurmReason}` : 'not listed'})`,
    timeoutMs,
  );
}

export const FINAL: JobState[] = ['exited', 'killed', 'timed-out', 'failed-to-start', 'skipped'];

export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Waits for a file to hold text matching `pattern` (a job announcing itself). */
export function untilFileMatches(path: string, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return waitForSlurm(async () => pattern.exec(readText(path)) ?? undefined, () => `${path} to match ${pattern} (holds ${JSON.stringify(readText(path).slice(-300))})`, timeoutMs, 50);
}
