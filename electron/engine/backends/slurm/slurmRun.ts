import { existsSync } from 'node:fs';
import type { SlurmRunInfo } from '../../../../shared/jobSnapshot';
import type { JobState } from '../../../../shared/jobState';
import type { EndRequest, RunEndedBy } from '../../../../shared/runEnd';
import type { SignalName } from '../../../../shared/signals';
import { EngineError } from '../../engineError';
import type { RunLog } from '../../logs/runLog';
import type { EndCause, RunEvents, RunHandle } from '../backend';
import { OutputFollower } from './outputFollower';
import type { SlurmClient, SlurmJob } from './slurmClient';
import { SlurmError } from './slurmError';
import { SLURM_FINAL_STATES, viewOfSlurmState, type SlurmJobView } from './slurmState';

/** What a Slurm run needs of its backend: the client, what the controller last said, and the poller. */
export interface SlurmRunContext {
  client(): SlurmClient;
  /** Slurm's words for why the controller is not answering, while it is not. */
  controllerDown(): string | undefined;
  /** Asks squeue soon (coalesced): something moved (a submission answered, an output file appeared, a control was sent). */
  pollSoon(): void;
  /** The run reached its final state (or was detached): it leaves the backend's live set and its record. */
  finished(run: SlurmRun, keepRecord: boolean): void;
  /** sbatch answered with the job's id: its record says so. */
  recordId(run: SlurmRun): void;
  /** Runs a Slurm client call in its turn (at most a few at once). */
  call(work: () => Promise<void>): Promise<void>;
}

export interface SlurmRunFiles {
  stdoutPath: string;
  stderrPath: string;
}

/**
 * One job on the Slurm cluster as the engine sees a run: its state follows squeue (polled by
 * the backend), its output follows the job's output files, its controls go through scancel
 * and scontrol. There is no pid here: the job's processes are on a node, tracked by Slurm
 * (proctrack/cgroup), and cancelling the job ends every one of them.
 */
export class SlurmRun implements RunHandle {
  state: JobState = 'starting';
  exitCode?: number;
  signal?: string;
  reason?: string;
  startedAt?: number;
  endedAt?: number;
  endCause?: EndCause;
  endRequest?: EndRequest;
  cores?: readonly number[];
  readonly stdinOpen = false;
  slurmJobId?: string;
  /** When sbatch answered (this engine's submissions only). */
  submittedAt?: number;
  slurm?: SlurmRunInfo;
  /** The output file exists: slurmstepd made it when the job started on its node. */
  sawOutput = false;
  /** Found again after a restart of Procdeck (its record), not submitted by this engine. */
  adopting = false;
  /** When squeue last listed it, or it was submitted: a job not listed for long has left the controller. */
  listedOrSubmittedAt = Date.now();
  private readonly stdout: OutputFollower;
  private readonly stderr: OutputFollower;
  /** A stop or kill asked for before sbatch answered: sent as soon as the job has an id. */
  private pendingControl?: 'stop' | 'kill';
  private detailsAsked = false;
  private ended = false;

  constructor(
    readonly runId: string,
    readonly files: SlurmRunFiles,
    readonly log: RunLog,
    private readonly events: RunEvents,
    private readonly ctx: SlurmRunContext,
  ) {
    const follow = (stream: 'stdout' | 'stderr') => (event: { kind: 'text'; text: string } | { kind: 'truncated'; size: number }) => {
      if (event.kind === 'text') this.log.append(stream, Buffer.from(event.text));
      else this.log.note(`the job's ${stream} file ${files[stream === 'stdout' ? 'stdoutPath' : 'stderrPath']} shrank to ${event.size} bytes: read again from its start`);
    };
    this.stdout = new OutputFollower(files.stdoutPath, follow('stdout'));
    this.stderr = new OutputFollower(files.stderrPath, follow('stderr'));
  }

  /** Who ended it, when Procdeck asked Slurm to (a run Slurm ended itself says so in its state and reason). */
  get endedBy(): RunEndedBy | undefined {
    return this.ended ? this.endCause : undefined;
  }

  isActive(): boolean {
    return !this.ended;
  }

  /** sbatch answered: from now on the job is known by its id. */
  submitted(slurmJobId: string, limits: { timeLimitMinutes?: number; memoryMiB?: number }): void {
    this.slurmJobId = slurmJobId;
    this.slurm = { jobId: slurmJobId, state: 'PENDING', ...limits };
    this.reason = 'submitted to Slurm';
    this.listedOrSubmittedAt = Date.now();
    if (!this.adopting) this.submittedAt = this.listedOrSubmittedAt;
    this.log.note(`submitted to Slurm as job ${slurmJobId}`);
    this.events.outputWaiting();
    this.ctx.recordId(this);
    this.events.changed();
    const control = this.pendingControl;
    this.pendingControl = undefined;
    if (control === 'stop') this.stop(this.endCause);
    else if (control === 'kill') this.kill();
    this.ctx.pollSoon();
  }

