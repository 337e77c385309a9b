import { useModalDialog } from '../../components/useModalDialog';
import { useDialogStore } from '../../stores/dialogStore';
import { SHORTCUTS } from './shortcuts';

export function HelpDialog() {
  const open = useDialogStore((state) => state.helpOpen);
  return open ? <HelpDialogBody /> : null;
}

function HelpDialogBody() {
  const dialogRef = useModalDialog();
  const close = () => useDialogStore.getState().setHelpOpen(false);

  return (
    <dialog ref={dialogRef} aria-label="Keyboard shortcuts" className="dialog" onClose={close}>
      <h2>Keyboard shortcuts</h2>
      <table className="shortcut-table">
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.key}>
              <th scope="row">
                <kbd>{shortcut.key}</kbd>
              </th>
              <td>{shortcut.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Shortcuts are ignored while typing in a field.</p>
      <div className="dialog-buttons">
        <button type="button" autoFocus onClick={close}>
          Close help
        </button>
      </div>
    </dialog>
  );
}
