import type { JobSnapshot } from '../../../shared/jobSnapshot';
import { isFinal } from '../../../shared/jobState';
import { CliError } from '../cliErrors';
import { EventGate } from '../eventGate';
import { runOutcome } from '../jobFormat';
import { findJob } from '../jobRef';
import { printable } from '../style';
import type { Verb } from './verb';

export const wait: Verb = (program, context) => {
  program
    .command('wait')
    .description("wait until a job has ended (no restart pending), then exit with its exit code (128+N for signal N, 124 for a timeout)")
    .argument('<name|id>', 'the job')
    .option('--ended', 'until the job has ended (the default; --healthy comes with health checks)')
    .action(async (ref: string) => {
      const client = await context.client();
      const gate = new EventGate();
      await client.subscribe(['jobs.changed', 'jobs.removed'], gate.listener);
      const { value: list, eventsBefore: listedAt } = await client.invokeOrdered('jobs.list', {});
      let job = findJob(list.jobs, ref);
      const ended = await new Promise<JobSnapshot>((resolve, reject) => {
        const check = () => {
          if (isFinal(job.state)) resolve(job);
        };
        client.onClose((reason) => reject(new CliError(`${reason}, before ${printable(job.name)} ended`)));
        gate.open((event, sequence) => {
          if (sequence < listedAt) return;
          if (event.name === 'jobs.removed' && event.payload.jobIds.includes(job.id)) reject(new CliError(`${printable(job.name)} (id ${job.id}) was removed before it ended`));
          if (event.name !== 'jobs.changed') return;
          const changed = event.payload.jobs.find((j) => j.id === job.id);
          if (!changed) return;
          job = changed;
          check();
        });
        check();
      });
      const outcome = runOutcome(ended);
      context.io.out(`${printable(ended.name)} (id ${ended.id}) ${outcome.text}\n`);
      context.exitCode = outcome.exitCode;
    });
};
