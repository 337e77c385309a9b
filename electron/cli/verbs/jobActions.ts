import type { JobSnapshot } from '../../../shared/jobSnapshot';
import type { CliContext } from '../cliContext';
import { CliError, RequestFailed } from '../cliErrors';
import { stateColor, stateText } from '../jobFormat';
import { findJobs } from '../jobRef';
import { printable } from '../style';
import { jsonLine, type Verb } from './verb';

type ActionCommand = 'jobs.stop' | 'jobs.kill' | 'jobs.restart' | 'jobs.pause' | 'jobs.resume';

const ACTIONS: { verb: string; command: ActionCommand; description: string; done: string }[] = [
  { verb: 'stop', command: 'jobs.stop', description: "stop jobs: SIGTERM to each job's process group, SIGKILL after its grace period", done: 'stopping' },
  { verb: 'kill', command: 'jobs.kill', description: "kill jobs: SIGKILL to each job's process group at once", done: 'killed' },
  { verb: 'restart', command: 'jobs.restart', description: 'restart jobs (stopped first if running)', done: 'restarted' },
  { verb: 'pause', command: 'jobs.pause', description: "pause jobs: SIGSTOP to each job's process group", done: 'paused' },
  { verb: 'resume', command: 'jobs.resume', description: "resume paused jobs: SIGCONT to each job's process group", done: 'resumed' },
];

/**
 * Acts on every job named, in order, and goes on past a failure (as systemctl does); each
 * failure is reported on its own line and the exit code is 1 if any failed.
 */
export async function actOnJobs(context: CliContext, refs: string[], json: boolean, done: string, act: (job: JobSnapshot) => Promise<{ job: JobSnapshot }>): Promise<void> {
  const client = await context.client();
  const jobs = findJobs((await client.invoke('jobs.list', {})).jobs, refs);
  let failures = 0;
  for (const job of jobs) {
    try {
      const answer = await act(job);
      if (json) context.io.out(jsonLine(answer));
      else context.io.out(`${done} ${printable(answer.job.name)} (id ${answer.job.id}): ${stateColor(answer.job, context.style)(stateText(answer.job))}\n`);
    } catch (error) {
      if (!(error instanceof RequestFailed)) throw error;
      failures++;
      context.io.err(`procdeck: ${printable(job.name)} (id ${job.id}): ${error.message}\n`);
    }
  }
  if (failures > 0) throw new CliError(`${failures} of ${jobs.length} job(s) failed`);
}

export const jobActions: Verb = (program, context) => {
  for (const action of ACTIONS) {
    program
      .command(action.verb)
      .description(action.description)
      .argument('<name|id...>', 'the jobs')
      .option('--json', `print ${action.command}'s answer ({job}) as JSON, one line per job`)
      .action(async (refs: string[], options: { json?: boolean }) => {
        const client = await context.client();
        await actOnJobs(context, refs, options.json === true, action.done, (job) => client.invoke(action.command, { jobId: job.id }));
      });
  }
};
