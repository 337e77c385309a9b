import { create } from 'zustand';
import type { SystemStats } from '../../../shared/monitoring';

/** The machine at one tick: per-core busy %, memory and load. */
export interface MachinePoint {
  at: number;
  cores: number[];
  used: number;
  available: number;
  swapUsed: number;
  load1: number;
}

/** About three minutes at the default one-second tick: enough to see a trend, cheap to draw. */
export const MAX_MACHINE_POINTS = 180;

interface MachineState {
  /** The newest system.tick, for the figures shown as numbers. */
  latest: SystemStats | null;
  /** Recent ticks, oldest first, for the System view's and CPU tab's charts. */
  history: MachinePoint[];
  applyTick(stats: SystemStats): void;
}

/** The whole machine as system.tick reports it. */
export const useMachineStore = create<MachineState>()((set) => ({
  latest: null,
  history: [],

  applyTick: (stats) =>
    set((state) => {
      const last = state.history[state.history.length - 1];
      if (last && last.at >= stats.at) return { latest: stats };
      const history =
        state.history.length >= MAX_MACHINE_POINTS ? state.history.slice(1 - MAX_MACHINE_POINTS) : state.history.slice();
      const { used, available, swapUsed } = stats.memory;
      history.push({ at: stats.at, cores: stats.cores, used, available, swapUsed, load1: stats.load[0] });
      return { latest: stats, history };
    }),
}));
