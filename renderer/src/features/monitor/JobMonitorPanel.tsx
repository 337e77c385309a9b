import { isActive } from '../../../../shared/jobState';
import { useJobsStore } from '../../stores/jobsStore';
import { LeakBadge } from '../alerts/LeakBadge';
import { JobAlertsSection } from './JobAlertsSection';
import { ProbeResultsSection } from './ProbeResultsSection';
import { ProcessTreeTable } from './ProcessTreeTable';
import { RunMetricsList } from './RunMetricsList';
import { useProcessTree } from './useProcessTree';
import './monitor.css';
import { useSelectionStore } from '../../stores/selectionStore';
import { useHostStore } from '../../stores/hostStore';
import { formatClock } from '../../lib/clock';
import { describeJobState } from '../../../../shared/jobStateText';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';

/** The selected job in depth: a declared service's health and last probe results, its process tree while it runs, its run's totals once it ends, its alert rules. */
export function JobMonitorPanel() {
  const selectedJobId = useSelectionStore((state) => state.selectedJobId);
  const job = useJobsStore((state) => (selectedJobId === null ? undefined : state.jobs[selectedJobId]));
  const running = job !== undefined && isActive(job.state) && job.pid !== undefined;
  const tree = useProcessTree(job?.id ?? '', running);
  const engineStartedAt = useHostStore((state) => state.engineInfo?.startedAt);

  if (!job) {
    return (
      <section className="job-monitor" aria-label="Monitor">
        <p className="empty-note">Select a job to see its process tree, run metrics and alert rules.</p>
      </section>
    );
  }
  // A run that started before this engine did ran under an earlier Procdeck: nothing of it is live here.
  const earlier = !running && job.startedAt !== undefined && engineStartedAt !== undefined && job.startedAt < engineStartedAt;
  const ended = job.endedAt !== undefined && !isActive(job.state) && !earlier;
  return (
    <section className="job-monitor" aria-label="Monitor">
      <LeakBadge subjectId={job.id} />
      {job.health && <ProbeResultsSection health={job.health} />}
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
      {!running && !ended && <p className="muted monitor-note">{notRunningNote(job, earlier ? engineStartedAt : undefined)}</p>}
      <JobAlertsSection jobId={job.id} specRules={job.spec.alerts} />
    </section>
  );
}

/** What is true of a job with neither a live process tree nor run metrics of this engine's to show. */
function notRunningNote(job: JobSnapshot, restartedAt: number | undefined): string {
  const today = new Date().toDateString();
  if (restartedAt !== undefined && job.startedAt !== undefined) {
    return `Its last run started at ${formatClock(job.startedAt, today)}, before Procdeck restarted at ${formatClock(restartedAt, today)}, and ended: ${describeJobState(job)}. Run metrics are kept only while Procdeck runs, so there are none for that run; its output is in the Log.`;
  }
  if (job.state === 'queued') return 'The job is queued: it has not started yet.';
  if (job.startedAt === undefined && job.runCount === 0) return job.reason ? `The job never ran: ${job.reason}.` : 'The job has not started yet.';
  return `The job is ${describeJobState(job)}.`;
}
