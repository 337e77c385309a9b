import type { SchedulerService } from '../../engine/services/schedulerService';
import type { DomainHandlers } from './domainHandlers';

export type SchedulerCommand = 'groups.list' | 'groups.update' | 'batches.submit' | 'batches.list' | 'batches.stop' | 'batches.retryFailed';

/** groups.* and batches.*, through engine.scheduler. */
export function schedulerHandlers(scheduler: SchedulerService): DomainHandlers<SchedulerCommand> {
  return {
    'groups.list': () => ({ groups: scheduler.groups() }),
    'groups.update': ({ name, ...change }) => ({ groups: scheduler.updateGroup(name, change) }),
    'batches.submit': async (request) => ({ batch: await scheduler.submitBatch(request) }),
    'batches.list': () => ({ batches: scheduler.listBatches() }),
    'batches.stop': ({ batchId }) => ({ batch: scheduler.stopBatch(batchId) }),
    'batches.retryFailed': ({ batchId }) => ({ batch: scheduler.retryFailed(batchId) }),
  };
}
