import { create } from 'zustand';

/** The app's top-level views: Procdeck's own jobs, or the whole machine. */
export type MainView = 'jobs' | 'system';

/** The tabs beside the log. */
export type DetailTab = 'charts' | 'runs' | 'monitor' | 'cpu' | 'batches' | 'groups' | 'limits';

interface NavigationState {
  view: MainView;
  detailTab: DetailTab;
  /** On a narrow window the launch form is folded behind a "New job" button: is it open? */
  launchFormOpen: boolean;
  /** A job to clone into the launch form, until the form has taken it (seq tells two clones of one job apart). */
  launchClone: { jobId: string; seq: number } | null;
  setView(view: MainView): void;
  setDetailTab(tab: DetailTab): void;
  setLaunchFormOpen(open: boolean): void;
  /** Fills the launch form from this job's spec (the form opens; nothing starts). */
  requestLaunchClone(jobId: string): void;
  clearLaunchClone(): void;
}

/** Which view, which detail tab and which folded panels are on screen. */
export const useNavigationStore = create<NavigationState>()((set) => ({
  view: 'jobs',
  detailTab: 'charts',
  launchFormOpen: false,
  launchClone: null,
  setView: (view) => set({ view }),
  setDetailTab: (detailTab) => set({ detailTab }),
  setLaunchFormOpen: (launchFormOpen) => set({ launchFormOpen }),
  requestLaunchClone: (jobId) => set((state) => ({ launchFormOpen: true, launchClone: { jobId, seq: (state.launchClone?.seq ?? 0) + 1 } })),
  clearLaunchClone: () => set({ launchClone: null }),
}));
