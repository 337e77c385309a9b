import type { JobSnapshot } from '../../../shared/jobSnapshot';
import { describeCommand } from '../../../shared/jobSpec';
import { stateColor, stateText, timeText, waitText } from '../jobFormat';
import { renderTable, type Column } from '../table';
import { jsonLine, type Verb } from './verb';

const columns = (queue: readonly string[]): Column<JobSnapshot>[] => [
  { header: 'ID', cell: (job) => job.id },
  { header: 'NAME', cell: (job) => job.name },
  {
    header: 'STATE',
    cell: (job) => {
      const state = stateText(job, queue.includes(job.id) ? queue.indexOf(job.id) + 1 : undefined);
      const wait = waitText(job);
      return wait === undefined ? state : `${state} (${wait})`;
    },
    color: (job, style) => stateColor(job, style),
  },
  { header: 'PID', cell: (job) => (job.pid !== undefined && job.endedAt === undefined ? String(job.pid) : ''), align: 'right' },
  { header: 'GROUP', cell: (job) => job.spec.group },
  { header: 'TIME', cell: (job) => timeText(job) },
  { header: 'COMMAND', cell: (job) => describeCommand(job.spec.command) },
];

export const ls: Verb = (program, context) => {
  program
    .command('ls')
    .alias('list')
    .description('list the jobs')
    .option('--json', "print jobs.list's answer ({jobs, queue}) as JSON")
    .action(async (options: { json?: boolean }) => {
      const client = await context.client();
      const list = await client.invoke('jobs.list', {});
      if (options.json) return void context.io.out(jsonLine(list));
      if (list.jobs.length === 0) return void context.io.out('No jobs.\n');
      context.io.out(renderTable(columns(list.queue), list.jobs, context.style, context.io.columns));
    });
};
