import { create } from 'zustand';

/** The app's top-level views: Procdeck's own jobs, or the whole machine. */
export type MainView = 'jobs' | 'system';

interface ViewState {
  view: MainView;
  setView(view: MainView): void;
}

export const useViewStore = create<ViewState>()((set) => ({
  view: 'jobs',
  setView: (view) => set({ view }),
}));
