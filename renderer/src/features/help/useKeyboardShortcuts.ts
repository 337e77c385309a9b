import { useEffect } from 'react';
import { focusField, isTyping } from '../../lib/keyboard';
import { useDialogStore } from '../../stores/dialogStore';
import { useNavigationStore } from '../../stores/navigationStore';
import { actionForKey, runJobAction, targetJobIds } from '../jobs/actOnJobs';
import { focusJobGrid, focusLog } from '../jobs/gridFocus';
import { LAUNCH_PANEL_ID } from '../launch/LaunchPanel';

/** Opens the launch form (a drawer on a narrow window) with its Command field focused. */
function openLaunchForm(commandId: string, folded: boolean): void {
  if (folded && !useNavigationStore.getState().launchFormOpen) {
    // The drawer focuses Command itself once it is shown.
    useNavigationStore.getState().setLaunchFormOpen(true);
    return;
  }
  focusField(commandId);
}

/**
 * Esc leaves whatever it is in (a field, the log, the launch drawer) for the Jobs grid, so the
 * next key is a shortcut, not a letter typed into a field. Dialogs and menus close themselves
 * first (they take the key), and a filter with text clears it first.
 */
function leaveForGrid(target: EventTarget | null): boolean {
  const element = target instanceof Element ? target : null;
  if (element?.closest('[role="grid"]')) return false;
  const navigation = useNavigationStore.getState();
  if (navigation.view !== 'jobs') return false;
  if (navigation.launchFormOpen && (element === null || element.closest(`#${LAUNCH_PANEL_ID}`) || element === document.body)) {
    navigation.setLaunchFormOpen(false);
  }
  if (element instanceof HTMLElement && element !== document.body) element.blur();
  return focusJobGrid();
}

/** Global single-key shortcuts; see shortcuts.ts for the list shown to the operator. */
export function useKeyboardShortcuts(ids: { command: string; filter: string }, launchFolded: boolean): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
      if (event.key === 'Escape') {
        if (!event.ctrlKey && !event.metaKey && !event.altKey && leaveForGrid(event.target)) event.preventDefault();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (event.target instanceof Element && event.target.closest('[role="menu"]')) return;
      switch (event.key) {
        case 'n':
          openLaunchForm(ids.command, launchFolded);
          break;
        case '/':
          focusField(ids.filter);
          break;
        case '?':
          useDialogStore.getState().setHelpOpen(true);
          break;
        case 'l':
          if (targetJobIds().length === 0) return;
          focusLog();
          break;
        default: {
          const jobIds = targetJobIds();
          const action = actionForKey(event.key, jobIds);
          if (action === undefined || jobIds.length === 0) return;
          runJobAction(action, jobIds);
        }
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [ids.command, ids.filter, launchFolded]);
}
