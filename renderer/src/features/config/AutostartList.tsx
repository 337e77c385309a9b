import { useMemo } from 'react';
import { useJobsStore } from '../../stores/jobsStore';

interface Props {
  busy: boolean;
  /** Sets the definition's autostart in the file in force (config.setAutostart), then shows the outcome. */
  onSet(name: string, autostart: boolean): void;
}

/** The definitions in force, each with whether it starts with Procdeck: a change edits the file and applies it. */
export function AutostartList({ busy, onSet }: Props) {
  const jobs = useJobsStore((state) => state.jobs);
  const definitions = useMemo(
    () =>
      Object.values(jobs)
        .flatMap((job) => (job.declared ? [job.declared] : []))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [jobs],
  );
  if (definitions.length === 0) return null;
  return (
    <fieldset className="config-section">
      <legend>Start with Procdeck (autostart)</legend>
      <ul className="config-autostart">
        {definitions.map((definition) => (
          <li key={definition.name}>
            <label className="check">
              <input type="checkbox" disabled={busy} checked={definition.autostart ?? false} onChange={(event) => onSet(definition.name, event.target.checked)} />
              {definition.name}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
