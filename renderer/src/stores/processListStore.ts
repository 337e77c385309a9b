import { create } from 'zustand';
import type { ProcessSortKey, SystemProcess, SystemProcessList } from '../../../shared/monitoring';
import { nextSort } from '../lib/sorting';

export interface ProcessQuery {
  sort: ProcessSortKey;
  descending: boolean;
  filter: string;
  tree: boolean;
}

export type ProcessActionKind = 'signal' | 'renice' | 'affinity' | 'watch';

/** A row action waiting for the operator's confirmation. */
export interface PendingProcessAction {
  kind: ProcessActionKind;
  process: SystemProcess;
}

/** Columns whose natural reading is "biggest first" start out descending. */
const DESCENDING_FIRST: readonly ProcessSortKey[] = ['cpu', 'memory'];

interface ProcessListState {
  query: ProcessQuery;
  /** The newest list for the current query (null until the first answer). */
  list: SystemProcessList | null;
  /** Why the host cannot list processes (e.g. no /proc), if it said so. */
  error: string | null;
  /** Rows shown while a confirmation is open: the list must not move under the pointer. */
  frozen: readonly SystemProcess[] | null;
  action: PendingProcessAction | null;
  sortBy(key: ProcessSortKey): void;
  setFilter(filter: string): void;
  setTree(tree: boolean): void;
  applyList(list: SystemProcessList): void;
  clearList(error?: string): void;
  openAction(action: PendingProcessAction): void;
  closeAction(): void;
}

export const useProcessListStore = create<ProcessListState>()((set) => ({
  query: { sort: 'cpu', descending: true, filter: '', tree: false },
  list: null,
  error: null,
  frozen: null,
  action: null,

  sortBy: (key) =>
    set(({ query }) => {
      const { column, direction } = nextSort({ column: query.sort, direction: query.descending ? 'descending' : 'ascending' }, key, DESCENDING_FIRST);
      return { query: { ...query, sort: column, descending: direction === 'descending' } };
    }),
  setFilter: (filter) => set(({ query }) => ({ query: { ...query, filter } })),
  setTree: (tree) => set(({ query }) => ({ query: { ...query, tree } })),
  applyList: (list) => set({ list, error: null }),
  clearList: (error) => set({ list: null, error: error ?? null }),
  openAction: (action) => set(({ list, frozen }) => ({ action, frozen: frozen ?? list?.processes ?? [] })),
  closeAction: () => set({ action: null, frozen: null }),
}));
