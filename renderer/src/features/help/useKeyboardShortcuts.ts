import { useEffect } from 'react';
import { focusField, isTyping } from '../../lib/keyboard';
import { useDialogStore } from '../../stores/dialogStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { requestKill, stopJob } from '../jobs/jobCommands';

/** Global single-key shortcuts; see shortcuts.ts for the list shown to the operator. */
export function useKeyboardShortcuts(ids: { command: string; filter: string }): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      const selected = useSelectionStore.getState().selectedJobId;
      switch (event.key) {
        case 'n':
          focusField(ids.command);
          break;
        case '/':
          focusField(ids.filter);
          break;
        case 's':
          if (selected === null) return;
          void stopJob(selected);
          break;
        case 'k':
          if (selected === null) return;
          requestKill(selected);
          break;
        case '?':
          useDialogStore.getState().setHelpOpen(true);
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [ids.command, ids.filter]);
}
