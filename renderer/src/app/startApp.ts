import type { RecoveredGroup } from '../../../shared/jobSnapshot';
import { call, host } from '../api/procdeck';
import { startMonitoring } from './monitorTicks';
import { useJobsStore } from '../stores/jobsStore';
import { useSamplesStore } from '../stores/samplesStore';
import { useSchedulingStore } from '../stores/schedulingStore';
import { useSystemStore } from '../stores/systemStore';
import { useUiStore } from '../stores/uiStore';
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
  api.on('system.tick', (stats) => useSystemStore.getState().applyTick(stats));
  api.on('engine.recovered', ({ groups }) => useUiStore.getState().pushNotice('info', describeRecovery(groups)));
  api.on('engine.notice', ({ level, message }) => useUiStore.getState().pushNotice(level, message));
  startMonitoring();

  let wasOpen = false;
  const onStatus = () => {
    const status = host.getStatus();
    useUiStore.getState().setConnection(status);
    const isOpen = status.state === 'open';
    if (isOpen && !wasOpen) void loadInitialState();
    wasOpen = isOpen;
  };
  host.subscribe(onStatus);
  onStatus();
}

async function loadInitialState(): Promise<void> {
  const ui = useUiStore.getState();
  void call('engine.info', {}).then((info) => info.ok && ui.setEngineInfo(info.value));
  void call('settings.get', {}).then((settings) => settings.ok && ui.setSettings(settings.value));
  void loadScheduling();

  const list = await call('jobs.list', {});
  // Still in the task the answer arrived in: queued events are older than the list.
  if (!list.ok) {
    ui.pushNotice('error', `Could not load jobs: ${list.error.message}`);
    return;
  }
  flushPendingEvents();
  useJobsStore.getState().replaceAll(list.value.jobs, list.value.queue);

  const known = useJobsStore.getState().jobs;
  const selected = useUiStore.getState().selectedJobId;
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
