import './isolation.css';
import { useJobsStore } from '../../stores/jobsStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { LEVEL_LABELS } from './isolationForm';
import { jobIsolationLevel, limitEndReason } from './jobIsolation';
import { LimitsTable } from './LimitsTable';
import { RunTrackingInfo } from './RunTrackingInfo';

/** The selected job's isolation: the limits in force for its latest run, and the limit that ended it. */
export function JobLimitsPanel() {
  const jobId = useSelectionStore((state) => state.selectedJobId);
  const snapshot = useJobsStore((state) => (jobId === null ? undefined : state.jobs[jobId]));

  if (!snapshot) {
    return (
      <section className="job-limits" aria-label="Job limits">
        <p className="empty-note">Select a job to see the limits it runs under.</p>
      </section>
    );
  }
  const level = jobIsolationLevel(snapshot);
  const report = snapshot.isolation;
  const ended = limitEndReason(snapshot);
  return (
    <section className="job-limits" aria-label="Job limits">
      <h3>
        {level === undefined ? 'Isolation: the default in Settings' : `Isolation: ${LEVEL_LABELS[level]}`}
      </h3>
      <RunTrackingInfo job={snapshot} />
      {ended && (
        <p className="limit-ended">
          Ended by a limit: {ended}
        </p>
      )}
      {!report ? (
        <p className="muted">{snapshot.runCount === 0 ? 'Not started yet: the limits are fixed when it starts.' : 'No isolation report for this run.'}</p>
      ) : report.limits.length === 0 ? (
        <p className="muted">No limits: it ran with Procdeck&apos;s rights, environment and network.</p>
      ) : (
        <LimitsTable limits={report.limits} label="Limits in force for the selected job" wide />
      )}
      {report && report.warnings.length > 0 && (
        <ul className="limit-warnings" aria-label="Warnings">
          {report.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
