import { describe, expect, it } from 'vitest';
import { AlertEvaluator, type AlertInput } from '../../../electron/engine/alerts/alertEvaluator';
import { AlertHistory } from '../../../electron/engine/alerts/alertHistory';
import { alertRuleSchema, type AlertRuleInput, type FiredAlert, type LeakVerdict } from '../../../shared/monitoring';

const MiB = 1024 * 1024;
const rule = (input: AlertRuleInput) => alertRuleSchema.parse(input);
const base: AlertInput = { at: 0, cpu: 0, rss: 0, runStartedAt: 0 };

/** Feeds one reading per second (t = index) and returns the seconds at which something fired. */
function run(evaluator: AlertEvaluator, readings: Partial<AlertInput>[], subject = 'job'): { at: number; alerts: FiredAlert[] }[] {
  const fired: { at: number; alerts: FiredAlert[] }[] = [];
  readings.forEach((reading, second) => {
    const alerts = evaluator.evaluate(subject, { ...base, at: second * 1000, ...reading });
    if (alerts.length > 0) fired.push({ at: second, alerts });
  });
  return fired;
}

describe('alert rules', () => {
  it('validates rules with readable errors and defaults the action to notify', () => {
    expect(rule({ id: 'c', kind: 'cpu', percent: 90 })).toEqual({ id: 'c', kind: 'cpu', percent: 90, forSeconds: 0, action: 'notify' });
    expect(alertRuleSchema.safeParse({ id: 'm', kind: 'memory', bytes: -1 }).error?.issues[0]?.message).toBe('memory threshold must be above 0 bytes');
    expect(alertRuleSchema.safeParse({ id: 'x', kind: 'disk' }).success).toBe(false);
  });
});

