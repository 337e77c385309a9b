import type { AlertRule } from '../../../../shared/monitoring';
import { call } from '../../api/procdeck';
import { useAlertsStore } from '../../stores/alertsStore';

/** Replaces a job's or watched process's rules; returns the error message, if any, for the editor to show. */
export async function saveAlertRules(subjectId: string, rules: AlertRule[]): Promise<string | null> {
  const result = await call('alerts.setRules', { subjectId, rules });
  if (!result.ok) return result.error.message;
  useAlertsStore.getState().setRules(subjectId, result.value.rules);
  return null;
}
