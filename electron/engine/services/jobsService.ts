import type { JobSpec, JobSpecInput, SpecWarning } from '../../../shared/jobSpec';
import type { JobSnapshot, LogChunk } from '../../../shared/jobSnapshot';
import type { RunRecord } from '../../../shared/run';
import type { SignalName } from '../../../shared/signals';
import { EngineError } from '../engineError';
import type { EventCoalescer } from '../eventCoalescer';
import { newId } from '../../../shared/ids';
import type { Admission } from '../jobs/admission';
import { Job } from '../jobs/job';
import type { Scheduler } from '../scheduler/scheduler';
import type { JobStore } from '../store/jobStore';
import { oldestFinishedBeyond } from '../store/retention';
import type { RunHandle } from '../backends/backend';
import { removedLogNote, type SavedTail } from '../logs/savedRunTail';
import { searchLogFiles, type LogSearchQuery, type LogSearchResult } from '../logs/logSearch';

/** Log searches read at the same time, by every client together. */
export const MAX_SEARCHES_AT_ONCE = 4;

export interface JobsContext {
  jobs: Map<string, Job>;
  admission: Admission;
  scheduler: Scheduler;
  events: EventCoalescer;
  store: JobStore;
  finishedJobsKept(): number;
  /** Runs kept per job (settings.runsKept). */
  runsKept(): number;
  /** What the monitor keeps about a job (its history, metrics, alert state) is dropped with it. */
  forgetMonitored(jobId: string): void;
  /** The log files of records dropped (runsKept), or with no records every log of a job that is gone. */
  forgetLogs(jobId: string, records?: readonly RunRecord[]): void;
  notice(level: 'info' | 'warning', message: string): void;
  /** While the engine opens, dropped jobs are not announced (no client has seen them). */
  isOpening(): boolean;
  assertOpen(): void;
  /** What the log file of a run from before the engine restarted kept (the engine has no live tail of it). */
  savedTail(job: JobSnapshot): SavedTail;
  /** The end of the log file of a run that is over (jobs.runs gives where it is); one that wrote nothing may have no file. */
  logFileTail(filePath: string, runId: string, outputBytes: number): SavedTail;
}

/** engine.jobs: what an operator does to jobs (start, stop, signals, stdin, live affinity and nice, remove) and what they read of them. */
export class JobsService {
  private searchesRunning = 0;

  constructor(private readonly ctx: JobsContext) {}

  list(): JobSnapshot[] {
    return [...this.ctx.jobs.values()].map((job) => job.snapshot());
  }

  get(jobId: string): JobSnapshot {
    return this.job(jobId).snapshot();
  }

  start(input: JobSpecInput): JobSnapshot {
    const job = new Job(newId('j'), this.ctx.admission.check(input));
    this.ctx.admission.admit([job]);
    return job.snapshot();
  }

  /** What would probably make this spec fail at once, which the operator may override; starts nothing. */
  check(spec: JobSpec): SpecWarning[] {
    return this.ctx.scheduler.warnings(spec);
  }

  stop(jobId: string): JobSnapshot {
    const job = this.job(jobId);
    this.stopJob(job);
    return job.snapshot();
  }

  kill(jobId: string): JobSnapshot {
    const job = this.job(jobId);
    if (!this.ctx.scheduler.cancel(job)) {
      const run = this.liveRun(job, 'kill');
      this.ctx.scheduler.stayEndedWhenEnded(job);
      run.kill();
    }
    return job.snapshot();
  }

  signal(jobId: string, signal: SignalName): JobSnapshot {
    return this.onLiveRun(jobId, `send ${signal} to`, (run) => run.sendSignal(signal));
  }

  pause(jobId: string): JobSnapshot {
    return this.onLiveRun(jobId, 'pause', (run) => run.pause());
  }

  resume(jobId: string): JobSnapshot {
    return this.onLiveRun(jobId, 'resume', (run) => run.resume());
  }

  writeStdin(jobId: string, data: string): JobSnapshot {
    return this.onLiveRun(jobId, 'write to', (run) => run.writeStdin(data));
  }

