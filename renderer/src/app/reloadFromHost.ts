import { call } from '../api/procdeck';
import { loadConfigStatus } from '../features/config/configCommands';
import { loadWatchHistory } from '../features/watched/watchCommands';
import { useAlertsStore } from '../stores/alertsStore';
import { useHostStore } from '../stores/hostStore';
import { useJobsStore } from '../stores/jobsStore';
import { pushNotice } from '../stores/noticesStore';
import { useSchedulingStore } from '../stores/schedulingStore';
import { useSelectionStore } from '../stores/selectionStore';
import { useWatchStore } from '../stores/watchStore';
import { flushPendingEvents } from './jobEventQueue';
import { flushMonitorTicks } from './monitorTickQueue';
import { loadJobDetails, rememberedSelection, selectJob } from './selection';

/** Alerts loaded from the host after each (re)connection. */
const HISTORY_LIMIT = 500;

/**
 * Everything the renderer shows that the host knows, asked for again after each (re)connection:
 * events missed while away are not replayed. Each answer is applied in the task it arrives in,
 * after the events queued before it (they are older than the answer).
 */
export function reloadFromHost(): void {
  void loadMonitoring();
  void loadJobs();
  void loadConfigStatus();
}

async function loadJobs(): Promise<void> {
  const hostState = useHostStore.getState();
  void call('engine.info', {}).then((info) => info.ok && hostState.setEngineInfo(info.value));
  void call('settings.get', {}).then((settings) => settings.ok && hostState.setSettings(settings.value));
  void loadScheduling();

  const list = await call('jobs.list', {});
  // Still in the task the answer arrived in: queued events are older than the list.
  if (!list.ok) {
    pushNotice('error', `Could not load jobs: ${list.error.message}`);
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

/** Batches and groups. */
function loadScheduling(): Promise<void> {
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

/** The alert history, watched processes with their samples and rules, and the current leak verdicts. */
async function loadMonitoring(): Promise<void> {
  const history = call('alerts.history', { limit: HISTORY_LIMIT }).then((result) => {
    if (result.ok) useAlertsStore.getState().replaceHistory(result.value.alerts);
  });
  const watched = call('watch.list', {}).then(async (result) => {
    if (!result.ok) return;
    flushMonitorTicks();
    useWatchStore.getState().replaceAll(result.value.watched);
    await Promise.all(result.value.watched.map((watched) => Promise.all([loadWatchHistory(watched.id), loadRules(watched.id)])));
  });
  // Leak verdicts are pushed only when they change: ask for the current ones after a (re)load.
  const leaks = call('monitor.leaks', {}).then((result) => {
    if (result.ok) useAlertsStore.getState().applyTick({ alerts: [], leaks: result.value.leaks });
  });
  await Promise.all([history, watched, leaks]);
}

/** A watched process's rules live in the engine only; read them back after a reload. */
async function loadRules(subjectId: string): Promise<void> {
  const result = await call('alerts.rules', { subjectId });
  if (result.ok) useAlertsStore.getState().setRules(subjectId, result.value.rules);
}
