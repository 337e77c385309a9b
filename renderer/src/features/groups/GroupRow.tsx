import { memo, useState, type FormEvent } from 'react';
import { updateGroup } from './groupCommands';
import type { GroupRowData } from './useGroups';

/** One pool group: counts, its limit (empty: only the global limit) and pause/resume of its queue. */
export const GroupRow = memo(function GroupRow({ group }: { group: GroupRowData }) {
  const [limit, setLimit] = useState(group.limit === undefined ? '' : String(group.limit));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const errorId = `group-${group.name}-error`;

  const run = async (change: { limit?: number | null; paused?: boolean }) => {
    setBusy(true);
    const failure = await updateGroup({ name: group.name, ...change });
    setBusy(false);
    setError(failure ?? '');
  };

  const submitLimit = (event: FormEvent) => {
    event.preventDefault();
    const text = limit.trim();
    const value = Number(text);
    if (text !== '' && !Number.isInteger(value)) {
      setError('enter the limit as a whole number, or leave it empty for none');
      return;
    }
    void run({ limit: text === '' ? null : value });
  };

  return (
    <tr data-paused={group.paused}>
      <th scope="row" title={group.batchName ? `Batch: ${group.batchName}` : undefined}>
        <span className="group-name">{group.name}</span>
        {group.batchName && <span className="group-batch muted">{group.batchName}</span>}
        {group.paused && <span className="group-paused">queue paused</span>}
      </th>
      <td className="numeric">{group.running}</td>
      <td className="numeric">{group.queued}</td>
      <td>
        <form className="group-limit" onSubmit={submitLimit}>
          <input
            type="number"
            min={1}
            step={1}
            aria-label={`Limit of ${group.name}`}
            placeholder="none"
            value={limit}
            onChange={(event) => setLimit(event.target.value)}
            aria-invalid={error !== ''}
            aria-describedby={error ? errorId : undefined}
          />
          <button type="submit" disabled={busy}>
            Set limit
          </button>
        </form>
        {error && (
          <p id={errorId} role="alert" className="field-error">
            {error}
          </p>
        )}
      </td>
      <td>
        <button type="button" disabled={busy} onClick={() => void run({ paused: !group.paused })}>
          {group.paused ? 'Resume queue' : 'Pause queue'}
        </button>
      </td>
    </tr>
  );
});
