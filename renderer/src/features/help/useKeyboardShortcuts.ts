import { useEffect } from 'react';
import { useDialogStore } from '../../stores/dialogStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { requestKill, stopJob } from '../jobs/jobCommands';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

function focusById(id: string): void {
  const element = document.getElementById(id);
  if (element instanceof HTMLInputElement) {
    element.focus();
    element.select();
  }
}

/** Global single-key shortcuts; see shortcuts.ts for the list shown to the operator. */
export function useKeyboardShortcuts(ids: { command: string; filter: string }): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      const selected = useSelectionStore.getState().selectedJobId;
      switch (event.key) {
        case 'n':
          focusById(ids.command);
          break;
        case '/':
          focusById(ids.filter);
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
