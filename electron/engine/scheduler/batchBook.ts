import { shellCommandSchema, type JobSpec, type JobSpecInput } from '../../../shared/jobSpec';
import type { BatchProgress, BatchRequest } from '../../../shared/scheduling';
import { EngineError } from '../engineError';
import { newId } from '../../../shared/ids';
import { Job } from '../jobs/job';
import { batchProgress, expandBatch, type BatchRecord } from './batches';
import type { Scheduler } from './scheduler';

export type { BatchRequest };

/** Items built per event-loop turn: a 100,000-line batch must not hold every other request. */
const ITEMS_PER_TURN = 1000;
const NAME_MAX = 200;

/** What the batch book needs from the engine to turn items into saved, queued jobs. */
export interface BatchAdmission {
  /** Validates and preflights a spec as jobs.start would; throws an EngineError. */
  check(input: JobSpecInput): JobSpec;
  /**
   * Saves the jobs and the batch (all or none; throws an EngineError), calls `saved`, then
   * lists and queues them.
   */
  admit(jobs: Job[], batch: BatchRecord, saved: () => void): Promise<void>;
  assertOpen(): void;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** "name #12", shortened so that it stays within the 200 characters a job name may have. */
function itemName(name: string, index: number): string {
  const suffix = ` #${index + 1}`;
  return `${name.slice(0, NAME_MAX - suffix.length)}${suffix}`;
}

/** The batches submitted so far: their jobs, progress, stop and retry. */
export class BatchBook {
  private readonly records = new Map<string, BatchRecord>();

  constructor(
    private readonly jobs: ReadonlyMap<string, Job>,
    private readonly scheduler: Scheduler,
    private readonly admission: BatchAdmission,
  ) {}

  /**
   * Every item is checked before any is queued: a bad line fails the whole batch, naming the
   * line, and nothing else changes. The items share everything but their script, so the
   * first one is checked as jobs.start would check it (spec, policy, cwd, isolation) and the
   * others only for their script: nothing before spawning depends on a shell script's text.
   */
  async submit(request: BatchRequest): Promise<BatchProgress> {
    let commands: string[];
    try {
      commands = expandBatch(request);
    } catch (error) {
      throw new EngineError('INVALID_SPEC', (error as Error).message, 'template');
    }
    if (commands.length === 0) throw new EngineError('INVALID_SPEC', 'the batch has no commands (every line is empty or a comment)', request.template ? 'inputs' : 'lines');
    const id = newId('b');
    const group = request.group ?? id;
    const name = request.name || (request.template ? `${request.template} × ${commands.length}` : `${commands.length} commands`);
    const itemFailure = (i: number, error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      return new EngineError(error instanceof EngineError ? error.code : 'INVALID_SPEC', `batch item ${i + 1} (${commands[i]}): ${message}`, 'lines');
    };
    let first: JobSpec;
    try {
      first = this.admission.check({
        name: itemName(name, 0),
        command: { kind: 'shell', script: commands[0]! },
        group,
        stdin: 'closed',
        ...(request.cwd !== undefined && { cwd: request.cwd }),
        ...(request.timeoutMs !== undefined && { timeoutMs: request.timeoutMs }),
        ...(request.where !== undefined && { where: request.where }),
      });
    } catch (error) {
      throw itemFailure(0, error);
    }
    const jobs = [new Job(newId('j'), first)];
    for (let i = 1; i < commands.length; i++) {
      if (i % ITEMS_PER_TURN === 0) {
        await nextTurn();
        this.admission.assertOpen();
      }
      const command = shellCommandSchema.safeParse({ kind: 'shell', script: commands[i] });
      if (!command.success) throw itemFailure(i, EngineError.fromZod('INVALID_SPEC', command.error, 'command'));
      // The nested parts of the spec (env, restart, affinity…) are shared: specs are never mutated in place.
      jobs.push(new Job(newId('j'), { ...first, name: itemName(name, i), command: command.data }));
    }
    for (const job of jobs) job.batchId = id;
    const record: BatchRecord = { id, name, group, jobIds: jobs.map((j) => j.id), createdAt: Date.now(), ...(request.limit !== undefined && { limit: request.limit }) };
    await this.admission.admit(jobs, record, () => {
      this.records.set(id, record);
      // Before any item is queued: none may start beyond the batch's limit.
      if (request.limit !== undefined) this.scheduler.pool.setGroupLimit(group, request.limit);
    });
    return this.progress(id)!;
  }

  /**
   * Batches saved by a previous engine, with the items that are still there. A batch's limit
   * is its group's again: its items still active on a cluster count against it, and items
   * retried later wait for it, as before the restart.
   */
  restore(records: readonly BatchRecord[]): void {
    for (const record of records) {
      const jobIds = record.jobIds.filter((id) => this.jobs.has(id));
      if (jobIds.length === 0) continue;
      this.records.set(record.id, { ...record, jobIds });
      if (record.limit !== undefined) this.scheduler.pool.setGroupLimit(record.group, record.limit);
    }
  }

  /** Whether a batch of `group` (with items left) set a limit of its own after `at`. */
  limitedSince(group: string, at: number): boolean {
    for (const record of this.records.values()) if (record.group === group && record.limit !== undefined && record.createdAt > at) return true;
    return false;
  }

  /** What is saved: batches with at least one item left. */
  saved(): BatchRecord[] {
    return [...this.records.values()].filter((record) => record.jobIds.some((id) => this.jobs.has(id)));
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
    for (const job of members) if (job.state() === 'queued') this.scheduler.cancel(job, 'batch stopped');
    for (const job of members) if (job.liveRun() && job.run!.state !== 'stopping') stopJob(job);
    return this.progress(batchId)!;
  }

  retryFailed(batchId: string): BatchProgress {
    const record = this.record(batchId);
    for (const id of record.jobIds) {
      const job = this.jobs.get(id);
      if (!job || job.isUnfinished()) continue;
      const succeeded = job.state() === 'exited' && job.exitCode === 0;
      if (!succeeded) this.scheduler.enqueue(job);
    }
    return this.progress(batchId)!;
  }

  private record(batchId: string): BatchRecord {
    const record = this.records.get(batchId);
    if (!record) throw new EngineError('NOT_FOUND', `no batch with id ${batchId}`, 'batchId');
    return record;
  }
}
