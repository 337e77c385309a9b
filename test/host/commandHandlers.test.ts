import { configHandlers } from '../../electron/host/handlers/configHandlers';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../shared/contract';
import { createCommandHandlers } from '../../electron/host/commandHandlers';
import { accessHandlers } from '../../electron/host/handlers/accessHandlers';
import { isolationHandlers } from '../../electron/host/handlers/isolationHandlers';
import { jobHandlers } from '../../electron/host/handlers/jobHandlers';
import { logHandlers } from '../../electron/host/handlers/logHandlers';
import { monitorHandlers } from '../../electron/host/handlers/monitorHandlers';
import { processHandlers } from '../../electron/host/handlers/processHandlers';
import { schedulerHandlers } from '../../electron/host/handlers/schedulerHandlers';
import { settingsHandlers } from '../../electron/host/handlers/settingsHandlers';
import { backendHandlers } from '../../electron/host/handlers/backendHandlers';
import { closeEngines, openEngine } from '../engine/helpers';

afterEach(closeEngines);

describe('command handlers', () => {
  it('answer every command of the contract, each from exactly one domain', () => {
    const engine = openEngine();
    const domains = {
      jobs: jobHandlers(engine.jobs, () => []),
      logs: logHandlers(engine.logs),
      scheduler: schedulerHandlers(engine.scheduler),
      monitor: monitorHandlers(engine.monitor),
      processes: processHandlers(engine.processes),
      isolation: isolationHandlers(engine.isolation),
      settings: settingsHandlers(engine.settings),
      access: accessHandlers(),
      config: configHandlers(engine.services),
      backends: backendHandlers(engine.backends),
    };
    const owners = new Map<string, string[]>();
    for (const [domain, handlers] of Object.entries(domains)) for (const name of Object.keys(handlers)) owners.set(name, [...(owners.get(name) ?? []), domain]);
    expect([...owners].filter(([, by]) => by.length > 1)).toEqual([]);
    expect([...owners.keys(), 'engine.info'].sort()).toEqual(Object.keys(commands).sort());
    expect(Object.keys(createCommandHandlers(engine, { host: 'browser', version: 'test' })).sort()).toEqual(Object.keys(commands).sort());
  });
});
