import type { JobSnapshot } from '../../../shared/jobSnapshot';
import { isFinal } from '../../../shared/jobState';
import { CliError, UsageError } from '../cliErrors';
import { EventGate } from '../eventGate';
import { runOutcome } from '../jobFormat';
import { findJob } from '../jobRef';
import { printable } from '../style';
import type { Verb } from './verb';

export const wait: Verb = (program, context) => {
  program
    .command('wait')
    .description("wait until a job has ended (no restart pending), then exit with its exit code (128+N for signal N, 124 for a timeout); with --healthy, until it is healthy")
    .argument('<name|id>', 'the job')
    .option('--ended', 'until the job has ended (the default)')
    .option('--healthy', 'until its run is healthy (its readiness probe passed; a job without probes: once running); exit 1 if it ends first')
    .action(async (ref: string, options: { ended?: boolean; healthy?: boolean }) => {
      if (options.ended && options.healthy) throw new UsageError('give --ended or --healthy, not both');
      const client = await context.client();
      const gate = new EventGate();
      await client.subscribe(['jobs.changed', 'jobs.removed'], gate.listener);
      const { value: list, eventsBefore: listedAt } = await client.invokeOrdered('jobs.list', {});
      let job = findJob(list.jobs, ref);
      const ended = await new Promise<JobSnapshot>((resolve, reject) => {
        const check = () => {
          if (options.healthy && isHealthy(job)) resolve(job);
          else if (isFinal(job.state)) resolve(job);
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
      if (options.healthy) {
        if (!isHealthy(ended)) throw new CliError(`${printable(ended.name)} (id ${ended.id}) ${runOutcome(ended).text} before it was healthy`);
        context.io.out(`${printable(ended.name)} (id ${ended.id}) is healthy${ended.health?.readiness?.reason ? `: ${printable(ended.health.readiness.reason)}` : ''}\n`);
        return;
      }
      const outcome = runOutcome(ended);
      context.io.out(`${printable(ended.name)} (id ${ended.id}) ${outcome.text}\n`);
      context.exitCode = outcome.exitCode;
    });
};

/** Healthy: its probes say so, or (without probes) its run is up. */
function isHealthy(job: JobSnapshot): boolean {
  if (job.health) return job.health.state === 'healthy';
  return job.state === 'running';
}
