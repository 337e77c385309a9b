import type { EventName, EventPayload, ProcdeckApi } from '../../../shared/contract';
import type { RecoveredGroup } from '../../../shared/jobSnapshot';
import { useConfigStore } from '../stores/configStore';
import { useMachineStore } from '../stores/machineStore';
import { pushNotice } from '../stores/noticesStore';
import { useSamplesStore } from '../stores/samplesStore';
import {
  queueBatchesChanged,
  queueGroupsChanged,
  queueJobsChanged,
  queueJobsRemoved,
  queueLogBatches,
  queueQueueChanged,
} from './jobEventQueue';
import { queueMonitorTick } from './monitorTickQueue';

type EventHandlers = { [E in EventName]: (payload: EventPayload<E>) => void };

/**
 * Where each pushed event goes: a queue applied once per animation frame (job, log and monitor
 * events come in bursts) or straight into its store. The only place the renderer subscribes to
 * the host's events; the type makes a new event in the contract fail to compile until it has a line here.
 */
const HANDLERS: EventHandlers = {
  'jobs.changed': ({ jobs }) => queueJobsChanged(jobs),
  'jobs.removed': ({ jobIds }) => queueJobsRemoved(jobIds),
  'logs.appended': ({ batches }) => queueLogBatches(batches),
  'batches.changed': ({ batches }) => queueBatchesChanged(batches),
  'groups.changed': ({ groups }) => queueGroupsChanged(groups),
  'queue.changed': ({ order }) => queueQueueChanged(order),
  'samples.tick': (tick) => useSamplesStore.getState().applyTick(tick),
  'system.tick': (stats) => useMachineStore.getState().applyTick(stats),
  'monitor.tick': (tick) => queueMonitorTick(tick),
  'engine.recovered': ({ groups }) => pushNotice('info', describeRecovery(groups)),
  'engine.notice': ({ level, message }) => pushNotice(level, message),
  'config.changed': (change) => useConfigStore.getState().applyChange(change),
};

function subscribe<E extends EventName>(api: ProcdeckApi, name: E): void {
  api.on(name, HANDLERS[name]);
}

/** Subscribes to every pushed event, once. */
export function subscribeToEvents(api: ProcdeckApi): void {
  for (const name of Object.keys(HANDLERS) as EventName[]) subscribe(api, name);
}

function describeRecovery(groups: readonly RecoveredGroup[]): string {
  const killed = groups.reduce((sum, group) => sum + group.killedPids.length, 0);
  const commands = groups.map((group) => group.command).join('; ');
  return `Recovered after an unclean shutdown: ended ${killed} leftover process(es) of ${groups.length} job(s) (${commands}).`;
}
