import { z } from 'zod';
import { lazySchema } from '../../../shared/lazySchema';
import type { BatchProgress } from '../../../shared/scheduling';
import type { Job } from '../jobs/job';

/** A batch as it is saved: its items are jobs, saved on their own. */
export const batchRecordSchema = lazySchema(() => z.object({
  id: z.string(),
  name: z.string(),
  group: z.string(),
  jobIds: z.array(z.string()),
  createdAt: z.number(),
  /** The limit the batch put on its group: in force again after a restart (items retried, cluster runs found again). */
  limit: z.number().int().min(1).optional(),
}));
export type BatchRecord = z.infer<typeof batchRecordSchema>;

/** Quotes one input for /bin/sh so a template like `gzip {}` is safe for any file name. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

const meaningfulLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));

/** The shell command of each batch item: pasted lines as they are, or the template over each input. */
export function expandBatch(input: { lines?: string; template?: string; inputs?: string }): string[] {
  if (input.template !== undefined) {
    if (!input.template.includes('{}')) throw new Error('the template has no {} to put each input in');
    return meaningfulLines(input.inputs ?? '').map((item) => input.template!.replaceAll('{}', shellQuote(item)));
  }
  return meaningfulLines(input.lines ?? '');
}

export function batchProgress(record: BatchRecord, jobs: ReadonlyMap<string, Job>, now = Date.now()): BatchProgress {
  let succeeded = 0, failed = 0, running = 0, queued = 0, lastEnd = 0, doneMs = 0;
  for (const id of record.jobIds) {
    const job = jobs.get(id);
    if (!job) continue;
    const state = job.state();
    if (state === 'queued') queued++;
    else if (job.isUnfinished()) running++;
    else {
      if (state === 'exited' && job.exitCode === 0) succeeded++;
      else failed++;
      const endedAt = job.endedAt;
      if (endedAt) {
        lastEnd = Math.max(lastEnd, endedAt);
        doneMs += endedAt - (job.startedAt ?? endedAt);
      }
    }
  }
  const total = record.jobIds.length;
  const finished = succeeded + failed;
  const finishedAt = finished === total && total > 0 ? lastEnd || now : undefined;
  const progress: BatchProgress = {
    id: record.id,
    name: record.name,
    group: record.group,
    jobIds: record.jobIds,
    total,
    succeeded,
    failed,
    running,
    queued,
    createdAt: record.createdAt,
    elapsedMs: (finishedAt ?? now) - record.createdAt,
  };
  if (finishedAt) progress.finishedAt = finishedAt;
  else if (finished > 0) {
    // Items left, each taking the mean duration so far, spread over the parallelism in use.
    const mean = doneMs / finished;
    progress.etaMs = Math.round((mean * (queued + running / 2)) / Math.max(1, running));
  }
  return progress;
}
