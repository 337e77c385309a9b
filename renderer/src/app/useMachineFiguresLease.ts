import { useEffect } from 'react';
import { call } from '../api/procdeck';
import { useConnected } from '../stores/hostStore';
import { useDocumentVisible } from '../lib/useDocumentVisible';
import { showMachineFiguresNow } from './machineFigures';

/** The host's lease lasts 30 s: renew well before it runs out. */
const RENEW_MS = 10_000;

/**
 * Keeps this viewer's system view open without a process list while the component using it is
 * mounted and the window shown (the CPU tab): the host sends system.tick only to viewers that
 * show the machine. Never mounted together with the System view (another view), whose lease is
 * the same one.
 */
export function useMachineFiguresLease(): void {
  const connected = useConnected();
  const visible = useDocumentVisible();
  const active = connected && visible;

  useEffect(() => {
    if (!active) return;
    const open = () => void call('system.view', { visible: true });
    open();
    void showMachineFiguresNow();
    const renew = setInterval(open, RENEW_MS);
    return () => {
      clearInterval(renew);
      void call('system.view', { visible: false });
    };
  }, [active]);
}
