import { useEffect } from 'react';
import { useConnected } from '../../stores/hostStore';
import { useProcessListStore } from '../../stores/processListStore';
import { showMachineFiguresNow } from '../../app/machineFigures';
import { closeSystemView, openSystemView } from './systemViewLease';
import { useDocumentVisible } from '../../lib/useDocumentVisible';

/** The host's lease lasts 30 s: renew well before it runs out. */
const RENEW_MS = 10_000;
/** Typing in the filter asks once the operator pauses, not per keystroke. */
const SETTLE_MS = 200;

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
    // system.tick comes only while the view is open: the figures of now, until the first one.
    void showMachineFiguresNow();
    return () => closeSystemView();
  }, [active]);
}
