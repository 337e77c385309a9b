import type { AlertRule } from '../../../../shared/monitoring';
import { ACTION_LABELS, describeRule } from './alertRules';

interface AlertRuleListProps {
  rules: readonly AlertRule[];
  busy: boolean;
  onRemove(ruleId: string): void;
  /** What an empty list says. */
  empty: string;
}

/** A subject's (or a job-to-be's) alert rules, each with what it does and a Remove button. */
export function AlertRuleList({ rules, busy, onRemove, empty }: AlertRuleListProps) {
  if (rules.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="rule-list">
      {rules.map((rule) => {
        const text = describeRule(rule);
        return (
          <li key={rule.id}>
            <span>{text}</span>
            <span className="rule-action" data-action={rule.action}>
              {ACTION_LABELS[rule.action]}
            </span>
            <button type="button" className="quiet" aria-label={`Remove rule ${text}`} disabled={busy} onClick={() => onRemove(rule.id)}>
              Remove
            </button>
          </li>
        );
      })}
    </ul>
  );
}
