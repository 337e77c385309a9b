import { create } from 'zustand';

/** The app's top-level views: Procdeck's own jobs, or the whole machine. */
export type MainView = 'jobs' | 'system';

/** The tabs beside the log. */
export type DetailTab = 'charts' | 'monitor' | 'cpu' | 'batches' | 'groups' | 'limits';

interface NavigationState {
  view: MainView;
  detailTab: DetailTab;
  setView(view: MainView): void;
  setDetailTab(tab: DetailTab): void;
}

/** Which view and which detail tab are on screen. */
export const useNavigationStore = create<NavigationState>()((set) => ({
  view: 'jobs',
  detailTab: 'charts',
  setView: (view) => set({ view }),
  setDetailTab: (detailTab) => set({ detailTab }),
}));
