import type { ConnectionState } from '../../api/hostConnection';
import { useHostStore } from '../../stores/hostStore';

const LABELS: Record<ConnectionState, string> = {
  open: 'Connected',
  connecting: 'Connecting…',
  closed: 'Disconnected, retrying',
  refused: 'Access token no longer valid',
};

/** The link to the host; while it is down, what the tab shows is as it was, not live (see isConnected). */
export function ConnectionBadge() {
  const connection = useHostStore((state) => state.connection);
  const info = useHostStore((state) => state.engineInfo);
  if (info?.host === 'electron' && connection.state === 'open') return null;
  const urlFile = info ? `${info.dataDir}/browser-url` : 'browser-url in the data directory';
  const title =
    connection.state === 'refused'
      ? `${connection.reason ?? ''}: open the URL Procdeck printed at start, or the one in ${urlFile}`
      : connection.state === 'closed'
        ? 'Procdeck cannot be reached (restarting, or stopped). Jobs shown here are as last seen; this tab reconnects by itself.'
        : undefined;
  return (
    <span role="status" className="connection" data-state={connection.state} title={title}>
      <span className="connection-dot" aria-hidden="true" />
      {LABELS[connection.state]}
      {connection.state === 'refused' && <span className="connection-remedy">– open the new URL ({urlFile})</span>}
    </span>
  );
}
