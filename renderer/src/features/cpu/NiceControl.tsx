import { useState, type FormEvent } from 'react';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { NICE_INPUT, parseNice } from '../../lib/nice';
import { reniceJob } from '../jobs/jobCommands';

/** Renice a running job's whole tree. Remounted (by key) when the nice value in force changes. */
export function NiceControl({ job }: { job: JobSnapshot }) {
  const [value, setValue] = useState(String(job.niceInForce ?? 0));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const apply = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseNice(value);
    if ('error' in parsed) {
      setError(parsed.error);
      return;
    }
    setBusy(true);
    const failure = await reniceJob(job.id, parsed.nice);
    setBusy(false);
    setError(failure ?? '');
  };

  return (
    <form className="nice-control" onSubmit={(event) => void apply(event)}>
      <label htmlFor="cpu-nice">Nice</label>
      <input
        id="cpu-nice"
        {...NICE_INPUT}
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
