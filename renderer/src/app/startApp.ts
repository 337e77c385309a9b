import type { RecoveredGroup } from '../../../shared/jobSnapshot';
import { call, host } from '../api/procdeck';
import { useHostStore } from '../stores/hostStore';
import { useJobsStore } from '../stores/jobsStore';
import { useMachineStore } from '../stores/machineStore';
import { useNoticesStore } from '../stores/noticesStore';
import { useSamplesStore } from '../stores/samplesStore';
import { useSchedulingStore } from '../stores/schedulingStore';
import { useSelectionStore } from '../stores/selectionStore';
import { startMonitoring } from './monitorTicks';
import {
  flushPendingEvents,
  queueBatchesChanged,
  queueGroupsChanged,
  queueJobsChanged,
  queueJobsRemoved,
  queueLogBatches,
  queueQueueChanged,
} from './pendingEvents';
import { loadJobDetails, rememberedSelection, selectJob } from './selection';
import { linkStores } from './storeLinks';

/** Subscribes to pushed events once, and loads the initial state on every (re)connection. */
export function startApp(): void {
  const { api } = host;
  api.on('jobs.changed', ({ jobs }) => queueJobsChanged(jobs));
  api.on('jobs.removed', ({ jobIds }) => queueJobsRemoved(jobIds));
  api.on('logs.appended', ({ batches }) => queueLogBatches(batches));
  api.on('batches.changed', ({ batches }) => queueBatchesChanged(batches));
  api.on('groups.changed', ({ groups }) => queueGroupsChanged(groups));
  api.on('queue.changed', ({ order }) => queueQueueChanged(order));
  api.on('samples.tick', (tick) => useSamplesStore.getState().applyTick(tick));
  api.on('system.tick', (stats) => useMachineStore.getState().applyTick(stats));
  api.on('engine.recovered', ({ groups }) => useNoticesStore.getState().pushNotice('info', describeRecovery(groups)));
  api.on('engine.notice', ({ level, message }) => useNoticesStore.getState().pushNotice(level, message));
  startMonitoring();
  linkStores();

  let wasOpen = false;
  const onStatus = () => {
    const status = host.getStatus();
    useHostStore.getState().setConnection(status);
    const isOpen = status.state === 'open';
    if (isOpen && !wasOpen) void loadInitialState();
    wasOpen = isOpen;
  };
  host.subscribe(onStatus);
  onStatus();
}

async function loadInitialState(): Promise<void> {
  const hostState = useHostStore.getState();
  void call('engine.info', {}).then((info) => info.ok && hostState.setEngineInfo(info.value));
  void call('settings.get', {}).then((settings) => settings.ok && hostState.setSettings(settings.value));
  void loadScheduling();

  const list = await call('jobs.list', {});
  // Still in the task the answer arrived in: queued events are older than the list.
  if (!list.ok) {
    useNoticesStore.getState().pushNotice('error', `Could not load jobs: ${list.error.message}`);
    return;
  }
  flushPendingEvents();
  useJobsStore.getState().replaceAll(list.value.jobs, list.value.queue);

  const known = useJobsStore.getState().jobs;
  const selected = useSelectionStore.getState().selectedJobId;
  if (selected !== null) {
    if (known[selected]) await loadJobDetails(selected);
    else selectJob(null);
  } else {
    const remembered = rememberedSelection();
    if (remembered !== null && known[remembered]) selectJob(remembered);
  }
}

/** Batches and groups, after (re)connecting. Each answer is applied in the task it arrives in, like the job list. */
export function loadScheduling(): Promise<void> {
  const batches = call('batches.list', {}).then((result) => {
    if (!result.ok) return;
    flushPendingEvents();
    useSchedulingStore.getState().replaceBatches(result.value.batches);
  });
  const groups = call('groups.list', {}).then((result) => {
    if (!result.ok) return;
    flushPendingEvents();
    useSchedulingStore.getState().replaceGroups(result.value.groups);
  });
  return Promise.all([batches, groups]).then(() => undefined);
}

function describeRecovery(groups: readonly RecoveredGroup[]): string {
  const killed = groups.reduce((sum, group) => sum + group.killedPids.length, 0);
  const commands = groups.map((group) => group.command).join('; ');
  return `Recovered after an unclean shutdown: ended ${killed} leftover process(es) of ${groups.length} job(s) (${commands}).`;
}
