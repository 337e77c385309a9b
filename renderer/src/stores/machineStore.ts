import { create } from 'zustand';
import type { SystemStats } from '../../../shared/monitoring';

/** The machine's memory and load at one tick (per-core usage lives in systemStore). */
export interface MachinePoint {
  at: number;
  used: number;
  available: number;
  swapUsed: number;
  load1: number;
}

/** About three minutes at the default one-second tick, like the per-core history. */
export const MAX_MACHINE_POINTS = 180;

interface MachineState {
  history: MachinePoint[];
  applyTick(stats: SystemStats): void;
}

export const useMachineStore = create<MachineState>()((set) => ({
  history: [],

  applyTick: (stats) =>
    set((state) => {
      const last = state.history[state.history.length - 1];
      if (last && last.at >= stats.at) return state;
      const history =
        state.history.length >= MAX_MACHINE_POINTS ? state.history.slice(1 - MAX_MACHINE_POINTS) : state.history.slice();
      const { used, available, swapUsed } = stats.memory;
      history.push({ at: stats.at, used, available, swapUsed, load1: stats.load[0] });
      return { history };
    }),
}));
