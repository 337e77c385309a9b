import type { ProcessesService } from '../../engine/services/processesService';
import type { DomainHandlers } from './domainHandlers';

export type ProcessCommand = 'processes.signal' | 'processes.renice' | 'processes.setAffinity';

/** processes.*: actions on processes that are not jobs, through engine.processes. */
export function processHandlers(processes: ProcessesService): DomainHandlers<ProcessCommand> {
  return {
    'processes.signal': (request) => processes.signal(request),
    'processes.renice': (request) => processes.renice(request),
    'processes.setAffinity': (request) => processes.setAffinity(request),
  };
}
