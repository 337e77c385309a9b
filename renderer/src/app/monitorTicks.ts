import type { EventPayload } from '../../../shared/contract';
import { call, host } from '../api/procdeck';
import { createFrameScheduler } from './frameScheduler';
import { useAlertsStore } from '../stores/alertsStore';
import { useJobsStore } from '../stores/jobsStore';
import { useMachineStore } from '../stores/machineStore';
import { useProcessListStore } from '../stores/processListStore';
import { useWatchStore } from '../stores/watchStore';
import { acceptsTickList } from '../features/system/systemViewLease';
import { notifyAlerts } from '../features/alerts/desktopNotifications';

type MonitorTickEvent = EventPayload<'monitor.tick'>;

/** Alerts loaded from the host after each (re)connection. */
const HISTORY_LIMIT = 500;

// Ticks wait here until the next animation frame; each is applied in order (watched samples
// have one point per tick), but only the newest system process list matters.
let pendingTicks: MonitorTickEvent[] = [];
const scheduler = createFrameScheduler(applyTicks);

/** Subscribes to the monitor's pushed events once, and reloads watches and alerts on every (re)connection. */
export function startMonitoring(): void {
  const { api } = host;
  api.on('monitor.tick', (tick) => {
    pendingTicks.push(tick);
    scheduler.schedule();
  });
  api.on('system.tick', (stats) => useMachineStore.getState().applyTick(stats));
  useJobsStore.subscribe((state, previous) => {
    if (state.jobs !== previous.jobs) forgetRemovedJobs(previous.jobs, state.jobs);
  });

  let wasOpen = false;
  const onStatus = () => {
    const isOpen = host.getStatus().state === 'open';
    if (isOpen && !wasOpen) void loadMonitoring();
    wasOpen = isOpen;
  };
  host.subscribe(onStatus);
  onStatus();
}

function applyTicks(): void {
  const ticks = pendingTicks;
  pendingTicks = [];
  const watch = useWatchStore.getState();
  const alerts = useAlertsStore.getState();
  let list: MonitorTickEvent['processes'];
  for (const tick of ticks) {
    watch.applyTick(tick);
    alerts.applyTick(tick);
    notifyAlerts(tick.alerts);
    if (tick.processes) list = tick.processes;
  }
  if (list && acceptsTickList()) useProcessListStore.getState().applyList(list);
}

/** Rules and leak flags of removed jobs go with them (both maps are small; the job map may not be). */
function forgetRemovedJobs(before: Record<string, unknown>, after: Record<string, unknown>): void {
  const { rules, leaks, forget } = useAlertsStore.getState();
  const gone = [...Object.keys(rules), ...Object.keys(leaks)].filter((id) => id in before && !(id in after));
  if (gone.length > 0) forget(gone);
}

async function loadMonitoring(): Promise<void> {
  const history = call('alerts.history', { limit: HISTORY_LIMIT }).then((result) => {
    if (result.ok) useAlertsStore.getState().replaceHistory(result.value.alerts);
  });
  const watched = call('watch.list', {}).then(async (result) => {
    if (!result.ok) return;
    scheduler.flushNow();
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

/** A watched process's samples so far (e.g. after a reload), merged under the live ones. */
export async function loadWatchHistory(id: string): Promise<void> {
  const result = await call('monitor.history', { subjectId: id, range: 'run', maxPoints: 300 });
  if (result.ok) useWatchStore.getState().loadedHistory(id, result.value.points);
}
