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
  /**
   * A job to fill the launch form from, until the form has taken it (seq tells two requests for
   * one job apart): a copy to start (clone), or a declared job's definition to edit and save back.
   */
  launchFill: { jobId: string; seq: number; mode: 'clone' | 'edit' } | null;
  setView(view: MainView): void;
  setDetailTab(tab: DetailTab): void;
  setLaunchFormOpen(open: boolean): void;
  /** Fills the launch form from this job's spec (the form opens; nothing starts). */
  requestLaunchClone(jobId: string): void;
  /** Fills the launch form from this declared job's definition, to save it back (the form opens in edit mode). */
  requestLaunchEdit(jobId: string): void;
  clearLaunchFill(): void;
}

/** Which view, which detail tab and which folded panels are on screen. */
export const useNavigationStore = create<NavigationState>()((set) => ({
  view: 'jobs',
  detailTab: 'charts',
  launchFormOpen: false,
  launchFill: null,
  setView: (view) => set({ view }),
  setDetailTab: (detailTab) => set({ detailTab }),
  setLaunchFormOpen: (launchFormOpen) => set({ launchFormOpen }),
  requestLaunchClone: (jobId) => set((state) => ({ launchFormOpen: true, launchFill: { jobId, seq: (state.launchFill?.seq ?? 0) + 1, mode: 'clone' } })),
  requestLaunchEdit: (jobId) => set((state) => ({ launchFormOpen: true, launchFill: { jobId, seq: (state.launchFill?.seq ?? 0) + 1, mode: 'edit' } })),
  clearLaunchFill: () => set({ launchFill: null }),
}));
