import { create } from 'zustand';

interface LogViewState {
  /** Keep the newest line in view. */
  follow: boolean;
  search: string;
  setFollow(follow: boolean): void;
  setSearch(search: string): void;
  /** Back to following, without a search: what a newly selected job's log starts with. */
  reset(): void;
}

/** How the operator reads the selected job's log. */
export const useLogViewStore = create<LogViewState>()((set) => ({
  follow: true,
  search: '',
  setFollow: (follow) => set({ follow }),
  setSearch: (search) => set({ search }),
  reset: () => set({ follow: true, search: '' }),
}));