describe('AlertEvaluator', () => {
  it('fires a CPU rule once the breach has lasted N seconds, once per breach, and re-arms when it clears', () => {
    const evaluator = new AlertEvaluator();
    evaluator.setRules('job', [rule({ id: 'hot', kind: 'cpu', percent: 150, forSeconds: 3, action: 'restart' })]);
    const cpu = [10, 180, 190, 170, 200, 195, 190, 10, 160, 170, 180, 190, 200];
    const fired = run(evaluator, cpu.map((c) => ({ cpu: c })));
    // Breach from t=1: fires at t=4 (held 3 s); quiet until it clears at t=7; again from t=8: fires at t=11.
    expect(fired.map((f) => f.at)).toEqual([4, 11]);
    expect(fired[0]!.alerts[0]).toMatchObject({ subjectId: 'job', action: 'restart', value: 200, at: 4000 });
    expect(fired[0]!.alerts[0]!.message).toBe('CPU 200 % above 150 % for 3 s');
  });

  it('does not re-fire while the value hovers just under the threshold (hysteresis)', () => {
    const evaluator = new AlertEvaluator();
    evaluator.setRules('job', [rule({ id: 'mem', kind: 'memory', bytes: 100 * MiB, action: 'stop' })]);
    const rss = [90, 101, 99, 101, 98, 102, 80, 101].map((m) => ({ rss: m * MiB }));
    expect(run(evaluator, rss).map((f) => f.at)).toEqual([1, 7]);
  });

  it('an interrupted breach starts its duration again', () => {
    const evaluator = new AlertEvaluator();
    evaluator.setRules('job', [rule({ id: 'hot', kind: 'cpu', percent: 100, forSeconds: 2 })]);
    const cpu = [150, 150, 99, 150, 150, 150];
    expect(run(evaluator, cpu.map((c) => ({ cpu: c }))).map((f) => f.at)).toEqual([5]);
  });

  it('fires a runtime rule once per run and again in the next run', () => {
    const evaluator = new AlertEvaluator();
    evaluator.setRules('job', [rule({ id: 'long', kind: 'runtime', seconds: 2 })]);
    const readings = [0, 1, 2, 3, 4, 5].map(() => ({ runStartedAt: 0 }));
    const nextRun = [6, 7, 8, 9].map(() => ({ runStartedAt: 6000 }));
    const fired = run(evaluator, [...readings, ...nextRun]);
    expect(fired.map((f) => f.at)).toEqual([3, 9]);
    expect(fired[0]!.alerts[0]!.message).toBe('running for 3 s, longer than 2 s');
  });

  it('fires the leak rule when the verdict turns to leaking, with the growth rate as value', () => {
    const evaluator = new AlertEvaluator();
    evaluator.setRules('job', [rule({ id: 'leak', kind: 'leak' })]);
    const verdict = (leaking: boolean): LeakVerdict => ({
      leaking,
      slopeBytesPerMinute: 12.5 * MiB,
      growthMiBPerMinute: 12.5,
      r2: 0.97,
      recentSlopeBytesPerMinute: 12 * MiB,
      points: 600,
      spanMs: 600_000,
    });
    const fired = run(evaluator, [false, true, true, false, true].map((l) => ({ leak: verdict(l) })));
    expect(fired.map((f) => f.at)).toEqual([1, 4]);
    expect(fired[0]!.alerts[0]).toMatchObject({ value: 12.5, message: 'possible memory leak: growing 12.5 MiB/min (R² 0.97)' });
  });

  it('names its subject in the message, in the units the rule was written in', () => {
    const evaluator = new AlertEvaluator();
    evaluator.setRules('job', [rule({ id: 'mem', kind: 'memory', bytes: 1500 * MiB, forSeconds: 2, action: 'stop' })]);
    const readings = [0, 1, 2, 3].map(() => ({ rss: 1.6 * 1024 * MiB, subjectName: 'web-api' }));
    const [first] = run(evaluator, readings);
    // 1500 MiB reads as typed, never "1.46 GiB"; the job's name comes first, as a banner among a dozen needs.
    expect(first!.alerts[0]).toMatchObject({ subjectName: 'web-api', message: 'web-api: memory 1.6 GiB above 1500 MiB for 2 s' });
    const unnamed = new AlertEvaluator();
    unnamed.setRules('job', [rule({ id: 'hot', kind: 'cpu', percent: 50 })]);
    const [alert] = unnamed.evaluate('job', { ...base, cpu: 250 });
    expect(alert).not.toHaveProperty('subjectName');
    expect(alert!.message).toBe('CPU 250 % above 50 %');
  });

  it('keeps rule state across setRules when a rule is unchanged, resets it when it changes', () => {
    const evaluator = new AlertEvaluator();
    const hot = rule({ id: 'hot', kind: 'cpu', percent: 100 });
    evaluator.setRules('job', [hot]);
    expect(evaluator.evaluate('job', { ...base, cpu: 150 })).toHaveLength(1);
    evaluator.setRules('job', [hot, rule({ id: 'mem', kind: 'memory', bytes: 10 })]);
    expect(evaluator.evaluate('job', { ...base, at: 1000, cpu: 150 })).toHaveLength(0);
    evaluator.setRules('job', [rule({ id: 'hot', kind: 'cpu', percent: 120 })]);
    expect(evaluator.evaluate('job', { ...base, at: 2000, cpu: 150 })).toHaveLength(1);
    expect(evaluator.rulesOf('job')).toHaveLength(1);
    evaluator.forget('job');
    expect(evaluator.evaluate('job', { ...base, at: 3000, cpu: 150 })).toEqual([]);
  });

  it('keeps subjects apart', () => {
    const evaluator = new AlertEvaluator();
    evaluator.setRules('a', [rule({ id: 'hot', kind: 'cpu', percent: 100 })]);
    expect(evaluator.evaluate('b', { ...base, cpu: 500 })).toEqual([]);
    expect(evaluator.evaluate('a', { ...base, cpu: 500 })).toHaveLength(1);
  });
});

describe('AlertHistory', () => {
  it('keeps the newest alerts, newest first, per subject on request', () => {
    const history = new AlertHistory(3);
    const alert = (id: string, subjectId: string): FiredAlert => ({
      id,
      subjectId,
      rule: rule({ id: 'r', kind: 'leak' }),
      value: 1,
      at: 0,
      action: 'notify',
      message: '',
    });
    history.add([alert('1', 'a'), alert('2', 'b')]);
    history.add([alert('3', 'a'), alert('4', 'a')]);
    expect(history.list().map((a) => a.id)).toEqual(['4', '3', '2']);
    expect(history.list('a').map((a) => a.id)).toEqual(['4', '3']);
    expect(history.list(undefined, 1).map((a) => a.id)).toEqual(['4']);
    history.clear();
    expect(history.size).toBe(0);
  });
});
