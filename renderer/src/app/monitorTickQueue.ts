import type { EventPayload } from '../../../shared/contract';
import { notifyAlerts } from '../features/alerts/desktopNotifications';
import { acceptsTickList } from '../features/system/systemViewLease';
import { useAlertsStore } from '../stores/alertsStore';
import { useProcessListStore } from '../stores/processListStore';
import { useWatchStore } from '../stores/watchStore';
import { createFrameScheduler } from './frameScheduler';

type MonitorTickEvent = EventPayload<'monitor.tick'>;

// Ticks wait here until the next animation frame; each is applied in order (watched samples
// have one point per tick), but only the newest system process list matters.
let pendingTicks: MonitorTickEvent[] = [];
const scheduler = createFrameScheduler(applyTicks);

export function queueMonitorTick(tick: MonitorTickEvent): void {
  pendingTicks.push(tick);
  scheduler.schedule();
}

/** Applies queued ticks now: call before replacing the watch list with a fresher answer from the host. */
export function flushMonitorTicks(): void {
  scheduler.flushNow();
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
