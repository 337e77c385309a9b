import { useEffect, useState } from 'react';
import { useConnected } from '../../stores/hostStore';
import { useProcessListStore } from '../../stores/processListStore';
import { closeSystemView, openSystemView } from './systemViewLease';

/** The host's lease lasts 30 s: renew well before it runs out. */
const RENEW_MS = 10_000;
/** Typing in the filter asks once the operator pauses, not per keystroke. */
const SETTLE_MS = 200;

function useDocumentVisible(): boolean {
  const [visible, setVisible] = useState(() => !document.hidden);
  useEffect(() => {
    const update = () => setVisible(!document.hidden);
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

/**
 * Keeps the system view open while the component using it is mounted and the window is
 * shown: opened with the list's query, renewed every few seconds, closed when hidden.
 */
export function useSystemViewLease(): void {
  const query = useProcessListStore((state) => state.query);
  const connected = useConnected();
  const visible = useDocumentVisible();
  const active = connected && visible;

  useEffect(() => {
    if (!active) return;
    const timer = setTimeout(() => void openSystemView(query, true), query.filter === '' ? 0 : SETTLE_MS);
    const renew = setInterval(() => void openSystemView(query, false), RENEW_MS);
    return () => {
      clearTimeout(timer);
      clearInterval(renew);
    };
  }, [active, query]);

  useEffect(() => {
    if (!active) return;
    return () => closeSystemView();
  }, [active]);
}
