import type { Job } from '../jobs/job';
import { isDeliberateStop, type RunHandle } from '../backends/backend';
import { setLongTimeout } from '../timers';
import { decideRestart } from './restartDecision';

export interface RestartHooks {
  enqueue(job: Job): void;
  changed(job: Job): void;
}

/** What happens to a job once a run has ended: queued again, restarted after a backoff, or given up on. */
export class Restarts {
  constructor(private readonly hooks: RestartHooks) {}

  runEnded(job: Job, run: RunHandle): void {
    const restart = job.phase.kind === 'running' && job.phase.restartWhenEnded;
    job.phase = { kind: 'ended' };
    if (restart) this.hooks.enqueue(job);
    else this.applyPolicy(job, run);
  }

  /** Cancels a pending automatic restart; false if there was none. */
  cancel(job: Job): boolean {
    if (job.phase.kind !== 'backing-off') return false;
    job.phase.timer.cancel();
    job.phase = { kind: 'ended' };
    job.restarts = { ...job.restarts, nextAt: undefined, lastReason: `${job.restarts.lastReason ?? 'restart'}; automatic restart cancelled` };
    this.hooks.changed(job);
    return true;
  }

  dispose(jobs: Iterable<Job>): void {
    for (const job of jobs) {
      if (job.phase.kind !== 'backing-off') continue;
      job.phase.timer.cancel();
      job.phase = { kind: 'ended' };
    }
  }

  private applyPolicy(job: Job, run: RunHandle): void {
    const cause =
      run.endCause === 'health' && run.reason !== undefined
        ? run.reason
        : run.state === 'exited' ? `exit code ${run.exitCode}` : run.state === 'killed' ? `signal ${run.signal}` : run.state === 'timed-out' ? 'timed out' : (run.reason ?? run.state);
    const decision = decideRestart(
      job.spec.restart,
      {
        // A run its liveness probe had stopped failed, whatever its exit code on SIGTERM.
        succeeded: run.state === 'exited' && run.exitCode === 0 && run.endCause !== 'health',
        stoppedByOperator: isDeliberateStop(run.endCause),
        uptimeMs: (run.endedAt ?? Date.now()) - (run.startedAt ?? Date.now()),
        cause,
      },
      job.restartMemory,
      Date.now(),
    );
    if (decision.kind === 'crash-looping') {
      job.phase = { kind: 'ended', verdict: { state: 'crash-looping', reason: decision.reason } };
      this.hooks.changed(job);
    } else if (decision.kind === 'restart') {
      const until = Date.now() + decision.delayMs;
      job.restarts = { ...job.restarts, automatic: job.restarts.automatic + 1, lastReason: decision.reason, nextAt: until };
      // The delay comes from the job's policy: an operator may choose more than setTimeout holds.
      const timer = setLongTimeout(() => {
        job.restarts = { ...job.restarts, nextAt: undefined };
        this.hooks.enqueue(job);
      }, decision.delayMs);
      job.phase = { kind: 'backing-off', timer };
      this.hooks.changed(job);
    }
  }
}
