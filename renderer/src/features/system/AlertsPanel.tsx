import { AlertHistory } from '../monitor/AlertHistory';
import { EnableNotificationsButton } from '../monitor/EnableNotificationsButton';

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
