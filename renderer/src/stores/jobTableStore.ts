import { create } from 'zustand';
import { nextSort, type SortDirection } from '../lib/sorting';

export type SortColumn = 'name' | 'state' | 'pid' | 'cpu' | 'memory' | 'started';

/**
 * The grid's order: a column's, or 'live' (the default): running and other live jobs first,
 * then queued, then finished, newest first within each, so finished work never buries services.
 */
export type JobOrder = { column: SortColumn; direction: SortDirection } | { column: 'live' };

/** Columns whose natural reading is "biggest first" start out descending. */
const DESCENDING_FIRST: readonly SortColumn[] = ['cpu', 'memory', 'started'];

export const LIVE_FIRST: JobOrder = { column: 'live' };

interface JobTableState {
  sort: JobOrder;
  filter: string;
  /** Batches shown with their items under them; the others are one row each. */
  expandedBatches: Readonly<Record<string, true>>;
  sortBy(column: SortColumn): void;
  sortLiveFirst(): void;
  setFilter(filter: string): void;
  setBatchExpanded(batchId: string, expanded: boolean): void;
}

/** How the operator sorts, filters and folds the Jobs grid. */
export const useJobTableStore = create<JobTableState>()((set) => ({
  sort: LIVE_FIRST,
  filter: '',
  expandedBatches: {},
  sortBy: (column) =>
    set(({ sort }) => ({
      sort:
        sort.column === 'live'
          ? { column, direction: DESCENDING_FIRST.includes(column) ? 'descending' : 'ascending' }
          : nextSort(sort, column, DESCENDING_FIRST),
    })),
  sortLiveFirst: () => set({ sort: LIVE_FIRST }),
  setFilter: (filter) => set({ filter }),
  setBatchExpanded: (batchId, expanded) =>
    set(({ expandedBatches }) => {
      if (expanded === batchId in expandedBatches) return {};
      const next = { ...expandedBatches };
      if (expanded) next[batchId] = true;
      else delete next[batchId];
      return { expandedBatches: next };
    }),
}));