  closeStdin(jobId: string): JobSnapshot {
    return this.onLiveRun(jobId, 'close stdin of', (run) => run.closeStdin());
  }

  /** Runs the job again; a running one is stopped first and started once it has ended. */
  restart(jobId: string): JobSnapshot {
    this.ctx.assertOpen();
    const job = this.job(jobId);
    if (job.phase.kind === 'queued') return job.snapshot();
    job.restarts = { ...job.restarts, manual: job.restarts.manual + 1, lastReason: 'restarted by operator' };
    const live = job.liveRun();
    if (live) {
      this.ctx.scheduler.restartWhenEnded(job);
      if (live.state !== 'stopping') {
        live.stop();
      }
      return job.snapshot();
    }
    this.ctx.scheduler.cancel(job);
    this.ctx.scheduler.preflight(job.spec);
    this.ctx.scheduler.enqueue(job);
    return job.snapshot();
  }

  remove(jobId: string): void {
    const job = this.job(jobId);
    if (job.isUnfinished()) throw new EngineError('BAD_STATE', `job ${job.name} is still ${job.state()}; stop it before removing it`);
    // Its schedule, watch and dependants live with the file: the file says what exists.
    if (job.service) throw new EngineError('BAD_STATE', `job ${job.name} is declared in ${job.service.declared().file}; remove it from the file and apply the file`);
    this.forget(jobId);
    this.ctx.events.emit('jobs.removed', { jobIds: [jobId] });
  }

  /** Pins every process of the job's live run, then reads the result back. */
  async setAffinity(jobId: string, cores: number[]): Promise<JobSnapshot> {
    const job = this.job(jobId);
    const run = this.liveRun(job, 'pin');
    if (!run.setAffinity) throw new EngineError('UNSUPPORTED', `cannot pin job ${job.name}: where it runs, its cores cannot be changed live`);
    await run.setAffinity(cores);
    return job.snapshot();
  }

  async renice(jobId: string, nice: number): Promise<JobSnapshot> {
    const job = this.job(jobId);
    const run = this.liveRun(job, 'renice');
    if (!run.renice) throw new EngineError('UNSUPPORTED', `cannot renice job ${job.name}: where it runs, its nice value cannot be changed live`);
    await run.renice(nice);
    return job.snapshot();
  }

  /**
   * The latest run's output, or with `runNumber` that run's (as jobs.runs numbers them), from its
   * log file once it is over. A run whose log was deleted (the log budget) says so and why.
   */
  tail(jobId: string, runNumber?: number): { runId?: string; chunks: LogChunk[]; truncated: boolean; filePath?: string } {
    const job = this.job(jobId);
    const run = job.run;
    const record = runNumber === undefined ? job.runs(this.ctx.runsKept()).find((r) => r.runId === (run?.runId ?? job.snapshot().runId)) : this.runRecord(job, runNumber);
    const removed = record && removedLogNote(record);
    if (record && record.runId !== run?.runId) {
      if (removed) return { runId: record.runId, chunks: [removed], truncated: true, filePath: record.log.path };
      if (runNumber !== undefined) return this.ctx.logFileTail(record.log.path, record.runId, record.outputBytes);
    }
    if (!run) return this.ctx.savedTail(job.snapshot());
    // Send what is pending to every client first: the answer then holds all output so far,
    // and no other client misses a chunk that was folded into this answer.
    this.ctx.events.flush();
    const held = run.log.snapshot();
    // This engine still holds the run's last output in memory; the file it came from is gone.
    return { runId: run.runId, ...held, ...(removed && { chunks: [...held.chunks, removed] }) };
  }

  /**
   * Read-only: the lines of a run's whole log on disk (the latest run's, or run `runNumber`'s)
   * that match, with their line numbers; a run that has not started yet has none. At most
   * MAX_SEARCHES_AT_ONCE read at a time: each reads its whole log, and a client could ask for
   * many at once.
   */
  async search(jobId: string, runNumber: number | undefined, query: LogSearchQuery): Promise<LogSearchResult & { runId?: string; filePath?: string }> {
    const job = this.job(jobId);
    const record = runNumber === undefined ? job.runs(this.ctx.runsKept()).at(-1) : this.runRecord(job, runNumber);
    if (!record) return { matches: [], total: 0, limited: false, lines: 0 };
    if (this.searchesRunning >= MAX_SEARCHES_AT_ONCE) {
      throw new EngineError('BAD_STATE', `${MAX_SEARCHES_AT_ONCE} log searches are running already: search again once one has finished`);
    }
    this.searchesRunning++;
    try {
      return { runId: record.runId, filePath: record.log.path, ...(await searchLogFiles(record.log.path, query)) };
    } finally {
      this.searchesRunning--;
    }
  }

