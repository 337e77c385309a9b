import { create } from 'zustand';

interface DialogState {
  /** Jobs waiting for the operator to confirm a kill (one from a row, several from a bulk Kill). */
  killTargetIds: readonly string[] | null;
  /** Job whose Signal dialog is open. */
  signalTargetId: string | null;
  helpOpen: boolean;
  batchDialogOpen: boolean;
  /** The Config file dialog: closed, open, or open on the file's latest reading from disk (the banner's Review). */
  configDialog: 'closed' | 'open' | 'review';
  /** An empty list closes the dialog. */
  setKillTargets(jobIds: readonly string[] | null): void;
  setSignalTarget(jobId: string | null): void;
  setHelpOpen(open: boolean): void;
  setBatchDialogOpen(open: boolean): void;
  setConfigDialog(state: DialogState['configDialog']): void;
}

/** The app-wide dialogs that are open, and for which job (one dialog per kind at a time). */
export const useDialogStore = create<DialogState>()((set) => ({
  killTargetIds: null,
  signalTargetId: null,
  helpOpen: false,
  batchDialogOpen: false,
  configDialog: 'closed',
  setKillTargets: (jobIds) => set({ killTargetIds: jobIds && jobIds.length > 0 ? jobIds : null }),
  setSignalTarget: (signalTargetId) => set({ signalTargetId }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setBatchDialogOpen: (batchDialogOpen) => set({ batchDialogOpen }),
  setConfigDialog: (configDialog) => set({ configDialog }),
}));
