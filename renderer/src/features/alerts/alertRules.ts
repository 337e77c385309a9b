import { formatByteRate, formatBytes, formatDuration, formatPercent, MIB } from '../../../../shared/format';
import { newId } from '../../../../shared/ids';
import type { AlertAction, AlertRule, FiredAlert } from '../../../../shared/monitoring';

export type RuleKind = AlertRule['kind'];

export const RULE_KINDS: readonly { kind: RuleKind; label: string }[] = [
  { kind: 'cpu', label: 'CPU above' },
  { kind: 'memory', label: 'Memory above' },
  { kind: 'runtime', label: 'Running longer than' },
  { kind: 'leak', label: 'Memory leak' },
];

export const ACTION_LABELS: Record<AlertAction, string> = { notify: 'Notify', stop: 'Stop', restart: 'Restart' };

/** What the add-rule form holds: text as typed, checked when added. */
export interface RuleDraft {
  kind: RuleKind;
  /** % for cpu, MiB for memory, seconds for runtime. */
  threshold: string;
  forSeconds: string;
  action: AlertAction;
}

export const EMPTY_DRAFT: RuleDraft = { kind: 'cpu', threshold: '', forSeconds: '0', action: 'notify' };

export function describeRule(rule: AlertRule): string {
  const sustained = (seconds: number) => (seconds > 0 ? ` for ${formatDuration(seconds * 1000)}` : '');
  switch (rule.kind) {
    case 'cpu':
      return `CPU above ${formatPercent(rule.percent)}${sustained(rule.forSeconds)}`;
    case 'memory':
      return `Memory above ${formatBytes(rule.bytes)}${sustained(rule.forSeconds)}`;
    case 'runtime':
      return `Running longer than ${formatDuration(rule.seconds * 1000)}`;
    case 'leak':
      return 'Memory leak';
  }
}

/** The measured value that broke the rule, in the rule's unit. */
export function formatAlertValue(alert: Pick<FiredAlert, 'rule' | 'value'>): string {
  switch (alert.rule.kind) {
    case 'cpu':
      return formatPercent(alert.value);
    case 'memory':
      return formatBytes(alert.value);
    case 'runtime':
      return formatDuration(alert.value * 1000);
    case 'leak':
      return `+${formatByteRate(alert.value * MIB, 'min')}`;
  }
}

/** The rule a draft describes, or the reason it cannot be added yet. */
export function ruleFromDraft(draft: RuleDraft): { rule: AlertRule } | { error: string } {
  const id = newId(`${draft.kind}-`);
  const action = draft.action;
  if (draft.kind === 'leak') return { rule: { id, action, kind: 'leak' } };
  const threshold = Number(draft.threshold);
  if (draft.threshold.trim() === '' || !Number.isFinite(threshold) || threshold <= 0) {
    return { error: 'enter a threshold above 0' };
  }
  if (draft.kind === 'runtime') return { rule: { id, action, kind: 'runtime', seconds: threshold } };
  const forSeconds = draft.forSeconds.trim() === '' ? 0 : Number(draft.forSeconds);
  if (!Number.isFinite(forSeconds) || forSeconds < 0) return { error: 'enter how long, in seconds (0 or more)' };
  if (draft.kind === 'cpu') return { rule: { id, action, kind: 'cpu', percent: threshold, forSeconds } };
  return { rule: { id, action, kind: 'memory', bytes: Math.round(threshold * MIB), forSeconds } };
}
