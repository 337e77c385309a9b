import { create } from 'zustand';
import type { AlertRule, FiredAlert, LeakVerdict, MonitorTick } from '../../../shared/monitoring';

/** Newest alerts kept for the history panel. */
export const MAX_ALERTS = 500;

interface AlertsState {
  /** Fired alerts, newest first. */
  history: FiredAlert[];
  /** Subjects currently flagged as a possible leak. */
  leaks: Record<string, LeakVerdict>;
  /**
   * Rules as the engine last answered alerts.setRules. Jobs also carry theirs in the spec, but
   * a snapshot may be older than the answer; watched processes have no other record here.
   */
  rules: Record<string, AlertRule[]>;
  replaceHistory(alerts: readonly FiredAlert[]): void;
  applyTick(tick: Pick<MonitorTick, 'alerts' | 'leaks'>): void;
  setRules(subjectId: string, rules: AlertRule[]): void;
  forget(subjectIds: readonly string[]): void;
}

const newestFirst = (a: FiredAlert, b: FiredAlert) => b.at - a.at;

export const useAlertsStore = create<AlertsState>()((set) => ({
  history: [],
  leaks: {},
  rules: {},

  replaceHistory: (alerts) =>
    set((state) => {
      // Live alerts that arrived while the list was on its way stay.
      const known = new Set(alerts.map((alert) => alert.id));
      const merged = alerts.concat(state.history.filter((alert) => !known.has(alert.id)));
      return { history: merged.sort(newestFirst).slice(0, MAX_ALERTS) };
    }),

  applyTick: (tick) =>
    set((state) => {
      if (tick.alerts.length === 0 && tick.leaks.length === 0) return state;
      let { history, leaks } = state;
      if (tick.alerts.length > 0) {
        const known = new Set(history.map((alert) => alert.id));
        const fresh = tick.alerts.filter((alert) => !known.has(alert.id));
        history = fresh.sort(newestFirst).concat(history).slice(0, MAX_ALERTS);
      }
      if (tick.leaks.length > 0) {
        leaks = { ...leaks };
        for (const { subjectId, ...verdict } of tick.leaks) {
          if (verdict.leaking) leaks[subjectId] = verdict;
          else delete leaks[subjectId];
        }
      }
      return { history, leaks };
    }),

  setRules: (subjectId, rules) => set((state) => ({ rules: { ...state.rules, [subjectId]: rules } })),

  forget: (subjectIds) =>
    set((state) => {
      if (!subjectIds.some((id) => id in state.rules || id in state.leaks)) return state;
      const rules = { ...state.rules };
      const leaks = { ...state.leaks };
      for (const id of subjectIds) {
        delete rules[id];
        delete leaks[id];
      }
      return { rules, leaks };
    }),
}));
