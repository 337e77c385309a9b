import './config.css';
import { useState, type FormEvent } from 'react';
import { useModalDialog } from '../../components/useModalDialog';
import { useConfigStore } from '../../stores/configStore';
import { useDialogStore } from '../../stores/dialogStore';
import { useNavigationStore } from '../../stores/navigationStore';
import { DefinitionList } from './DefinitionList';
import { applyFile, exportDefinitions, saveAsDefinition, setAutostart, showChanges } from './configCommands';
import { outcomeOfChange, type ConfigOutcome } from './configOutcome';
import { ConfigOutcomeView } from './ConfigOutcomeView';
import { SaveAsDefinition } from './SaveAsDefinition';
import { fileNameOf, hasChanges } from './configText';

/** A config file of declared jobs on the engine's machine: its changes, applying it, exporting the definitions in force. */
export function ConfigDialog() {
  const mode = useDialogStore((state) => state.configDialog);
  return mode === 'closed' ? null : <ConfigDialogBody review={mode === 'review'} />;
}

function ConfigDialogBody({ review }: { review: boolean }) {
  const dialogRef = useModalDialog();
  const inForce = useConfigStore((state) => state.file);
  const change = useConfigStore((state) => state.change);
  const [path, setPath] = useState(() => inForce ?? '');
  const [outcome, setOutcome] = useState<ConfigOutcome | null>(null);
  // Opened to review the file's reading from disk: a newer reading replaces it until the operator acts.
  const [followDisk, setFollowDisk] = useState(review);
  const [busy, setBusy] = useState<string | null>(null);
  // The reading from disk there was when the operator last acted: a newer one is offered, not forced on them.
  const [actedOn, setActedOn] = useState(change);
  const shown = followDisk && change ? outcomeOfChange(change) : outcome;
  const newer = !followDisk && change && change !== actedOn && (!change.diff || hasChanges(change.diff)) ? change : undefined;

  const close = () => useDialogStore.getState().setConfigDialog('closed');
  // The launch form is behind the dialog: it closes, and the form (opened if folded) takes the definition.
  const edit = (jobId: string) => {
    close();
    useNavigationStore.getState().requestLaunchEdit(jobId);
  };
  const run = async (what: string, action: () => Promise<ConfigOutcome>) => {
    setFollowDisk(false);
    setActedOn(useConfigStore.getState().change);
    setBusy(what);
    setOutcome(await action());
    setBusy(null);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run('Reading the file…', () => showChanges(path));
  };

  return (
    <dialog ref={dialogRef} aria-labelledby="config-title" className="dialog config-dialog" onClose={close}>
      <form noValidate onSubmit={submit}>
        <h2 id="config-title">Config file</h2>
        <p className="muted">
          A file of declared jobs (procdeck.yaml, a Procfile or a process-compose.yaml) on the engine's machine, by its path there.{' '}
          {inForce ? `In force: ${inForce}` : 'No file is in force yet.'}
        </p>
        <label htmlFor="config-path">Path</label>
        <input
          id="config-path"
          className="mono"
          data-autofocus
          spellCheck={false}
          autoComplete="off"
          placeholder="/srv/app/procdeck.yaml"
          value={path}
          onChange={(event) => setPath(event.target.value)}
        />
        <div className="dialog-buttons config-actions">
          <button type="submit" disabled={busy !== null}>
            Show changes
          </button>
          <button type="button" disabled={busy !== null} onClick={() => void run('Applying the file…', () => applyFile(path))}>
            Apply
          </button>
          <span className="spacer" />
          <button type="button" disabled={busy !== null} onClick={() => void run('Exporting…', exportDefinitions)}>
            Export definitions
          </button>
        </div>
      </form>
      <SaveAsDefinition busy={busy !== null} onSave={(job, options) => void run('Saving the definition…', () => saveAsDefinition(job, options))} />
      <DefinitionList busy={busy !== null} onSet={(name, on) => void run('Saving autostart…', () => setAutostart(name, on))} onEdit={edit} />
      {newer && (
        <p className="config-newer" aria-live="polite">
          {fileNameOf(newer.file)} changed on disk since.{' '}
          <button type="button" onClick={() => setFollowDisk(true)}>
            Show what changed
          </button>
        </p>
      )}
      <section className="config-outcome" aria-label="Result" aria-busy={busy !== null}>
        {busy !== null ? <p role="status">{busy}</p> : shown && <ConfigOutcomeView outcome={shown} />}
      </section>
      <div className="dialog-buttons">
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
    </dialog>
  );
}
