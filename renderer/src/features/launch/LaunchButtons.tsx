interface LaunchButtonsProps {
  busy: boolean;
  /** Editing a definition: Save definition and Cancel edit instead of Start and Save as definition. */
  editing: boolean;
  /** What the last start or save did. */
  status: string;
  onSaveAsDefinition(): void;
  onCancelEdit(): void;
}

/** The form's buttons: Enter in a field presses the first (Start, or Save definition while editing). */
export function LaunchButtons({ busy, editing, status, onSaveAsDefinition, onCancelEdit }: LaunchButtonsProps) {
  return (
    <div className="launch-submit">
      {editing ? (
        <>
          <button type="submit" className="primary" disabled={busy}>
            Save definition
          </button>
          <button type="button" onClick={onCancelEdit}>
            Cancel edit
          </button>
        </>
      ) : (
        <>
          <button type="submit" className="primary" disabled={busy}>
            Start
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={onSaveAsDefinition}
            title="Written into the config file in force (or the data directory's procdeck.yaml) under its Name, without starting it"
          >
            Save as definition
          </button>
        </>
      )}
      <span role="status" className="muted" title={status}>
        {status}
      </span>
    </div>
  );
}
