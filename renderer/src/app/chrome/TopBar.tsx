import { ConfigButton } from '../../features/config/ConfigButton';
import { SettingsButton } from '../../features/isolation/SettingsButton';
import { setConfirmKill } from '../../features/jobs/jobCommands';
import { useDialogStore } from '../../stores/dialogStore';
import { useHostStore } from '../../stores/hostStore';
import { ConnectionBadge } from './ConnectionBadge';

export function TopBar() {
  const info = useHostStore((state) => state.engineInfo);
  const confirmKill = useHostStore((state) => state.settings.confirmKill);
  return (
    <header className="top-bar">
      <h1>Procdeck</h1>
      {info && (
        <span className="host-info muted" title={`Data directory: ${info.dataDir}`}>
          {info.host === 'browser' ? 'browser host' : 'desktop'} · {info.platform} · {info.cores} cores · v{info.version}
        </span>
      )}
      <span className="spacer" />
      <ConnectionBadge />
      <label className="check" title="Ask for confirmation before SIGKILL">
        <input type="checkbox" checked={confirmKill} onChange={(event) => void setConfirmKill(event.target.checked)} />
        Ask before kill
      </label>
      <ConfigButton />
      <SettingsButton />
      <button
        type="button"
        title="Keyboard shortcuts (?)"
        onClick={() => useDialogStore.getState().setHelpOpen(true)}
      >
        Help
      </button>
    </header>
  );
}
