import type { LogsService } from '../../engine/services/logsService';
import type { DomainHandlers } from './domainHandlers';

/** logs.usage, through engine.logs (logs.tail is the job's: jobHandlers). */
export function logHandlers(logs: LogsService): DomainHandlers<'logs.usage'> {
  return {
    'logs.usage': () => logs.usage(),
  };
}
