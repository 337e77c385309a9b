import { create } from 'zustand';
import type { HistoryRange } from '../../../shared/monitoring';

interface ChartRangeState {
  /** How much of the selected job's run its charts show. */
  range: HistoryRange;
  setRange(range: HistoryRange): void;
}

export const useChartRangeStore = create<ChartRangeState>()((set) => ({
  range: 'run',
  setRange: (range) => set({ range }),
}));
