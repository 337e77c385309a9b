import type { JobSnapshot, LogChunk } from '../../../shared/jobSnapshot';
import type { RunRecord } from '../../../shared/run';
import { isActive } from '../../../shared/jobState';
import type { CliContext } from '../cliContext';
import { CliError } from '../cliErrors';
import type { EngineClient } from '../engineClient';
import { EventGate } from '../eventGate';
import { runHasEnded, runOutcome } from '../jobFormat';
import { findJob } from '../jobRef';
import { wholeNumber } from '../optionParsers';
import { printable } from '../style';
import type { Verb } from './verb';

/** The chunks that make up the last `n` lines (a final newline does not start another line). */
export function lastLines(chunks: readonly LogChunk[], n: number | undefined): LogChunk[] {
  if (n === undefined) return [...chunks];
  if (n === 0) return [];
  let remaining = n;
  let atEnd = true;
  for (let i = chunks.length - 1; i >= 0; i--) {
    const text = chunks[i]!.text;
    let position = text.length;
    if (atEnd && text.length > 0) {
      if (text.endsWith('\n')) position--;
      atEnd = false;
    }
    while (position > 0) {
      const newline = text.lastIndexOf('\n', position - 1);
      if (newline === -1) break;
      if (--remaining === 0) return [{ ...chunks[i]!, text: text.slice(newline + 1) }, ...chunks.slice(i + 1)];
      position = newline;
    }
  }
  return [...chunks];
}

/** Procdeck's own lines (whole lines) on a terminal shared with the job's stderr: each marked as Procdeck's. */
export const markedAsProcdeck = (text: string) => text.replace(/^(?=.)/gm, '[procdeck] ');

/**
 * Output goes where the job wrote it: stdout to stdout, stderr (and Procdeck's own notes in
 * the log) to stderr. A reader slower than the job (a pager, a pipe) is waited for; the host
 * meanwhile skips live output for this connection and marks where (the log file has it all).
 */
function writer(context: CliContext, client: EngineClient) {
  let waiting = false;
  return (chunks: readonly LogChunk[]) => {
    for (const chunk of chunks) {
      if (chunk.stream === 'system') {
        context.io.err(markedAsProcdeck(chunk.text));
        continue;
      }
      if (chunk.stream !== 'stdout') {
        context.io.err(chunk.text);
        continue;
      }
      if (!context.io.out(chunk.text) && !waiting) {
        waiting = true;
        client.pauseReading();
        void context.io.drained().then(() => {
          waiting = false;
          client.resumeReading();
        });
      }
    }
  };
}

/** Prints the run's output as it comes until the run ends; resolves with its last snapshot. */
async function followRun(client: EngineClient, gate: EventGate, start: { job: JobSnapshot; runId?: string; listedAt: number; tailedAt: number }, write: (chunks: readonly LogChunk[]) => void): Promise<JobSnapshot> {
  let { job, runId } = start;
  const ended = await new Promise<JobSnapshot>((resolve, reject) => {
    client.onClose((reason) => reject(new CliError(`${reason}, before ${printable(job.name)} ended`)));
    // A job with no run yet is followed into its first run; one that is over has nothing more to say.
    const check = () => {
      if (runId !== undefined ? job.runId === runId && runHasEnded(job) : !isActive(job.state) && job.state !== 'queued') resolve(job);
    };
    gate.open((event, sequence) => {
      if (event.name === 'logs.appended') {
        if (sequence < start.tailedAt) return; // already in the tail
        for (const batch of event.payload.batches) {
          if (batch.jobId !== job.id) continue;
          runId ??= batch.runId;
          if (batch.runId === runId) write(batch.chunks);
        }
        return;
      }
      if (sequence < start.listedAt) return;
      if (event.name === 'jobs.removed' && event.payload.jobIds.includes(job.id)) return reject(new CliError(`${printable(job.name)} (id ${job.id}) was removed`));
      if (event.name !== 'jobs.changed') return;
      const changed = event.payload.jobs.find((j) => j.id === job.id);
      if (!changed) return;
      // A new run replacing ours (restarted) means ours is over: what we last saw of it is its end.
      if (runId !== undefined && changed.runId !== undefined && changed.runId !== runId) return resolve(job);
      runId ??= changed.runId;
      job = changed;
      check();
    });
    check();
  });
  // logs.tail makes the engine send what output it still holds first: once it is answered,
  // every line of the run has arrived.
  await client.invoke('logs.tail', { jobId: job.id });
  return ended;
}

export const logs: Verb = (program, context) => {
  program
    .command('logs')
    .description("print a job's latest output (its last run, or --run N); -f follows it until the run ends and exits with the run's exit code")
    .argument('<name|id>', 'the job')
    .option('-f, --follow', 'keep printing output as it comes, until the run ends (or Ctrl+C)')
    .option('--lines <n>', 'only the last N lines of what is kept in memory', wholeNumber('--lines', 0))
    .option('--run <n>', "that run's output (its number in `procdeck runs`) instead of the latest run's", wholeNumber('--run'))
    .action(async (ref: string, options: { follow?: boolean; lines?: number; run?: number }) => {
      const client = await context.client();
      const gate = new EventGate();
      if (options.follow) await client.subscribe(['logs.appended', 'jobs.changed', 'jobs.removed'], gate.listener);
      const { value: list, eventsBefore: listedAt } = await client.invokeOrdered('jobs.list', {});
      const job = findJob(list.jobs, ref);
      const { value: tail, eventsBefore: tailedAt } = await client.invokeOrdered('logs.tail', { jobId: job.id, ...(options.run !== undefined && { run: options.run }) });
      const write = writer(context, client);
      if (tail.truncated && options.lines === undefined) context.io.err(`[procdeck] earlier output is not in this view; ${tail.filePath ? `the log file ${tail.filePath} (and its rotated parts beside it) has` : 'the log files in the data directory have'} it all\n`);
      write(lastLines(tail.chunks, options.lines));
      if (!options.follow) return;
      // A past run has nothing more to say: its record tells how it ended.
      const ended = tail.runId !== undefined && tail.runId !== job.runId ? await pastRun(client, job, tail.runId) : await followRun(client, gate, { job, runId: tail.runId, listedAt, tailedAt }, write);
      const outcome = runOutcome(ended);
      context.io.err(`[procdeck] ${printable(job.name)} ${outcome.text}\n`);
      context.exitCode = outcome.exitCode;
    });
};

async function pastRun(client: EngineClient, job: JobSnapshot, runId: string): Promise<RunRecord> {
  const record = (await client.invoke('jobs.runs', { jobId: job.id })).runs.find((run) => run.runId === runId);
  if (!record) throw new CliError(`run ${runId} of ${printable(job.name)} is no longer kept`);
  return record;
}
