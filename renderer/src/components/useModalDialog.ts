import { useEffect, useRef } from 'react';

/**
 * A ref for a <dialog> shown modal once it mounts: focus moves into it, the page behind is
 * inert and Esc closes it (its onClose then says so). Mount the dialog to open it, unmount to close.
 */
export function useModalDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return ref;
}
