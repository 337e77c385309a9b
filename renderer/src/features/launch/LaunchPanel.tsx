import { useEffect, useRef } from 'react';
import { focusField } from '../../lib/keyboard';
import { useNavigationStore } from '../../stores/navigationStore';
import { COMMAND_INPUT_ID, LaunchForm } from './LaunchForm';

export const LAUNCH_PANEL_ID = 'launch-drawer';

/**
 * The launch form: a sidebar on a wide window; on a narrow one a drawer over the grid, opened
 * by the "New job" button (or `n`), closed by its ✕, Esc, a click outside it, or a start. It
 * stays mounted either way, so what was typed is kept.
 */
export function LaunchPanel({ folded }: { folded: boolean }) {
  const open = useNavigationStore((state) => state.launchFormOpen);
  const ref = useRef<HTMLElement>(null);
  const shown = !folded || open;

  useEffect(() => {
    if (!folded || !open) return;
    focusField(COMMAND_INPUT_ID);
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Element;
      if (ref.current?.contains(target) || target.closest(`[aria-controls="${LAUNCH_PANEL_ID}"]`)) return;
      // A dialog the form opened (none today) or a menu over it is not "outside".
      if (target.closest('dialog, [role="menu"]')) return;
      useNavigationStore.getState().setLaunchFormOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, [folded, open]);

  return (
    <aside ref={ref} id={LAUNCH_PANEL_ID} className="sidebar" data-drawer={folded || undefined} hidden={!shown}>
      {folded && (
        <button
          type="button"
          className="quiet drawer-close"
          aria-label="Close the new job form"
          title="Close (Esc); what you typed is kept"
          onClick={() => useNavigationStore.getState().setLaunchFormOpen(false)}
        >
          ✕
        </button>
      )}
      <LaunchForm />
    </aside>
  );
}
