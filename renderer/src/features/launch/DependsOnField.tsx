import { useMemo } from 'react';
import { useJobsStore } from '../../stores/jobsStore';
import { errorProps, FieldMessage } from './FieldMessage';
import { errorIdOf } from './fieldIds';

interface DependsOnFieldProps {
  value: readonly string[];
  error: string | undefined;
  onChange(jobIds: string[]): void;
}

/** Jobs that must exit 0 first, picked by name (newest first); a failure skips this job. */
export function DependsOnField({ value, error, onChange }: DependsOnFieldProps) {
  const jobs = useJobsStore((state) => state.jobs);
  const choices = useMemo(
    () => Object.values(jobs).sort((a, b) => b.queuedAt - a.queuedAt || (a.id < b.id ? -1 : 1)),
    [jobs],
  );
  return (
    <>
      <label htmlFor="launch-depends-on">Depends on</label>
      <select
        id="launch-depends-on"
        multiple
        size={Math.min(4, Math.max(2, choices.length))}
        title="Start only after these jobs exit 0 (Ctrl-click to pick several)"
        value={value as string[]}
        onChange={(event) => onChange([...event.target.selectedOptions].map((option) => option.value))}
        {...errorProps(errorIdOf('dependsOn'), error)}
      >
        {choices.map((job) => (
          <option key={job.id} value={job.id}>
            {job.name} ({job.state})
          </option>
        ))}
      </select>
      {value.length > 0 && (
        <button type="button" className="quiet link-button" onClick={() => onChange([])}>
          Clear dependencies
        </button>
      )}
      <FieldMessage id={errorIdOf('dependsOn')} message={error} />
    </>
  );
}
