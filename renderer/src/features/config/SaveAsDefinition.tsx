import { useMemo, useState } from 'react';
import { toJobName } from '../../../../shared/config/jobName';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { useJobsStore } from '../../stores/jobsStore';
import type { ConfigOutcome } from './configOutcome';

interface Props {
  busy: boolean;
  /** Saves the job's spec as a definition (config.saveDefinition), then shows the outcome. */
  onSave(job: JobSnapshot, options: { name: string; autostart: boolean; replace: boolean }): Promise<ConfigOutcome> | void;
}

/**
 * A job started by clicking kept as a definition of the file in force (or of a new file in the
 * data directory): written without running it, started with Procdeck when autostart is on. A
 * definition of the same name is replaced only when asked (that is how one is edited).
 */
export function SaveAsDefinition({ busy, onSave }: Props) {
  const jobs = useJobsStore((state) => state.jobs);
  const clicked = useMemo(() => Object.values(jobs).filter((job) => !job.declared), [jobs]);
  const declaredNames = useMemo(() => new Set(Object.values(jobs).flatMap((job) => (job.declared ? [job.declared.name] : []))), [jobs]);
  const [jobId, setJobId] = useState('');
  const [name, setName] = useState('');
  const [autostart, setAutostart] = useState(false);
  const [replace, setReplace] = useState(false);
  const job = clicked.find((candidate) => candidate.id === jobId);

  const choose = (id: string) => {
    setJobId(id);
    const chosen = clicked.find((candidate) => candidate.id === id);
    if (chosen) setName(toJobName(chosen.name, declaredNames));
  };

  return (
    <fieldset className="config-section">
      <legend>Save a job as a definition</legend>
      {clicked.length === 0 ? (
        <p className="muted">No job started by clicking is listed.</p>
      ) : (
        <>
          <label htmlFor="config-save-job">Job</label>
          <select id="config-save-job" value={jobId} onChange={(event) => choose(event.target.value)}>
            <option value="">Choose a job…</option>
            {clicked.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name} ({candidate.id})
              </option>
            ))}
          </select>
          <label htmlFor="config-save-name">Definition name</label>
          <input id="config-save-name" className="mono" spellCheck={false} autoComplete="off" value={name} onChange={(event) => setName(event.target.value)} />
          <label className="check">
            <input type="checkbox" checked={autostart} onChange={(event) => setAutostart(event.target.checked)} />
            Start it when Procdeck starts (autostart)
          </label>
          <label className="check">
            <input type="checkbox" checked={replace} onChange={(event) => setReplace(event.target.checked)} />
            Replace a definition of that name
          </label>
          <div className="dialog-buttons">
            <button type="button" disabled={busy || !job || name.trim() === ''} onClick={() => job && void onSave(job, { name: name.trim(), autostart, replace })}>
              Save as definition
            </button>
          </div>
        </>
      )}
    </fieldset>
  );
}
