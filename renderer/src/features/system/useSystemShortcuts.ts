import { useEffect } from 'react';
import { focusField, isTyping } from '../../lib/keyboard';

const JOB_KEYS = new Set(['n', 's', 'k']);

/**
 * While the system view is shown, the jobs view's single-key shortcuts (stop or kill the
 * selected job, new job) would act on a job the operator cannot see: they are swallowed
 * here, before the global handler (which skips defaultPrevented events), and `/` focuses
 * the process filter instead of the job filter.
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
    // Capture phase on window: runs before the global shortcut listener's bubble phase.
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [filterId]);
}
