import type { JobSnapshot } from '../../shared/jobSnapshot';
import type { SignalName } from '../../shared/signals';
import { checkCores } from './affinity/chooseCores';
import { reniceProcess, setProcessAffinity } from './monitor/processActions';
import { cpus } from 'node:os';
import { EngineError } from './engineError';
import type { Job } from './job';
import { buildForest, collectTree } from './monitor/processTree';
import { readProcTable } from './monitor/procTable';
import type { Runner } from './scheduler/runner';
import type { JobRun } from './supervisor/jobRun';

/** A process of the tree that exited between the scan and the action is not an error. */
function ignoreExited(error: unknown): undefined {
  if (error instanceof EngineError && error.code === 'NOT_FOUND') return undefined;
  throw error;
}

/** What an operator does to one job: signals, stdin, and live affinity/nice changes. */
export abstract class JobControls {
  protected readonly jobs = new Map<string, Job>();
  protected runner!: Runner;

  protected abstract snapshotOf(jobId: string): JobSnapshot | undefined;

  get(jobId: string): JobSnapshot {
    this.job(jobId);
    return this.snapshotOf(jobId)!;
  }

  stop(jobId: string): JobSnapshot {
    this.stopJob(this.job(jobId));
    return this.get(jobId);
  }

  kill(jobId: string): JobSnapshot {
    const job = this.job(jobId);
    if (!this.runner.cancel(job)) this.activeRun(job, 'kill').kill();
    return this.get(jobId);
  }

  signal(jobId: string, signal: SignalName): JobSnapshot {
    this.activeRun(this.job(jobId), `send ${signal} to`).sendSignal(signal);
    return this.get(jobId);
  }

  pause(jobId: string): JobSnapshot {
    this.activeRun(this.job(jobId), 'pause').pause();
    return this.get(jobId);
  }

  resume(jobId: string): JobSnapshot {
    this.activeRun(this.job(jobId), 'resume').resume();
    return this.get(jobId);
  }

  writeStdin(jobId: string, data: string): JobSnapshot {
    this.activeRun(this.job(jobId), 'write to').writeStdin(data);
    return this.get(jobId);
  }

  closeStdin(jobId: string): JobSnapshot {
    this.activeRun(this.job(jobId), 'close stdin of').closeStdin();
    return this.get(jobId);
  }

  /** Pins every thread of every process in the job's tree, then reads the result back from /proc. */
  async setAffinity(jobId: string, cores: number[]): Promise<JobSnapshot> {
    const job = this.job(jobId);
    const run = this.activeRun(job, 'pin');
    checkCores(cores, cpus().length);
    await Promise.all(this.treePids(run).map((pid) => setProcessAffinity({ pid }, cores).catch(ignoreExited)));
    this.runner.readBack(job, run);
    return this.get(jobId);
  }

  async renice(jobId: string, nice: number): Promise<JobSnapshot> {
    const job = this.job(jobId);
    const run = this.activeRun(job, 'renice');
    for (const pid of this.treePids(run)) {
      try {
        reniceProcess({ pid }, nice);
      } catch (error) {
        ignoreExited(error);
      }
    }
    this.runner.readBack(job, run);
    return this.get(jobId);
  }

  protected stopJob(job: Job): void {
    if (!this.runner.cancel(job)) this.activeRun(job, 'stop').stop();
  }

  protected job(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new EngineError('NOT_FOUND', `no job with id ${jobId}`, 'jobId');
    return job;
  }

  protected activeRun(job: Job, action: string): JobRun {
    if (job.phase.kind === 'queued') throw new EngineError('BAD_STATE', `cannot ${action} job ${job.name}: it is still queued`);
    const run = job.liveRun();
    if (!run) throw new EngineError('BAD_STATE', `cannot ${action} job ${job.name}: it is not running`);
    return run;
  }

  private treePids(run: JobRun): number[] {
    const table = readProcTable();
    const root = table.processes.get(run.pid!);
    if (!root) return [run.pid!];
    return collectTree(buildForest(table.processes.values()), root);
  }
}
