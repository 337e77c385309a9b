import { create } from 'zustand';
import type { SystemStats } from '../../../shared/monitoring';

/** Per-core busy % at one tick. */
export interface CorePoint {
  at: number;
  cores: number[];
}

/** About three minutes at the default one-second tick: enough to see a trend, cheap to draw. */
export const MAX_CORE_POINTS = 180;

interface SystemState {
  latest: SystemStats | null;
  history: CorePoint[];
  applyTick(stats: SystemStats): void;
}

export const useSystemStore = create<SystemState>()((set) => ({
  latest: null,
  history: [],

  applyTick: (stats) =>
    set((state) => {
      const last = state.history[state.history.length - 1];
      if (last && last.at >= stats.at) return { latest: stats };
      const history = state.history.length >= MAX_CORE_POINTS ? state.history.slice(1 - MAX_CORE_POINTS) : state.history.slice();
      history.push({ at: stats.at, cores: stats.cores });
      return { latest: stats, history };
    }),
}));
