import { useState, type FormEvent } from 'react';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { reniceJob } from '../jobs/jobCommands';

/** Renice a running job's whole tree. Remounted (by key) when the nice value in force changes. */
export function NiceControl({ job }: { job: JobSnapshot }) {
  const [value, setValue] = useState(String(job.niceInForce ?? 0));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const apply = async (event: FormEvent) => {
    event.preventDefault();
    const nice = Number(value);
    if (value.trim() === '' || !Number.isInteger(nice)) {
      setError('enter nice as a whole number from -20 to 19');
      return;
    }
    setBusy(true);
    const failure = await reniceJob(job.id, nice);
    setBusy(false);
    setError(failure ?? '');
  };

  return (
    <form className="nice-control" onSubmit={(event) => void apply(event)}>
      <label htmlFor="cpu-nice">Nice</label>
      <input
        id="cpu-nice"
        type="number"
        min={-20}
        max={19}
        step={1}
        title="-20 (most favoured) to 19 (nicest); lowering it needs root"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        aria-invalid={error !== ''}
        aria-describedby={error ? 'cpu-nice-error' : undefined}
      />
      <button type="submit" disabled={busy}>
        Apply nice
      </button>
      <span className="muted">in force: {job.niceInForce ?? 'unknown'}</span>
      {error && (
        <p id="cpu-nice-error" role="alert" className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}
