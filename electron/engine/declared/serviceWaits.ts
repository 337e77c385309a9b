import type { Job } from '../jobs/job';
import type { DeclaredService } from './declaredService';

/** How long applying a file waits for one restarted service before it goes on to the next. */
const RESTART_WAIT_MS = 60_000;
const POLL_MS = 50;

/**
 * Resolves once a restarted service is back (its new run live and ready), or has settled
 * otherwise (ended, failed), or after RESTART_WAIT_MS: a service that never gets ready must
 * not hold the rest of the file. Polls the job's own state: the restart queues it, a pump
 * starts it, its readiness probe passes, all from timers of their own.
 */
export function waitForService(service: DeclaredService, jobs: ReadonlyMap<string, Job>): Promise<void> {
  const job = service.job;
  const before = job.run?.runId;
  const deadline = Date.now() + RESTART_WAIT_MS;
  return new Promise((resolve) => {
    const check = () => {
      const live = job.liveRun();
      const restarted = job.run?.runId !== before;
      const settled = !jobs.has(job.id) || (restarted && live !== undefined && live.state !== 'starting' && service.isReady()) || (restarted && !job.isUnfinished()) || (!job.isUnfinished() && job.phase.kind === 'ended');
      if (settled || Date.now() >= deadline) return resolve();
      setTimeout(check, POLL_MS);
    };
    setTimeout(check, POLL_MS);
  });
}
