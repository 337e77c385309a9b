import type { JobsService } from '../../engine/services/jobsService';
import type { DomainHandlers } from './domainHandlers';

export type JobCommand =
  | 'jobs.list'
  | 'jobs.start'
  | 'jobs.check'
  | 'jobs.stop'
  | 'jobs.kill'
  | 'jobs.signal'
  | 'jobs.pause'
  | 'jobs.resume'
  | 'jobs.restart'
  | 'jobs.remove'
  | 'jobs.writeStdin'
  | 'jobs.closeStdin'
  | 'jobs.setAffinity'
  | 'jobs.renice'
  | 'jobs.runs'
  | 'logs.tail'
  | 'logs.search';

/** jobs.* and logs.tail, through engine.jobs (jobs.list also carries the queue order, engine.scheduler's). */
export function jobHandlers(jobs: JobsService, queueOrder: () => string[]): DomainHandlers<JobCommand> {
  return {
    'jobs.list': () => ({ jobs: jobs.list(), queue: queueOrder() }),
    'jobs.start': ({ spec }) => ({ job: jobs.start(spec) }),
    'jobs.check': ({ spec }) => ({ warnings: jobs.check(spec) }),
    'jobs.stop': ({ jobId }) => ({ job: jobs.stop(jobId) }),
    'jobs.kill': ({ jobId }) => ({ job: jobs.kill(jobId) }),
    'jobs.signal': ({ jobId, signal }) => ({ job: jobs.signal(jobId, signal) }),
    'jobs.pause': ({ jobId }) => ({ job: jobs.pause(jobId) }),
    'jobs.resume': ({ jobId }) => ({ job: jobs.resume(jobId) }),
    'jobs.restart': ({ jobId }) => ({ job: jobs.restart(jobId) }),
    'jobs.remove': ({ jobId }) => {
      jobs.remove(jobId);
      return {};
    },
    'jobs.writeStdin': ({ jobId, data }) => ({ job: jobs.writeStdin(jobId, data) }),
    'jobs.closeStdin': ({ jobId }) => ({ job: jobs.closeStdin(jobId) }),
    'jobs.setAffinity': async ({ jobId, cores }) => ({ job: await jobs.setAffinity(jobId, cores) }),
    'jobs.renice': async ({ jobId, nice }) => ({ job: await jobs.renice(jobId, nice) }),
    'jobs.runs': ({ jobId, limit }) => ({ runs: jobs.runs(jobId, limit) }),
    'logs.tail': ({ jobId, run }) => jobs.tail(jobId, run),
    'logs.search': ({ jobId, run, ...query }) => jobs.search(jobId, run, query),
  };
}
