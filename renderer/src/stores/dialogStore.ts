import { create } from 'zustand';

interface DialogState {
  /** Job waiting for the operator to confirm a kill. */
  killTargetId: string | null;
  /** Job whose Signal dialog is open. */
  signalTargetId: string | null;
  helpOpen: boolean;
  batchDialogOpen: boolean;
  setKillTarget(jobId: string | null): void;
  setSignalTarget(jobId: string | null): void;
  setHelpOpen(open: boolean): void;
  setBatchDialogOpen(open: boolean): void;
}

/** The app-wide dialogs that are open, and for which job (one dialog per kind at a time). */
export const useDialogStore = create<DialogState>()((set) => ({
  killTargetId: null,
  signalTargetId: null,
  helpOpen: false,
  batchDialogOpen: false,
  setKillTarget: (killTargetId) => set({ killTargetId }),
  setSignalTarget: (signalTargetId) => set({ signalTargetId }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setBatchDialogOpen: (batchDialogOpen) => set({ batchDialogOpen }),
}));
