import { isActive } from '../../../../shared/jobState';
import { useJobsStore } from '../../stores/jobsStore';
import { LeakBadge } from '../alerts/LeakBadge';
import { JobAlertsSection } from './JobAlertsSection';
import { ProcessTreeTable } from './ProcessTreeTable';
import { RunMetricsList } from './RunMetricsList';
import { useProcessTree } from './useProcessTree';
import './monitor.css';
import { useSelectionStore } from '../../stores/selectionStore';

/** The selected job in depth: its process tree while it runs, its run's totals once it ends, its alert rules. */
export function JobMonitorPanel() {
  const selectedJobId = useSelectionStore((state) => state.selectedJobId);
  const job = useJobsStore((state) => (selectedJobId === null ? undefined : state.jobs[selectedJobId]));
  const running = job !== undefined && isActive(job.state) && job.pid !== undefined;
  const tree = useProcessTree(job?.id ?? '', running);

  if (!job) {
    return (
      <section className="job-monitor" aria-label="Monitor">
        <p className="empty-note">Select a job to see its process tree, run metrics and alert rules.</p>
      </section>
    );
  }
  const ended = job.endedAt !== undefined && !isActive(job.state);
  return (
    <section className="job-monitor" aria-label="Monitor">
      <LeakBadge subjectId={job.id} />
      {running && (
        <section className="monitor-section" aria-label="Processes of the job">
          <h3>Process tree</h3>
          {tree?.tree ? (
            <ProcessTreeTable tree={tree.tree} />
          ) : (
            <p className="muted">{tree?.error ?? (tree ? 'Not sampled yet.' : 'Loading…')}</p>
          )}
        </section>
      )}
      {ended && (
        <section className="monitor-section" aria-label="Run metrics">
          <h3>Run metrics</h3>
          <RunMetricsList subjectId={job.id} runKey={`${job.runId ?? ''}:${job.endedAt}`} />
        </section>
      )}
      {!running && !ended && <p className="muted monitor-note">The job has not started yet.</p>}
      <JobAlertsSection jobId={job.id} specRules={job.spec.alerts} />
    </section>
  );
}
