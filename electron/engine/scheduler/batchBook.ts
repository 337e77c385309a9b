import type { JobSpecInput } from '../../../shared/jobSpec';
import type { JobSnapshot } from '../../../shared/jobSnapshot';
import type { BatchProgress, BatchRequest } from '../../../shared/scheduling';
import { EngineError } from '../engineError';
import type { Job } from '../job';
import { batchProgress, expandBatch, type BatchRecord } from './batches';
import type { Runner } from './runner';

export type { BatchRequest };
let batchCounter = 0;

/** The batches submitted so far: their jobs, progress, stop and retry. */
export class BatchBook {
  private readonly records = new Map<string, BatchRecord>();

  constructor(
    private readonly jobs: ReadonlyMap<string, Job>,
    private readonly runner: Runner,
    private readonly startJob: (spec: JobSpecInput, batchId: string) => JobSnapshot,
  ) {}

  submit(request: BatchRequest): BatchProgress {
    let commands: string[];
    try {
      commands = expandBatch(request);
    } catch (error) {
      throw new EngineError('INVALID_SPEC', (error as Error).message, 'template');
    }
    if (commands.length === 0) throw new EngineError('INVALID_SPEC', 'the batch has no commands (every line is empty or a comment)', request.template ? 'inputs' : 'lines');
    const id = `b${Date.now().toString(36)}${(batchCounter++).toString(36)}`;
    const group = request.group ?? id;
    const name = request.name || (request.template ? `${request.template} × ${commands.length}` : `${commands.length} commands`);
    if (request.limit !== undefined) this.runner.pool.setGroupLimit(group, request.limit);
    const record: BatchRecord = { id, name, group, jobIds: [], createdAt: Date.now() };
    this.records.set(id, record);
    for (const [i, script] of commands.entries()) {
      const spec: JobSpecInput = {
        name: `${name} #${i + 1}`,
        command: { kind: 'shell', script },
        group,
        stdin: 'closed',
        ...(request.cwd !== undefined && { cwd: request.cwd }),
        ...(request.timeoutMs !== undefined && { timeoutMs: request.timeoutMs }),
      };
      try {
        record.jobIds.push(this.startJob(spec, id).id);
      } catch (error) {
        // Items queued so far keep their batch; the caller hears which item was wrong.
        if (record.jobIds.length === 0) this.records.delete(id);
        const message = error instanceof Error ? error.message : String(error);
        throw new EngineError(error instanceof EngineError ? error.code : 'INVALID_SPEC', `batch item ${i + 1} (${script}): ${message}`, 'lines');
      }
    }
    return this.progress(id)!;
  }

  progress(batchId: string): BatchProgress | undefined {
    const record = this.records.get(batchId);
    return record && batchProgress(record, this.jobs);
  }

  list(): BatchProgress[] {
    return [...this.records.keys()].map((id) => this.progress(id)!);
  }

  stop(batchId: string, stopJob: (job: Job) => void): BatchProgress {
    const record = this.record(batchId);
    // Queued items first, so stopping running ones does not let the queue start new ones.
    const members = record.jobIds.map((id) => this.jobs.get(id)).filter((j): j is Job => j !== undefined);
    for (const job of members) if (job.state() === 'queued') this.runner.cancel(job, 'batch stopped');
    for (const job of members) if (job.run?.isActive() && job.run.state !== 'stopping') stopJob(job);
    return this.progress(batchId)!;
  }

  retryFailed(batchId: string): BatchProgress {
    const record = this.record(batchId);
    for (const id of record.jobIds) {
      const job = this.jobs.get(id);
      if (!job || job.isActive()) continue;
      const succeeded = job.state() === 'exited' && job.run?.exitCode === 0;
      if (!succeeded) this.runner.enqueue(job);
    }
    return this.progress(batchId)!;
  }

  private record(batchId: string): BatchRecord {
    const record = this.records.get(batchId);
    if (!record) throw new EngineError('NOT_FOUND', `no batch with id ${batchId}`, 'batchId');
    return record;
  }
}
