import type { AlertRule } from '../../../../shared/monitoring';
import { useAlertsStore } from '../../stores/alertsStore';
import { AlertHistory } from '../alerts/AlertHistory';
import { AlertRulesEditor } from '../alerts/AlertRulesEditor';

/** A job's alert rules and the alerts they fired. */
export function JobAlertsSection({ jobId, specRules }: { jobId: string; specRules: readonly AlertRule[] }) {
  // The engine's answer to the last edit is newer than a snapshot that may predate it.
  const answered = useAlertsStore((state) => state.rules[jobId]);
  return (
    <section className="monitor-section" aria-label="Job alerts">
      <AlertRulesEditor key={jobId} subjectId={jobId} rules={answered ?? specRules} allowRestart />
      <h3>Fired alerts</h3>
      <AlertHistory subjectId={jobId} limit={100} />
    </section>
  );
}
