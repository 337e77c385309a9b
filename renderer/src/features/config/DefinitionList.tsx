import { useMemo } from 'react';
import { describeCommand } from '../../../../shared/jobSpec';
import { useJobsStore } from '../../stores/jobsStore';

interface Props {
  busy: boolean;
  /** Sets the definition's autostart in the file in force (config.setAutostart), then shows the outcome. */
  onSet(name: string, autostart: boolean): void;
  /** Opens the launch form on the definition (its declared job), to edit and save it back. */
  onEdit(jobId: string): void;
}

/**
 * The definitions in force: each with its command, whether it starts with Procdeck (a change
 * edits the file and applies it), and Edit, which fills the launch form with it.
 */
export function DefinitionList({ busy, onSet, onEdit }: Props) {
  const jobs = useJobsStore((state) => state.jobs);
  const definitions = useMemo(
    () =>
      Object.values(jobs)
        .flatMap((job) => (job.declared ? [{ jobId: job.id, declared: job.declared, command: describeCommand(job.spec.command) }] : []))
        .sort((a, b) => a.declared.name.localeCompare(b.declared.name)),
    [jobs],
  );
  if (definitions.length === 0) return null;
  return (
    <fieldset className="config-section">
      <legend>Definitions in force: tick to start with Procdeck (autostart)</legend>
      <ul className="config-autostart">
        {definitions.map(({ jobId, declared, command }) => (
          <li key={declared.name}>
            <label className="check">
              <input type="checkbox" disabled={busy} checked={declared.autostart ?? false} onChange={(event) => onSet(declared.name, event.target.checked)} />
              {declared.name}
            </label>
            <code className="config-command" title={command}>
              {command}
            </code>
            <button type="button" className="quiet" disabled={busy} onClick={() => onEdit(jobId)}>
              Edit<span className="visually-hidden"> {declared.name}</span>
            </button>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
