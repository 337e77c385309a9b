import type { JobSnapshot } from '../../../shared/jobSnapshot';
import { describeCommand, placementOf } from '../../../shared/jobSpec';
import type { Style } from '../style';
import { printable } from '../style';
import { formatBytes } from '../../../shared/format';
import { duration, stateColor, stateText, waitText } from '../jobFormat';
import { findJob } from '../jobRef';
import { jsonLine, type Verb } from './verb';

const when = (at: number, now: number) => `${new Date(at).toISOString()} (${duration(now - at)} ago)`;

function affinityText(job: JobSnapshot): string | undefined {
  const { affinity } = job.spec;
  if (job.cores) return `${job.cores.join(',')} (${affinity.mode})`;
  return affinity.mode === 'none' ? undefined : `${'cores' in affinity && affinity.cores ? affinity.cores.join(',') : 'any'} (${affinity.mode})`;
}

/** Where a job placed on the Slurm cluster is there: its Slurm id and state, partition, nodes, what the cluster enforces. */
function slurmText(job: JobSnapshot): string | undefined {
  if (placementOf(job.spec).kind !== 'slurm') return undefined;
  const s = job.slurm;
  if (!s) return 'not submitted yet';
  const parts = [`job ${s.jobId} ${s.state}${s.reason ? ` (${s.reason})` : ''}`];
  if (s.partition) parts.push(`partition ${s.partition}`);
  if (s.nodes) parts.push(`on ${s.nodes}`);
  if (s.cpus !== undefined) parts.push(`${s.cpus} CPUs`);
  if (s.memoryMiB !== undefined) parts.push(`mem ${s.memoryMiB} MiB`);
  if (s.timeLimitMinutes !== undefined) parts.push(`time limit ${s.timeLimitMinutes} min`);
  if (s.stale) parts.push('as last seen: the controller is not answering');
  return parts.join(', ');
}

/** One job, field by field; only the fields that say something. */
export function describeJob(job: JobSnapshot, style: Style, now = Date.now()): string {
  const state = stateColor(job, style)(stateText(job));
  const process = job.pid !== undefined && job.endedAt === undefined ? ` (pid ${job.pid}, group ${job.pgid ?? job.pid})` : '';
  const fields: [string, string | undefined][] = [
    ['state', `${state}${process}`],
    ['waiting', waitText(job)],
    // A Slurm job's pending reason is its wait too: said once.
    ['reason', job.reason !== waitText(job) ? job.reason : undefined],
    ['command', `${job.spec.command.kind === 'shell' ? 'shell: ' : ''}${describeCommand(job.spec.command)}`],
    ['cwd', job.spec.cwd],
    ['slurm', slurmText(job)],
    ['group', job.spec.group],
    ['cores', affinityText(job)],
    ['nice', job.niceInForce !== undefined ? String(job.niceInForce) : undefined],
    ['isolation', job.isolation?.level ?? job.spec.isolation?.level],
    ['queued', when(job.queuedAt, now)],
    ['started', job.startedAt !== undefined ? when(job.startedAt, now) : undefined],
    ['ended', job.endedAt !== undefined ? when(job.endedAt, now) : undefined],
    ['runs', `${job.runCount} (restarts: ${job.restarts.automatic} automatic, ${job.restarts.manual} by hand)`],
    ['output', formatBytes(job.outputBytes)],
  ];
  const lines = fields.filter((f): f is [string, string] => f[1] !== undefined).map(([key, value]) => `  ${key.padEnd(10)} ${key === 'state' ? value : printable(value)}`);
  return `${style.bold(printable(job.name))} ${style.dim(job.id)}\n${lines.join('\n')}\n`;
}

export const status: Verb = (program, context) => {
  program
    .command('status')
    .description('show one job')
    .argument('<name|id>', 'the job')
    .option('--json', "print the job's snapshot as JSON")
    .action(async (ref: string, options: { json?: boolean }) => {
      const client = await context.client();
      const job = findJob((await client.invoke('jobs.list', {})).jobs, ref);
      context.io.out(options.json ? jsonLine(job) : describeJob(job, context.style));
    });
};
