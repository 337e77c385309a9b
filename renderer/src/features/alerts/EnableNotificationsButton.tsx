import { useState } from 'react';
import { notificationPermission, requestNotificationPermission } from './desktopNotifications';

/** Desktop notifications need the operator's permission, asked from a click. */
export function EnableNotificationsButton() {
  const [permission, setPermission] = useState(notificationPermission);
  if (permission === 'unsupported') return null;
  if (permission === 'granted') return <span className="muted">Desktop notifications on</span>;
  if (permission === 'denied') {
    return <span className="muted" title="Allow notifications for this page in the browser's site settings">Desktop notifications blocked</span>;
  }
  return (
    <button type="button" onClick={() => void requestNotificationPermission().then(setPermission)}>
      Enable desktop notifications
    </button>
  );
}
