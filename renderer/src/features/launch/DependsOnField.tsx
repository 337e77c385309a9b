import { useMemo } from 'react';
import { useJobsStore } from '../../stores/jobsStore';
import { errorProps, FieldMessage } from '../../components/FieldMessage';
import { errorIdOf } from './fieldIds';
import { describeJobState } from '../../../../shared/jobStateText';

interface DependsOnFieldProps {
  value: readonly string[];
  error: string | undefined;
  onChange(jobIds: string[]): void;
}

/** Enough to pick from without rebuilding thousands of options on every job event. */
const MAX_CHOICES = 300;

/** Jobs that must exit 0 first, picked by name (newest first); a failure skips this job. */
export function DependsOnField({ value, error, onChange }: DependsOnFieldProps) {
  const jobs = useJobsStore((state) => state.jobs);
  const choices = useMemo(() => {
    const newest = Object.values(jobs).sort((a, b) => b.queuedAt - a.queuedAt || (a.id < b.id ? -1 : 1));
    // Jobs already picked stay listed even when older than the newest few hundred.
    return newest.filter((job, index) => index < MAX_CHOICES || value.includes(job.id));
  }, [jobs, value]);
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
            {job.name} ({describeJobState(job)})
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