  /** sbatch refused the job (or could not be run): nothing was started. */
  submitFailed(error: unknown): void {
    this.finish({ state: 'failed-to-start', reason: error instanceof Error ? error.message : String(error) });
  }

  /** One look at the output files (the backend's follow timer); says whether the job's output appeared just now. */
  follow(): boolean {
    let appeared = false;
    if (!this.sawOutput) {
      // slurmstepd creates both files as the job starts, even for a job that prints nothing:
      // until then one stat is the whole look (98 of 100 jobs may be pending).
      if (!this.slurmJobId || !existsSync(this.files.stdoutPath)) return false;
      this.sawOutput = appeared = true;
    }
    this.stdout.poll();
    this.stderr.poll();
    return appeared;
  }

  /** What squeue said of the job at the backend's latest poll. */
  update(job: SlurmJob): void {
    if (this.ended) return;
    this.listedOrSubmittedAt = Date.now();
    const view = job.view;
    const info: SlurmRunInfo = {
      ...this.slurm,
      jobId: job.id,
      state: job.slurmState,
      ...(job.slurmReason ? { reason: job.slurmReason } : { reason: undefined }),
      ...(job.partition && { partition: job.partition }),
      ...(job.nodes && { nodes: job.nodes }),
      ...(job.cpus !== undefined && { cpus: job.cpus }),
      ...(job.timeLimitMinutes !== undefined && { timeLimitMinutes: job.timeLimitMinutes }),
      stale: undefined,
    };
    if (job.startedAt !== undefined) this.startedAt = job.startedAt;
    if (isFinalView(view)) {
      this.slurm = info;
      this.finish(view, job.endedAt);
      return;
    }
    // A stop in flight stays "stopping" until Slurm says the job ended.
    const state = this.state === 'stopping' && view.state !== 'paused' ? 'stopping' : view.state;
    const moved = state !== this.state || view.reason !== this.reason || JSON.stringify(info) !== JSON.stringify(this.slurm);
    this.state = state;
    if (state !== 'stopping') this.reason = view.reason;
    this.slurm = info;
    if (view.state === 'running' && !this.detailsAsked) {
      // Said in the log too: the log pane is where every front end shows it, the snapshot's `slurm` where one looks for it.
      this.log.note(`Slurm job ${job.id} is running on ${job.nodes || 'its node'}${job.cpus !== undefined ? ` with ${job.cpus} CPU${job.cpus === 1 ? '' : 's'}` : ''}`);
      this.events.outputWaiting();
      this.readAllocation();
    }
    if (moved) this.events.changed();
  }

  /** The controller did not answer: the state shown is the last one known, marked so. */
  markStale(stale: boolean): void {
    if (this.ended || !this.slurm || (this.slurm.stale ?? false) === stale) return;
    this.slurm = { ...this.slurm, stale: stale || undefined };
    this.events.changed();
  }

  /**
   * squeue no longer lists the job (it ended more than MinJobAge ago, while Procdeck was not
   * running): how it ended comes from accounting (sacct) where the cluster keeps it.
   */
  async notListed(): Promise<void> {
    const id = this.slurmJobId!;
    const accounting = await this.ctx.client().accounting([id]).catch((error: unknown) => ({ available: false as const, message: error instanceof Error ? error.message : String(error) }));
    if (this.ended) return;
    const record = accounting.available ? accounting.records.find((r) => r.id === id) : undefined;
    if (record && SLURM_FINAL_STATES.has(record.slurmState)) {
      const waitStatus = record.signal ? record.signal : (record.exitCode ?? 0) << 8;
      this.finish(viewOfSlurmState({ slurmState: record.slurmState, slurmReason: '', waitStatus, timeLimitMinutes: this.slurm?.timeLimitMinutes }), record.endedAt);
      return;
    }
    const why = accounting.available ? 'sacct has no record of it' : accounting.message;
    this.lost(`Slurm no longer lists job ${id} (it ended more than MinJobAge ago) and its end cannot be read (${why}): how it ended is unknown`);
  }

  /** Slurm no longer lists the job and no accounting says how it ended. */
  lost(message: string): void {
    this.finish({ state: 'killed', reason: message });
  }

  stop(cause?: EndCause, reason?: string): void {
    this.assertControllable('stop');
    this.endCause = cause ?? 'operator';
    this.endRequest = 'stop';
    this.log.note(reason ?? 'stop requested: scancel (Slurm sends SIGTERM to every step, SIGKILL after its KillWait)');
    this.state = 'stopping';
    this.events.changed();
    if (!this.slurmJobId) {
      this.pendingControl = 'stop';
      return;
    }
    this.control('stop', (c, id) => c.cancel(id));
  }

