import { create } from 'zustand';
import type { BatchProgress, GroupInfo } from '../../../shared/scheduling';

/** A batch as last reported, and when (browser clock): elapsed and ETA move on from there. */
export interface ReceivedBatch extends BatchProgress {
  receivedAt: number;
}

interface SchedulingState {
  batches: Record<string, ReceivedBatch>;
  /** Limits and pause state of the pool's groups, as the engine last reported them. */
  groups: Record<string, GroupInfo>;
  replaceBatches(batches: readonly BatchProgress[]): void;
  applyBatches(batches: readonly BatchProgress[]): void;
  replaceGroups(groups: readonly GroupInfo[]): void;
}

const received = (batch: BatchProgress, at: number): ReceivedBatch => ({ ...batch, receivedAt: at });

export const useSchedulingStore = create<SchedulingState>()((set) => ({
  batches: {},
  groups: {},

  replaceBatches: (batches) => {
    const at = Date.now();
    set({ batches: Object.fromEntries(batches.map((batch) => [batch.id, received(batch, at)])) });
  },

  applyBatches: (batches) =>
    set((state) => {
      if (batches.length === 0) return state;
      const at = Date.now();
      const next = { ...state.batches };
      for (const batch of batches) next[batch.id] = received(batch, at);
      return { batches: next };
    }),

  replaceGroups: (groups) => set({ groups: Object.fromEntries(groups.map((group) => [group.name, group])) }),
}));
