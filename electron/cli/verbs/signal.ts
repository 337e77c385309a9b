import { InvalidArgumentError } from 'commander';
import { SIGNALS, signalNameSchema, type SignalName } from '../../../shared/signals';
import { actOnJobs } from './jobActions';
import type { Verb } from './verb';

/** TERM, term, SIGTERM and sigterm all name SIGTERM; anything else is a usage error listing the names. */
function signalName(text: string): SignalName {
  const upper = text.trim().toUpperCase();
  const parsed = signalNameSchema.safeParse(upper.startsWith('SIG') ? upper : `SIG${upper}`);
  if (!parsed.success) throw new InvalidArgumentError(`unknown signal ${JSON.stringify(text)}; one of ${SIGNALS.join(', ')}`);
  return parsed.data;
}

export const signal: Verb = (program, context) => {
  program
    .command('signal')
    .description("send a signal to jobs' process groups")
    .argument('<signal>', `one of ${SIGNALS.join(', ')} (SIG may be left out)`, signalName)
    .argument('<name|id...>', 'the jobs')
    .option('--json', "print jobs.signal's answer ({job}) as JSON, one line per job")
    .action(async (name: SignalName, refs: string[], options: { json?: boolean }) => {
      const client = await context.client();
      await actOnJobs(context, refs, options.json === true, `sent ${name} to`, (job) => client.invoke('jobs.signal', { jobId: job.id, signal: name }));
    });
};
