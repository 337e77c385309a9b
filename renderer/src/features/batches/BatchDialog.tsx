import { useState, type FormEvent } from 'react';
import { FieldMessage } from '../../components/FieldMessage';
import { TextAreaField, TextField } from '../../components/TextField';
import { useModalDialog } from '../../components/useModalDialog';
import { useDialogStore } from '../../stores/dialogStore';
import { useHostStore } from '../../stores/hostStore';
import { useNavigationStore } from '../../stores/navigationStore';
import { submitBatch } from './batchCommands';
import { batchErrorFor, buildBatchRequest, emptyBatch, type BatchErrors, type BatchValues } from './batchForm';

const errorId = (field: keyof BatchErrors) => `batch-${field}-error`;

/** Many commands at once: pasted lines, or a template run over inputs, through a pool with its own limit. */
export function BatchDialog() {
  const open = useDialogStore((state) => state.batchDialogOpen);
  return open ? <BatchDialogBody /> : null;
}

function BatchDialogBody() {
  const dialogRef = useModalDialog();
  const cores = useHostStore((state) => state.engineInfo?.cores);
  const [values, setValues] = useState<BatchValues>(() => emptyBatch(cores ? String(cores) : ''));
  const [errors, setErrors] = useState<BatchErrors>({});
  const [busy, setBusy] = useState(false);


  const update = <K extends keyof BatchValues>(key: K, value: BatchValues[K]) =>
    setValues((previous) => ({ ...previous, [key]: value }));
  const close = () => useDialogStore.getState().setBatchDialogOpen(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = buildBatchRequest(values);
    if ('errors' in built) {
      setErrors(built.errors);
      return;
    }
    setBusy(true);
    const result = await submitBatch(built.request);
    setBusy(false);
    if ('error' in result) {
      setErrors(batchErrorFor(result.error, values.kind));
      return;
    }
    useNavigationStore.getState().setDetailTab('batches');
    close();
  };

  return (
    <dialog ref={dialogRef} aria-labelledby="batch-title" className="dialog batch-dialog" onClose={close}>
      <form noValidate onSubmit={(event) => void submit(event)}>
        <h2 id="batch-title">New batch</h2>
        <fieldset className="choice">
          <legend>Run</legend>
          <label>
            <input type="radio" name="batchKind" checked={values.kind === 'lines'} onChange={() => update('kind', 'lines')} />
            One per line
          </label>
          <label>
            <input type="radio" name="batchKind" checked={values.kind === 'template'} onChange={() => update('kind', 'template')} />
            Template over inputs
          </label>
        </fieldset>

        {values.kind === 'lines' ? (
          <>
            <TextAreaField
              id="batch-lines"
              label="Commands"
              className="mono"
              rows={7}
              spellCheck={false}
              autoFocus
              placeholder={'one shell command per line\n# comments and blank lines are skipped'}
              value={values.lines}
              onChange={(lines) => update('lines', lines)}
              error={errors.lines}
              errorId={errorId('lines')}
            />
          </>
        ) : (
          <>
            <TextField
              id="batch-template"
              label="Template"
              className="mono"
              autoComplete="off"
              spellCheck={false}
              autoFocus
              placeholder="gzip -k {}"
              title="{} is replaced by each input, shell-quoted"
              value={values.template}
              onChange={(template) => update('template', template)}
              error={errors.template}
              errorId={errorId('template')}
            />
            <TextAreaField
              id="batch-inputs"
              label="Inputs"
              className="mono"
              rows={6}
              spellCheck={false}
              placeholder="one input per line"
              value={values.inputs}
              onChange={(inputs) => update('inputs', inputs)}
              error={errors.inputs}
              errorId={errorId('inputs')}
            />
          </>
        )}

        <div className="batch-fields">
          <div>
            <TextField
              id="batch-limit"
              label="Concurrency limit"
              type="number"
              min={1}
              step={1}
              placeholder="global limit"
              value={values.limit}
              onChange={(limit) => update('limit', limit)}
              error={errors.limit}
              errorId={errorId('limit')}
            />
          </div>
          <div>
            <TextField
              id="batch-group"
              label="Group"
              autoComplete="off"
              placeholder="its own"
              value={values.group}
              onChange={(group) => update('group', group)}
              error={errors.group}
              errorId={errorId('group')}
            />
          </div>
          <div>
            <TextField
              id="batch-name"
              label="Batch name"
              autoComplete="off"
              placeholder="optional"
              value={values.name}
              onChange={(name) => update('name', name)}
              error={errors.name}
              errorId={errorId('name')}
            />
          </div>
          <div>
            <TextField
              id="batch-timeout"
              label="Timeout per item (s)"
              type="number"
              min={0}
              step="any"
              placeholder="none"
              value={values.timeout}
              onChange={(timeout) => update('timeout', timeout)}
              error={errors.timeout}
              errorId={errorId('timeout')}
            />
          </div>
        </div>
        <TextField
          id="batch-cwd"
          label="Working directory"
          className="mono"
          autoComplete="off"
          spellCheck={false}
          placeholder="optional"
          value={values.cwd}
          onChange={(cwd) => update('cwd', cwd)}
          error={errors.cwd}
          errorId={errorId('cwd')}
        />

        <FieldMessage id={errorId('form')} message={errors.form} />
        <div className="dialog-buttons">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Submit batch
          </button>
        </div>
      </form>
    </dialog>
  );
}
