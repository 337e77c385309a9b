import type { AlertRule, FiredAlert, LeakVerdict } from '../../../shared/monitoring';
import { alertMessage } from './alertMessage';

/** What one subject (job or watched process) looked like at one tick. */
export interface AlertInput {
  at: number;
  /** Tree CPU %, 100 = one core. */
  cpu: number;
  rss: number;
  /** When the current run started (epoch ms); a new value starts a new run and re-arms every rule. */
  runStartedAt: number;
  leak?: LeakVerdict;
  /** The job's name or the watched process's, for the alert to say which it is about. */
  subjectName?: string;
}

/**
 * A threshold rule re-arms only once its value falls this far below the threshold, so a
 * value hovering at the line does not fire again on every crossing.
 */
export const REARM_RATIO = 0.95;

interface RuleState {
  /** When the current unbroken breach began. */
  breachSince?: number;
  fired: boolean;
}

interface SubjectState {
  rules: AlertRule[];
  runStartedAt?: number;
  states: Map<string, RuleState>;
}

interface Reading {
  breached: boolean;
  cleared: boolean;
  value: number;
  holdMs: number;
  r2?: number;
}

// One reading at a time: filled in place (four rules × every subject × every tick would otherwise be as many objects).
const scratch: Reading = { breached: false, cleared: false, value: 0, holdMs: 0 };

function fill(breached: boolean, cleared: boolean, value: number, holdMs: number, r2?: number): Reading {
  scratch.breached = breached;
  scratch.cleared = cleared;
  scratch.value = value;
  scratch.holdMs = holdMs;
  scratch.r2 = r2;
  return scratch;
}

function read(rule: AlertRule, input: AlertInput): Reading {
  switch (rule.kind) {
    case 'cpu':
      return fill(input.cpu > rule.percent, input.cpu < rule.percent * REARM_RATIO, input.cpu, rule.forSeconds * 1000);
    case 'memory':
      return fill(input.rss > rule.bytes, input.rss < rule.bytes * REARM_RATIO, input.rss, rule.forSeconds * 1000);
    case 'runtime': {
      const seconds = (input.at - input.runStartedAt) / 1000;
      return fill(seconds > rule.seconds, false, seconds, 0);
    }
    case 'leak': {
      const leaking = input.leak?.leaking ?? false;
      return fill(leaking, !leaking, input.leak?.growthMiBPerMinute ?? 0, 0, input.leak?.r2);
    }
  }
}

let alertCounter = 0;

/**
 * Turns per-tick readings into alerts. A rule fires once when its condition has held for the
 * rule's duration, then stays quiet until the condition clears (re-arm) or a new run begins.
 */
export class AlertEvaluator {
  private readonly subjects = new Map<string, SubjectState>();

  /** Replaces a subject's rules. Rules kept with the same id and content keep their state. */
  setRules(subjectId: string, rules: readonly AlertRule[]): void {
    const previous = this.subjects.get(subjectId);
    const states = new Map<string, RuleState>();
    for (const rule of rules) {
      const old = previous?.rules.find((r) => r.id === rule.id);
      const state = old && JSON.stringify(old) === JSON.stringify(rule) ? previous?.states.get(rule.id) : undefined;
      states.set(rule.id, state ?? { fired: false });
    }
    if (rules.length === 0) this.subjects.delete(subjectId);
    else this.subjects.set(subjectId, { rules: [...rules], runStartedAt: previous?.runStartedAt, states });
  }

  rulesOf(subjectId: string): AlertRule[] {
    return [...(this.subjects.get(subjectId)?.rules ?? [])];
  }

  forget(subjectId: string): void {
    this.subjects.delete(subjectId);
  }

  /** Whether the subject has rules at all: without, evaluate() has nothing to do (and its input need not be built). */
  hasRules(subjectId: string): boolean {
    return this.subjects.has(subjectId);
  }

  evaluate(subjectId: string, input: AlertInput): FiredAlert[] {
    const subject = this.subjects.get(subjectId);
    if (!subject) return [];
    if (subject.runStartedAt !== input.runStartedAt) {
      subject.runStartedAt = input.runStartedAt;
      for (const rule of subject.rules) subject.states.set(rule.id, { fired: false });
    }
    const fired: FiredAlert[] = [];
    for (const rule of subject.rules) {
      const state = subject.states.get(rule.id)!;
      const reading = read(rule, input);
      if (!reading.breached) {
        state.breachSince = undefined;
        if (reading.cleared) state.fired = false;
        continue;
      }
      state.breachSince ??= input.at;
      if (state.fired || input.at - state.breachSince < reading.holdMs) continue;
      state.fired = true;
      fired.push({
        id: `a${Date.now().toString(36)}${(alertCounter++).toString(36)}`,
        subjectId,
        rule,
        value: reading.value,
        at: input.at,
        action: rule.action,
        message: alertMessage(rule, reading.value, reading.r2, input.subjectName),
        ...(input.subjectName !== undefined && { subjectName: input.subjectName }),
      });
    }
    return fired;
  }
}
