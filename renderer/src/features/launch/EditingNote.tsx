import type { DefinitionEdit } from './editSpec';

interface EditingNoteProps {
  edit: DefinitionEdit;
  notCopied: readonly string[];
}

/**
 * Says the form holds a definition of the config file to save back (not a job to start), and
 * what of it the form cannot hold: saving keeps that as it is, and the file keeps what only
 * it says. Esc leaves the form as from any field; the edit stays until saved or cancelled.
 */
export function EditingNote({ edit, notCopied }: EditingNoteProps) {
  return (
    <div role="status" className="clone-note edit-note">
      <p>
        Editing definition <strong>{edit.name}</strong> of {edit.file}: Save definition writes it there and applies the file.
      </p>
      {notCopied.length > 0 && <p className="warning-text">Not copied: {notCopied.join('; ')}. Saving keeps these as they are.</p>}
      <p className="muted">What only the file says (dependencies, probes, schedule, watch) stays as it is.</p>
    </div>
  );
}
