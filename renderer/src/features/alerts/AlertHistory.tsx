import { useMemo } from 'react';
import { formatClock } from '../../lib/clock';
import { useAlertsStore } from '../../stores/alertsStore';
import { ACTION_LABELS, describeRule, formatAlertValue } from './alertRules';
import { useSubjectNames } from './useSubjectName';
import '../monitor/monitor.css';

interface AlertHistoryProps {
  /** Only this job's or watched process's alerts; all of them when absent. */
  subjectId?: string;
  /** Most rows drawn (the store keeps more). */
  limit?: number;
}

/** Fired alerts, newest first: when, which rule, the value that broke it, and what was done. */
export function AlertHistory({ subjectId, limit = 200 }: AlertHistoryProps) {
  const history = useAlertsStore((state) => state.history);
  const nameOf = useSubjectNames();
  const alerts = useMemo(
    () => (subjectId === undefined ? history : history.filter((alert) => alert.subjectId === subjectId)).slice(0, limit),
    [history, subjectId, limit],
  );
  const today = new Date().toDateString();

  if (alerts.length === 0) return <p className="muted alert-empty">No alerts have fired.</p>;
  return (
    <div className="alert-table-wrap">
      <table className="alert-table" aria-label="Alert history">
        <thead>
          <tr>
            <th scope="col">Time</th>
            {subjectId === undefined && <th scope="col">Subject</th>}
            <th scope="col">Rule</th>
            <th scope="col">Value</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((alert) => (
            <tr key={alert.id} title={alert.message}>
              <td className="numeric">{formatClock(alert.at, today)}</td>
              {subjectId === undefined && <td className="alert-subject">{nameOf(alert.subjectId)}</td>}
              <td className="alert-rule">{describeRule(alert.rule)}</td>
              <td className="numeric">{formatAlertValue(alert)}</td>
              <td data-action={alert.action}>{ACTION_LABELS[alert.action]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
