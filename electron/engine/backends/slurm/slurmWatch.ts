import type { SlurmClient } from './slurmClient';
import { SlurmError } from './slurmError';
import type { SlurmRun } from './slurmRun';
import { literalPattern } from './submitRequest';

/** squeue every 5 s (README: 0.6–0.8 % of a core for 100 jobs here, 0.02 % of slurmctld's; 2 s would be 1.4–1.9 %). */
export const SQUEUE_INTERVAL_MS = 5000;
/** The output files are looked at this often: inotify does not see writes made on another node. */
export const FOLLOW_INTERVAL_MS = 500;
/** Just after a submission, squeue is asked this often until the job runs (Slurm often starts it within a few hundred ms). */
const FRESH_POLL_MS = 250;
const FRESH_FOR_MS = 3000;
/** A job squeue does not list yet is given this long before it counts as gone (sbatch answered before squeue saw it). */
const NOT_LISTED_GRACE_MS = 30_000;

export interface WatchContext {
  runs(): Iterable<SlurmRun>;
  client(): SlurmClient;
  /** The controller stopped answering (its words) or answers again (undefined). */
  controllerChanged(down: string | undefined): void;
  /** A poll failed for another reason: once per distinct message. */
  problem(message: string): void;
}

/**
 * Watches the Slurm runs: one `squeue --json` for all of them every `pollMs` (and soon after
 * anything moved: a submission answered, an output file appeared, a control was sent), and
 * their output files every FOLLOW_INTERVAL_MS. Timers run only while there are runs.
 */
export class SlurmWatch {
  private pollTimer?: NodeJS.Timeout;
  private followTimer?: NodeJS.Timeout;
  private polling = false;
  private pollAgain = false;
  private lastProblem?: string;
  private down?: string;
  private disposed = false;

  constructor(
    private readonly ctx: WatchContext,
    private readonly pollMs = SQUEUE_INTERVAL_MS,
    private readonly followMs = FOLLOW_INTERVAL_MS,
  ) {}

  get controllerDown(): string | undefined {
    return this.down;
  }

  /** A run was added: make sure the timers run. */
  started(): void {
    if (this.disposed) return;
    this.followTimer ??= setInterval(() => this.follow(), this.followMs).unref();
    this.schedule(this.pollMs);
  }

  pollSoon(): void {
    if (this.disposed) return;
    if (this.polling) this.pollAgain = true;
    else this.schedule(100);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.pollTimer);
    clearInterval(this.followTimer);
    this.pollTimer = this.followTimer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.pollTimer) {
      if (delayMs >= this.pollMs) return; // one is due anyway
      clearTimeout(this.pollTimer);
    }
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.poll();
    }, delayMs).unref();
  }

  private follow(): void {
    let any = false;
    let appeared = false;
    for (const run of this.ctx.runs()) {
      any = true;
      if (run.follow()) appeared = true;
    }
    if (appeared) this.pollSoon(); // slurmstepd made the output file: the job has started
    if (!any) {
      clearInterval(this.followTimer);
      this.followTimer = undefined;
    }
  }

  private async poll(): Promise<void> {
    const runs = [...this.ctx.runs()];
    if (runs.length === 0 || this.disposed) return;
    this.polling = true;
    try {
      const { jobs } = await this.ctx.client().jobs();
      if (this.down !== undefined) {
        this.down = undefined;
        this.ctx.controllerChanged(undefined);
      }
      this.lastProblem = undefined;
      const byOutput = new Map<string, string>();
      for (const job of jobs.values()) if (job.stdoutPattern) byOutput.set(job.stdoutPattern, job.id);
      const now = Date.now();
      for (const run of runs) {
        // Found again after a restart whose sbatch had not answered: by the output file Procdeck chose.
        const id = run.slurmJobId ?? byOutput.get(literalPattern(run.files.stdoutPath));
        if (id !== undefined && run.slurmJobId === undefined && run.adopting) run.submitted(id, {});
        const job = id === undefined ? undefined : jobs.get(id);
        if (job) run.update(job);
        else if (run.slurmJobId !== undefined && now - run.listedOrSubmittedAt > NOT_LISTED_GRACE_MS) {
          await run.notListed();
        } else if (run.slurmJobId === undefined && run.adopting && now - run.listedOrSubmittedAt > NOT_LISTED_GRACE_MS) {
          run.lost('Procdeck stopped while submitting this job and Slurm has no job with its output file: it was never submitted');
        }
      }
      for (const run of runs) run.markStale(false);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof SlurmError && (error.kind === 'controller-down' || error.kind === 'timed-out')) {
        if (this.down === undefined) {
          this.down = message;
          this.ctx.controllerChanged(message);
        }
        for (const run of runs) run.markStale(true);
      } else if (message !== this.lastProblem) {
        this.lastProblem = message;
        this.ctx.problem(message);
      }
    } finally {
      this.polling = false;
    }
    const again = this.pollAgain;
    this.pollAgain = false;
    const left = [...this.ctx.runs()];
    // A job submitted a moment ago and not running yet is asked after sooner: that is the submit-to-running latency.
    const now = Date.now();
    const fresh = left.some((run) => run.submittedAt !== undefined && now - run.submittedAt < FRESH_FOR_MS && (run.state === 'queued' || run.state === 'starting'));
    if (left.length > 0) this.schedule(again ? 100 : fresh ? FRESH_POLL_MS : this.pollMs);
  }
}
