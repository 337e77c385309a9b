import { create } from 'zustand';
import { nextSort, type SortDirection } from '../lib/sorting';

export type SortColumn = 'name' | 'state' | 'pid' | 'cpu' | 'memory' | 'started';

/** Columns whose natural reading is "biggest first" start out descending. */
const DESCENDING_FIRST: readonly SortColumn[] = ['cpu', 'memory', 'started'];

interface JobTableState {
  sort: { column: SortColumn; direction: SortDirection };
  filter: string;
  sortBy(column: SortColumn): void;
  setFilter(filter: string): void;
}

/** How the operator sorts and filters the Jobs grid. */
export const useJobTableStore = create<JobTableState>()((set) => ({
  sort: { column: 'started', direction: 'descending' },
  filter: '',
  sortBy: (column) => set(({ sort }) => ({ sort: nextSort(sort, column, DESCENDING_FIRST) })),
  setFilter: (filter) => set({ filter }),
}));