  /** Run `runNumber` of a job (as jobs.runs numbers them), or NOT_FOUND naming the runs kept. */
  private runRecord(job: Job, runNumber: number): RunRecord {
    const runs = job.runs(this.ctx.runsKept());
    const record = runs.find((r) => r.number === runNumber);
    if (!record) {
      const kept = runs.length === 0 ? 'it has not run yet' : `the runs kept are ${runs[0]!.number}–${runs.at(-1)!.number}`;
      throw new EngineError('NOT_FOUND', `${job.name} has no run ${runNumber}: ${kept}`, 'run');
    }
    return record;
  }

  /** The job's runs, newest first (the live one included), at most `limit` of the runsKept that are kept. */
  runs(jobId: string, limit?: number): RunRecord[] {
    const runs = this.job(jobId).runs(this.ctx.runsKept()).reverse();
    return limit === undefined ? runs : runs.slice(0, limit);
  }

  /** Keeps at most runsKept runs per job (the setting was lowered); the logs of those dropped go with them. */
  applyRunsKept(): void {
    const keep = this.ctx.runsKept();
    for (const job of this.ctx.jobs.values()) {
      const dropped = job.trimRuns(keep);
      if (dropped.length > 0) {
        this.ctx.forgetLogs(job.id, dropped);
        this.ctx.store.changed(job.id);
      }
    }
  }

  /** Stops a running job (for good: also one being restarted), or takes a waiting one out of the queue or its backoff. */
  stopJob(job: Job): void {
    if (!this.ctx.scheduler.cancel(job)) {
      const run = this.liveRun(job, 'stop');
      this.ctx.scheduler.stayEndedWhenEnded(job);
      run.stop();
    }
  }

  /** Drops the oldest finished jobs beyond settings.finishedJobsKept, and says so. */
  applyRetention(): void {
    const keep = this.ctx.finishedJobsKept();
    // A declared job stays while its file is in force (the file, not the list's length, says what exists).
    const drop = oldestFinishedBeyond(this.ctx.jobs, keep).filter((id) => !this.ctx.jobs.get(id)?.service);
    if (drop.length === 0) return;
    for (const id of drop) this.forget(id);
    if (!this.ctx.isOpening()) this.ctx.events.emit('jobs.removed', { jobIds: drop });
    this.ctx.notice('info', `${drop.length} of the oldest finished jobs were dropped from the list and the saved jobs: the "finished jobs kept" setting (finishedJobsKept) keeps ${keep}`);
  }

  /** The job by id; NOT_FOUND naming the field otherwise. */
  job(jobId: string): Job {
    const job = this.ctx.jobs.get(jobId);
    if (!job) throw new EngineError('NOT_FOUND', `no job with id ${jobId}`, 'jobId');
    return job;
  }

  private forget(jobId: string): void {
    this.ctx.jobs.delete(jobId);
    this.ctx.forgetMonitored(jobId);
    this.ctx.forgetLogs(jobId);
    this.ctx.store.changed(jobId);
    this.ctx.scheduler.forget(jobId);
  }

  private onLiveRun(jobId: string, action: string, act: (run: RunHandle) => void): JobSnapshot {
    const job = this.job(jobId);
    act(this.liveRun(job, action));
    return job.snapshot();
  }

  private liveRun(job: Job, action: string): RunHandle {
    if (job.phase.kind === 'queued') throw new EngineError('BAD_STATE', `cannot ${action} job ${job.name}: it is still queued`);
    const run = job.liveRun();
    if (!run) throw new EngineError('BAD_STATE', `cannot ${action} job ${job.name}: it is not running`);
    return run;
  }
}
