import type { AlertRule } from '../../../../shared/monitoring';
import { AlertRuleForm } from '../alerts/AlertRuleForm';
import { AlertRuleList } from '../alerts/AlertRuleList';
import { ACTION_LABELS, describeRule } from '../alerts/alertRules';
import '../monitor/monitor.css';

interface LaunchAlertsProps {
  open: boolean;
  rules: readonly AlertRule[];
  onToggle(): void;
  onChange(rules: AlertRule[]): void;
}

const SECTION_ID = 'launch-alert-rules';

/**
 * Alert rules for the job to be started (its spec's `alerts`), with the Monitor tab's own
 * editor: the job is watched from its first sample, not from when someone adds a rule.
 */
export function LaunchAlerts({ open, rules, onToggle, onChange }: LaunchAlertsProps) {
  const summary = rules.map((rule) => `${describeRule(rule)} (${ACTION_LABELS[rule.action]})`).join('; ');
  return (
    <div className="more-options">
      <button type="button" className="disclosure" aria-expanded={open} aria-controls={SECTION_ID} onClick={onToggle}>
        <span aria-hidden="true" className="disclosure-mark">
          {open ? '▾' : '▸'}
        </span>
        Alert rules
      </button>
      {!open && summary && (
        <p className="option-summary muted" title={summary}>
          {summary}
        </p>
      )}
      {open && (
        <div id={SECTION_ID} className="option-fields launch-alerts">
          <AlertRuleList
            rules={rules}
            busy={false}
            empty="No rules yet: add one to be told (or to stop or restart the job) when it crosses a line."
            onRemove={(ruleId) => onChange(rules.filter((rule) => rule.id !== ruleId))}
          />
          <AlertRuleForm
            embedded
            allowRestart
            busy={false}
            onAdd={(rule) => {
              onChange([...rules, rule]);
              return true;
            }}
          />
        </div>
      )}
    </div>
  );
}
