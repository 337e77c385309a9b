import { useState } from 'react';
import type { AlertRule } from '../../../../shared/monitoring';
import { saveAlertRules } from './alertCommands';
import { AlertRuleForm } from './AlertRuleForm';
import { AlertRuleList } from './AlertRuleList';
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
      <AlertRuleList
        rules={rules}
        busy={busy}
        empty="No rules: nothing is watched for."
        onRemove={(ruleId) => void save(rules.filter((other) => other.id !== ruleId))}
      />
      <AlertRuleForm allowRestart={allowRestart} busy={busy} onAdd={(rule) => save([...rules, rule])} />
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}
