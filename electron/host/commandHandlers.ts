import type { Engine } from '../engine/engine';
import type { CommandHandlers } from './dispatch';
import { accessHandlers } from './handlers/accessHandlers';
import { configHandlers } from './handlers/configHandlers';
import { isolationHandlers } from './handlers/isolationHandlers';
import { backendHandlers } from './handlers/backendHandlers';
import { jobHandlers } from './handlers/jobHandlers';
import { logHandlers } from './handlers/logHandlers';
import { monitorHandlers } from './handlers/monitorHandlers';
import { processHandlers } from './handlers/processHandlers';
import { schedulerHandlers } from './handlers/schedulerHandlers';
import { settingsHandlers } from './handlers/settingsHandlers';

export interface HostInfo {
  host: 'electron' | 'browser';
  version: string;
}

/**
 * Every contract command, answered by one engine service: the domains' handlers
 * (handlers/<domain>Handlers.ts) put together. Requests arrive already parsed by dispatch.
 */
export function createCommandHandlers(engine: Engine, hostInfo: HostInfo): CommandHandlers {
  return {
    'engine.info': () => ({ ...engine.info(), ...hostInfo }),
    ...jobHandlers(engine.jobs, () => engine.scheduler.queueOrder()),
    ...logHandlers(engine.logs),
    ...schedulerHandlers(engine.scheduler),
    ...monitorHandlers(engine.monitor),
    ...processHandlers(engine.processes),
    ...isolationHandlers(engine.isolation),
    ...backendHandlers(engine.backends),
    ...settingsHandlers(engine.settings),
    ...accessHandlers(),
    ...configHandlers(engine.services),
  };
}
