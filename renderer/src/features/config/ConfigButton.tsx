import { useDialogStore } from '../../stores/dialogStore';

/** Opens the Config file dialog (load, review, apply, export declared jobs). */
export function ConfigButton() {
  return (
    <button type="button" title="Load, review and apply a file of declared jobs, or export the definitions in force" onClick={() => useDialogStore.getState().setConfigDialog('open')}>
      Config file
    </button>
  );
}
