import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useUiStore } from '../../stores/uiStore';
import { errorProps, FieldMessage } from '../launch/FieldMessage';
import { submitBatch } from './batchCommands';
import { batchErrorFor, buildBatchRequest, emptyBatch, type BatchErrors, type BatchValues } from './batchForm';

const errorId = (field: keyof BatchErrors) => `batch-${field}-error`;

/** Many commands at once: pasted lines, or a template run over inputs, through a pool with its own limit. */
export function BatchDialog() {
  const open = useUiStore((state) => state.batchDialogOpen);
  return open ? <BatchDialogBody /> : null;
}

function BatchDialogBody() {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cores = useUiStore((state) => state.engineInfo?.cores);
  const [values, setValues] = useState<BatchValues>(() => emptyBatch(cores ? String(cores) : ''));
  const [errors, setErrors] = useState<BatchErrors>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const update = <K extends keyof BatchValues>(key: K, value: BatchValues[K]) =>
    setValues((previous) => ({ ...previous, [key]: value }));
  const close = () => useUiStore.getState().setBatchDialogOpen(false);

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
    useUiStore.getState().setDetailTab('batches');
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
            <label htmlFor="batch-lines">Commands</label>
            <textarea
              id="batch-lines"
              className="mono"
              rows={7}
              spellCheck={false}
              autoFocus
              placeholder={'one shell command per line\n# comments and blank lines are skipped'}
              value={values.lines}
              onChange={(event) => update('lines', event.target.value)}
              {...errorProps(errorId('lines'), errors.lines)}
            />
            <FieldMessage id={errorId('lines')} message={errors.lines} />
          </>
        ) : (
          <>
            <label htmlFor="batch-template">Template</label>
            <input
              id="batch-template"
              className="mono"
              type="text"
              autoComplete="off"
              spellCheck={false}
              autoFocus
              placeholder="gzip -k {}"
              title="{} is replaced by each input, shell-quoted"
              value={values.template}
              onChange={(event) => update('template', event.target.value)}
              {...errorProps(errorId('template'), errors.template)}
            />
            <FieldMessage id={errorId('template')} message={errors.template} />
            <label htmlFor="batch-inputs">Inputs</label>
            <textarea
              id="batch-inputs"
              className="mono"
              rows={6}
              spellCheck={false}
              placeholder="one input per line"
              value={values.inputs}
              onChange={(event) => update('inputs', event.target.value)}
              {...errorProps(errorId('inputs'), errors.inputs)}
            />
            <FieldMessage id={errorId('inputs')} message={errors.inputs} />
          </>
        )}

        <div className="batch-fields">
          <div>
            <label htmlFor="batch-limit">Concurrency limit</label>
            <input
              id="batch-limit"
              type="number"
              min={1}
              step={1}
              placeholder="global limit"
              value={values.limit}
              onChange={(event) => update('limit', event.target.value)}
              {...errorProps(errorId('limit'), errors.limit)}
            />
            <FieldMessage id={errorId('limit')} message={errors.limit} />
          </div>
          <div>
            <label htmlFor="batch-group">Group</label>
            <input
              id="batch-group"
              type="text"
              autoComplete="off"
              placeholder="its own"
              value={values.group}
              onChange={(event) => update('group', event.target.value)}
              {...errorProps(errorId('group'), errors.group)}
            />
            <FieldMessage id={errorId('group')} message={errors.group} />
          </div>
          <div>
            <label htmlFor="batch-name">Batch name</label>
            <input
              id="batch-name"
              type="text"
              autoComplete="off"
              placeholder="optional"
              value={values.name}
              onChange={(event) => update('name', event.target.value)}
              {...errorProps(errorId('name'), errors.name)}
            />
            <FieldMessage id={errorId('name')} message={errors.name} />
          </div>
          <div>
            <label htmlFor="batch-timeout">Timeout per item (s)</label>
            <input
              id="batch-timeout"
              type="number"
              min={0}
              step="any"
              placeholder="none"
              value={values.timeout}
              onChange={(event) => update('timeout', event.target.value)}
              {...errorProps(errorId('timeout'), errors.timeout)}
            />
            <FieldMessage id={errorId('timeout')} message={errors.timeout} />
          </div>
        </div>
        <label htmlFor="batch-cwd">Working directory</label>
        <input
          id="batch-cwd"
          className="mono"
          type="text"
          autoComplete="off"
          spellCheck={false}
          placeholder="optional"
          value={values.cwd}
          onChange={(event) => update('cwd', event.target.value)}
          {...errorProps(errorId('cwd'), errors.cwd)}
        />
        <FieldMessage id={errorId('cwd')} message={errors.cwd} />

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
