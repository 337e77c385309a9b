import type { FiredAlert } from '../../../../shared/monitoring';

/** At most this many desktop notifications per tick; the rest are summed up in one. */
const MAX_PER_TICK = 3;

export function notificationsSupported(): boolean {
  return typeof Notification !== 'undefined';
}

export function notificationPermission(): NotificationPermission | 'unsupported' {
  return notificationsSupported() ? Notification.permission : 'unsupported';
}

/** Browsers grant the permission only from a user gesture: call from a click handler. */
export async function requestNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (!notificationsSupported()) return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/**
 * Shows fired alerts as desktop notifications (the Notification API: the browser's in browser
 * mode, the system's in Electron). The in-app notice comes from the engine's own notice event.
 */
export function notifyAlerts(alerts: readonly FiredAlert[]): void {
  if (alerts.length === 0 || notificationPermission() !== 'granted') return;
  const shown = alerts.slice(0, MAX_PER_TICK);
  try {
    for (const alert of shown) {
      new Notification('Procdeck alert', { body: `${alert.message} (${alert.action})`, tag: alert.id });
    }
    const rest = alerts.length - shown.length;
    if (rest > 0) new Notification('Procdeck alerts', { body: `${rest} more alert(s) fired; see the alert history.` });
  } catch {
    // Some hosts (e.g. Chromium on Android) only notify through a service worker: the in-app notice remains.
  }
}
