import { useModalDialog } from '../../components/useModalDialog';
import { useDialogStore } from '../../stores/dialogStore';
import { SHORTCUT_GROUPS } from './shortcuts';

export function HelpDialog() {
  const open = useDialogStore((state) => state.helpOpen);
  return open ? <HelpDialogBody /> : null;
}

function HelpDialogBody() {
  const dialogRef = useModalDialog();
  const close = () => useDialogStore.getState().setHelpOpen(false);

  return (
    <dialog ref={dialogRef} aria-label="Keyboard shortcuts" className="dialog help-dialog" onClose={close}>
      <h2>Keyboard shortcuts</h2>
      {SHORTCUT_GROUPS.map((group) => (
        <table key={group.title} className="shortcut-table" aria-label={group.title}>
          <caption>{group.title}</caption>
          <tbody>
            {group.shortcuts.map((shortcut) => (
              <tr key={shortcut.key}>
                <th scope="row">
                  <kbd>{shortcut.key}</kbd>
                </th>
                <td>{shortcut.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      <p className="muted">Single keys are ignored while typing in a field: press Esc first.</p>
      <div className="dialog-buttons">
        <button type="button" data-autofocus onClick={close}>
          Close help
        </button>
      </div>
    </dialog>
  );
}
