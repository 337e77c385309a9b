import { useId, useState, type FormEvent } from 'react';
import type { AlertAction, AlertRule } from '../../../../shared/monitoring';
import { ACTION_LABELS, EMPTY_DRAFT, RULE_KINDS, ruleFromDraft, type RuleDraft, type RuleKind } from './alertRules';

interface AlertRuleFormProps {
  /** Restart is for jobs only: Procdeck cannot restart a process it did not start. */
  allowRestart: boolean;
  busy: boolean;
  onAdd(rule: AlertRule): Promise<boolean>;
}

const THRESHOLD_LABELS: Record<Exclude<RuleKind, 'leak'>, string> = {
  cpu: 'Threshold (%)',
  memory: 'Threshold (MiB)',
  runtime: 'Longer than (seconds)',
};

/** One new rule: what to watch, its threshold, for how long, and what to do. */
export function AlertRuleForm({ allowRestart, busy, onAdd }: AlertRuleFormProps) {
  const id = useId();
  const [draft, setDraft] = useState<RuleDraft>(EMPTY_DRAFT);
  const [error, setError] = useState('');
  const update = (change: Partial<RuleDraft>) => {
    setDraft((previous) => ({ ...previous, ...change }));
    setError('');
  };
  const actions: AlertAction[] = allowRestart ? ['notify', 'stop', 'restart'] : ['notify', 'stop'];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = ruleFromDraft(draft);
    if ('error' in built) {
      setError(built.error);
      return;
    }
    if (await onAdd(built.rule)) setDraft((previous) => ({ ...EMPTY_DRAFT, kind: previous.kind, action: previous.action }));
  };

  return (
    <form className="alert-rule-form" aria-label="Add alert rule" onSubmit={(event) => void submit(event)}>
      <label htmlFor={`${id}-kind`}>Rule</label>
      <select id={`${id}-kind`} value={draft.kind} onChange={(event) => update({ kind: event.target.value as RuleKind })}>
        {RULE_KINDS.map((kind) => (
          <option key={kind.kind} value={kind.kind}>
            {kind.label}
          </option>
        ))}
      </select>
      {draft.kind !== 'leak' && (
        <>
          <label htmlFor={`${id}-threshold`}>{THRESHOLD_LABELS[draft.kind]}</label>
          <input
            id={`${id}-threshold`}
            type="number"
            min={0}
            step="any"
            className="rule-number"
            value={draft.threshold}
            aria-invalid={error !== '' && draft.threshold.trim() === '' ? true : undefined}
            onChange={(event) => update({ threshold: event.target.value })}
          />
        </>
      )}
      {(draft.kind === 'cpu' || draft.kind === 'memory') && (
        <>
          <label htmlFor={`${id}-for`}>For (seconds)</label>
          <input
            id={`${id}-for`}
            type="number"
            min={0}
            step="any"
            className="rule-number"
            value={draft.forSeconds}
            onChange={(event) => update({ forSeconds: event.target.value })}
          />
        </>
      )}
      <label htmlFor={`${id}-action`}>Action</label>
      <select id={`${id}-action`} value={draft.action} onChange={(event) => update({ action: event.target.value as AlertAction })}>
        {actions.map((action) => (
          <option key={action} value={action}>
            {ACTION_LABELS[action]}
          </option>
        ))}
      </select>
      <button type="submit" disabled={busy}>
        Add rule
      </button>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}
