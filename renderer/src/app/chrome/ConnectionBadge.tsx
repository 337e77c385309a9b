import { useHostStore } from '../../stores/hostStore';

const LABELS = { open: 'Connected', connecting: 'Connecting…', closed: 'Disconnected, retrying' } as const;

export function ConnectionBadge() {
  const connection = useHostStore((state) => state.connection);
  const kind = useHostStore((state) => state.engineInfo?.host);
  if (kind === 'electron' && connection.state === 'open') return null;
  return (
    <span role="status" className="connection" data-state={connection.state}>
      <span className="connection-dot" aria-hidden="true" />
      {LABELS[connection.state]}
    </span>
  );
}