  kill(): void {
    this.assertControllable('kill');
    this.endCause = 'operator';
    this.endRequest = 'kill';
    this.log.note('kill requested: scancel --signal=KILL --full (every process of the job, the batch script included)');
    if (!this.slurmJobId) {
      this.pendingControl = 'kill';
      return;
    }
    // A job still pending has no process to signal: cancelling it is what ends it.
    if (this.state === 'queued') this.control('kill', (c, id) => c.cancel(id));
    else this.control('kill', (c, id) => c.signal(id, 'SIGKILL'));
  }

  sendSignal(signal: SignalName): void {
    this.assertRunning(`send ${signal} to`);
    this.control(`send ${signal} to`, (c, id) => c.signal(id, signal));
  }

  pause(): void {
    this.assertRunning('pause');
    this.control('pause', (c, id) => c.suspend(id));
  }

  resume(): void {
    this.assertControllable('resume');
    if (this.state !== 'paused') throw new EngineError('BAD_STATE', `Slurm job ${this.slurmJobId ?? '(not submitted yet)'} is not suspended`);
    this.control('resume', (c, id) => c.resume(id));
  }

  writeStdin(): void {
    throw new EngineError('UNSUPPORTED', 'a job on the Slurm cluster has no stdin (sbatch runs it with stdin from /dev/null)');
  }

  closeStdin(): void {
    throw new EngineError('UNSUPPORTED', 'a job on the Slurm cluster has no stdin (sbatch runs it with stdin from /dev/null)');
  }

  async stopAndWait(): Promise<void> {
    if (this.ended) return;
    await new Promise<void>((resolve) => {
      this.whenEnded.push(resolve);
      try {
        this.stop('engine-shutdown', 'stopped: Procdeck is shutting down');
      } catch {
        resolve();
      }
    });
  }

  /** Procdeck stops watching, the job runs on (engine shutdown): the next engine finds it again by its record. */
  detach(): void {
    if (this.ended) return;
    this.ended = true;
    this.readOutputToEnd();
    this.log.close();
    this.ctx.finished(this, true);
  }

  private readonly whenEnded: (() => void)[] = [];

  private finish(view: Pick<SlurmJobView, 'state' | 'exitCode' | 'signal' | 'reason'>, endedAt?: number): void {
    if (this.ended) return;
    this.ended = true;
    this.state = view.state;
    this.exitCode = view.exitCode;
    this.signal = view.signal;
    this.reason = view.reason;
    this.endedAt = endedAt ?? Date.now();
    this.readOutputToEnd();
    this.ctx.finished(this, false);
    this.events.changed();
    this.events.outputWaiting();
    this.log.close();
    this.events.ended();
    for (const resolve of this.whenEnded.splice(0)) resolve();
  }

  private readOutputToEnd(): void {
    this.stdout.stop();
    this.stderr.stop();
  }

  /** The CPU ids Slurm allocated (scontrol -d show job): the run's cores, read once it runs. */
  private readAllocation(): void {
    const id = this.slurmJobId;
    if (!id) return;
    this.detailsAsked = true;
    this.ctx
      .client()
      .details(id)
      .then((details) => {
        if (this.ended) return;
        const cpuIds = details.allocation.flatMap((a) => a.cpuIds);
        if (cpuIds.length > 0) {
          this.cores = cpuIds;
          this.events.changed();
        }
      })
      .catch(() => {
        this.detailsAsked = false; // asked again at the next poll that sees it running
      });
  }

  private control(action: string, call: (client: SlurmClient, id: string) => Promise<void>): void {
    const id = this.slurmJobId!;
    this.ctx.call(() => call(this.ctx.client(), id)).then(
      () => this.ctx.pollSoon(),
      (error: unknown) => {
        if (this.ended) return;
        const message = `could not ${action} Slurm job ${id}: ${error instanceof Error ? error.message : String(error)}`;
        this.log.note(message);
        this.events.outputWaiting();
        this.events.notice(message);
        if (this.state === 'stopping') {
          this.state = 'running'; // the stop did not reach Slurm: the next poll says what the job is doing
          this.events.changed();
        }
        this.ctx.pollSoon();
      },
    );
  }

  private assertControllable(action: string): void {
    if (this.ended) throw new EngineError('BAD_STATE', `cannot ${action}: the run has ended`);
    const down = this.ctx.controllerDown();
    if (down !== undefined && this.slurmJobId) throw new SlurmError('controller-down', `cannot ${action} Slurm job ${this.slurmJobId}: ${down}; the job keeps its last known state, try again once the controller answers`, 'scancel');
  }

  private assertRunning(action: string): void {
    this.assertControllable(action);
    if (!this.slurmJobId || this.state === 'queued' || this.state === 'starting') {
      throw new EngineError('BAD_STATE', `cannot ${action} Slurm job ${this.slurmJobId ?? '(not submitted yet)'}: it is still waiting in Slurm's queue`);
    }
  }
}

function isFinalView(view: SlurmJobView): boolean {
  return !['queued', 'starting', 'running', 'paused', 'stopping'].includes(view.state);
}
