import { useEffect, useLayoutEffect, useRef } from 'react';

/**
 * A ref for a <dialog> shown modal once it mounts: focus moves into it (to the element marked
 * data-autofocus, else the first focusable one), the page behind is inert and Esc closes it
 * (its onClose then says so). Mount the dialog to open it, unmount to close.
 * React's autoFocus cannot do it: it focuses at mount, while the dialog is still closed
 * (display: none), so the browser ignores it.
 */
export function useModalDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || dialog.open) return;
    dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, []);
  // Closed while still in the document (a layout cleanup runs before React removes it): the
  // browser then gives focus back to where it was, instead of dropping it on the page.
  useLayoutEffect(() => {
    const dialog = ref.current;
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, []);
  return ref;
}
