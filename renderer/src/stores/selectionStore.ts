import { create } from 'zustand';

interface SelectionState {
  /** The job whose log and detail tabs are shown. Change it through app/selection.ts's selectJob, which also loads the job's details. */
  selectedJobId: string | null;
  setSelected(jobId: string | null): void;
}

export const useSelectionStore = create<SelectionState>()((set) => ({
  selectedJobId: null,
  setSelected: (selectedJobId) => set({ selectedJobId }),
}));
