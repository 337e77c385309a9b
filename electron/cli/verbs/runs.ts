import type { RunRecord } from '../../../shared/run';
import { formatBytes, formatPercent } from '../../../shared/format';
import { describeJobState } from '../../../shared/jobStateText';
import { duration } from '../jobFormat';
import { findJob } from '../jobRef';
import { wholeNumber } from '../optionParsers';
import { printable } from '../style';
import { renderTable, type Column } from '../table';
import { jsonLine, type Verb } from './verb';

const columns = (now: number): Column<RunRecord>[] => [
  { header: 'RUN', cell: (run) => `#${run.number}`, align: 'right' },
  { header: 'STATE', cell: (run) => describeJobState(run) },
  { header: 'STARTED', cell: (run) => (run.startedAt === undefined ? '' : new Date(run.startedAt).toISOString().replace('T', ' ').slice(0, 19)) },
  { header: 'TIME', cell: (run) => (run.startedAt === undefined ? '' : duration((run.endedAt ?? now) - run.startedAt)), align: 'right' },
  { header: 'PEAK CPU', cell: (run) => (run.metrics ? formatPercent(run.metrics.peakCpu) : ''), align: 'right' },
  { header: 'PEAK MEM', cell: (run) => (run.metrics ? formatBytes(run.metrics.peakRss) : ''), align: 'right' },
  { header: 'OUTPUT', cell: (run) => formatBytes(run.outputBytes), align: 'right' },
  { header: 'REASON', cell: (run) => run.reason ?? '' },
];

export const runs: Verb = (program, context) => {
  program
    .command('runs')
    .description("list a job's runs, newest first (its run history, at most the runsKept setting)")
    .argument('<name|id>', 'the job')
    .option('--limit <n>', 'at most this many runs', wholeNumber('--limit'))
    .option('--json', "print jobs.runs's answer ({runs}) as JSON")
    .action(async (ref: string, options: { limit?: number; json?: boolean }) => {
      const client = await context.client();
      const job = findJob((await client.invoke('jobs.list', {})).jobs, ref);
      const answer = await client.invoke('jobs.runs', { jobId: job.id, ...(options.limit !== undefined && { limit: options.limit }) });
      if (options.json) return void context.io.out(jsonLine(answer));
      if (answer.runs.length === 0) return void context.io.out(`${printable(job.name)} has not run yet.\n`);
      context.io.out(renderTable(columns(Date.now()), answer.runs, context.style, context.io.columns));
    });
};
