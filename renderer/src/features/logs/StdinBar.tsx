import { useState, type FormEvent } from 'react';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { closeStdin, writeStdin } from '../jobs/jobCommands';

/** One line to the job's stdin per Send; the newline is added here, as a terminal would. */
export function StdinBar({ job }: { job: JobSnapshot | undefined }) {
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const open = job?.stdinOpen === true;

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!job) return;
    const failure = await writeStdin(job.id, `${text}\n`);
    setError(failure ?? '');
    if (failure === null) setText('');
  };

  return (
    <form className="stdin-bar" onSubmit={(event) => void send(event)}>
      <label htmlFor="stdin-input">Input</label>
      <input
        id="stdin-input"
        className="mono"
        type="text"
        autoComplete="off"
        spellCheck={false}
        placeholder={!job ? '' : open ? 'a line for stdin' : 'stdin is closed'}
        disabled={!open}
        value={text}
        onChange={(event) => setText(event.target.value)}
        aria-invalid={error !== ''}
        aria-describedby={error ? 'stdin-error' : undefined}
      />
      <button type="submit" disabled={!open}>
        Send
      </button>
      <button type="button" disabled={!open} onClick={() => job && void closeStdin(job.id)}>
        Close stdin
      </button>
      {error && (
        <p id="stdin-error" role="alert" className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}
