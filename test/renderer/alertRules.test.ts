import { describe, expect, it } from 'vitest';
import { GIB, MIB } from '../../shared/format';
import { describeRule, EMPTY_DRAFT, formatAlertValue, ruleFromDraft } from '../../renderer/src/features/alerts/alertRules';

function added(draft: Partial<typeof EMPTY_DRAFT>) {
  const built = ruleFromDraft({ ...EMPTY_DRAFT, ...draft });
  if ('error' in built) throw new Error(built.error);
  return built.rule;
}

describe('an alert rule as the operator reads it back', () => {
  it('says the memory threshold as it was typed, in MiB', () => {
    // Typed in the form's "Threshold (MiB)" field: 1500 must not come back as 1.46 (or 1.5) GiB.
    expect(describeRule(added({ kind: 'memory', threshold: '1500' }))).toBe('Memory above 1500 MiB');
    expect(describeRule(added({ kind: 'memory', threshold: '16', forSeconds: '2' }))).toBe('Memory above 16 MiB for 2 s');
    expect(describeRule(added({ kind: 'memory', threshold: '2048' }))).toBe('Memory above 2 GiB');
  });

  it('writes CPU thresholds and run times by the same rules as everywhere else', () => {
    expect(describeRule(added({ kind: 'cpu', threshold: '50', forSeconds: '90' }))).toBe('CPU above 50 % for 90 s');
    expect(describeRule(added({ kind: 'runtime', threshold: '3600' }))).toBe('Running longer than 60 min');
  });

  it('writes the value that broke a rule in the rule\'s unit', () => {
    const memory = added({ kind: 'memory', threshold: '1500' });
    expect(formatAlertValue({ rule: memory, value: 1.6 * GIB })).toBe('1.6 GiB');
    expect(formatAlertValue({ rule: added({ kind: 'cpu', threshold: '50' }), value: 73.26 })).toBe('73.3 %');
    expect(formatAlertValue({ rule: added({ kind: 'leak' }), value: 12.34 })).toBe('+12.3 MiB/min');
    expect(memory).toMatchObject({ bytes: 1500 * MIB });
  });

  it('gives every new rule its own id', () => {
    const ids = new Set(Array.from({ length: 100 }, () => added({ kind: 'leak' }).id));
    expect(ids.size).toBe(100);
  });
});
