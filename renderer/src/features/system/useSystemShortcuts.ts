import { useEffect } from 'react';
import { focusField, isTyping } from '../../lib/keyboard';
import { JOB_ACTIONS } from '../jobs/rowActions';

/** Every key that acts on jobs: meaningless here, where no job is in sight. */
const JOB_KEYS = new Set(['n', 'l', ...JOB_ACTIONS.map((action) => action.key)]);

/**
 * While the system view is shown, the jobs view's single-key shortcuts (stop or kill the
 * selected job, new job) would act on a job the operator cannot see: they are swallowed
 * here, before the global handler (which skips defaultPrevented events), and `/` focuses
 * the process filter instead of the job filter. Esc leaves a field for the process grid.
 */
export function useSystemShortcuts(filterId: string): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      if (event.key === '/') {
        focusField(filterId);
        event.preventDefault();
      } else if (JOB_KEYS.has(event.key)) {
        event.preventDefault();
      }
    };
    // Bubble phase, after the field's own handler (a filter with text clears it first).
    const onEscape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      if (!(event.target instanceof HTMLElement) || event.target.closest('[role="grid"], [role="menu"]')) return;
      event.target.blur();
      document.querySelector<HTMLElement>('#view-system [role="grid"]')?.focus();
      event.preventDefault();
    };
    // Capture phase on window: runs before the global shortcut listener's bubble phase.
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('keydown', onEscape);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('keydown', onEscape);
    };
  }, [filterId]);
}
