import { AlertHistory } from './AlertHistory';
import { EnableNotificationsButton } from './EnableNotificationsButton';

/** Every alert that fired, for jobs and watched processes alike. */
export function AlertsPanel() {
  return (
    <section className="alerts-panel" aria-label="Alerts">
      <div className="alerts-head">
        <h2>Alerts</h2>
        <span className="spacer" />
        <EnableNotificationsButton />
      </div>
      <AlertHistory />
    </section>
  );
}
