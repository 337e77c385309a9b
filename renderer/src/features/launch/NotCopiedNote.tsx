interface NotCopiedNoteProps {
  from: string;
  notCopied: readonly string[];
  onDismiss(): void;
}

/** Says the form holds a copy of a job (nothing started yet) and names what of its spec it could not hold. */
export function NotCopiedNote({ from, notCopied, onDismiss }: NotCopiedNoteProps) {
  return (
    <div role="note" aria-label="Cloned job" className="clone-note">
      <p>
        Filled from <strong>{from}</strong>: nothing starts until you press Start.
      </p>
      {notCopied.length > 0 && (
        <p className="warning-text">
          Not copied: {notCopied.join('; ')}.
        </p>
      )}
      <button type="button" className="quiet link-button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
