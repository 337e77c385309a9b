import { useState } from 'react';
import type { AlertRule } from '../../../../shared/monitoring';
import { saveAlertRules } from './alertCommands';
import { AlertRuleForm } from './AlertRuleForm';
import { ACTION_LABELS, describeRule } from './alertRules';
import '../monitor/monitor.css';

interface AlertRulesEditorProps {
  subjectId: string;
  rules: readonly AlertRule[];
  allowRestart: boolean;
}

/** A subject's alert rules: each one listed with Remove, and a form to add one. Every change replaces the whole set. */
export function AlertRulesEditor({ subjectId, rules, allowRestart }: AlertRulesEditorProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const save = async (next: AlertRule[]): Promise<boolean> => {
    setBusy(true);
    const failure = await saveAlertRules(subjectId, next);
    setBusy(false);
    setError(failure ?? '');
    return failure === null;
  };

  return (
    <section className="alert-rules" aria-label="Alert rules">
      <h3>Alert rules</h3>
      {rules.length === 0 ? (
        <p className="muted">No rules: nothing is watched for.</p>
      ) : (
        <ul className="rule-list">
          {rules.map((rule) => {
            const text = describeRule(rule);
            return (
              <li key={rule.id}>
                <span>{text}</span>
                <span className="rule-action" data-action={rule.action}>
                  {ACTION_LABELS[rule.action]}
                </span>
                <button
                  type="button"
                  className="quiet"
                  aria-label={`Remove rule ${text}`}
                  disabled={busy}
                  onClick={() => void save(rules.filter((other) => other.id !== rule.id))}
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <AlertRuleForm allowRestart={allowRestart} busy={busy} onAdd={(rule) => save([...rules, rule])} />
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}
