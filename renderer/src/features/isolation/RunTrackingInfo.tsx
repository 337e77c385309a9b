import type { JobSnapshot } from '../../../../shared/jobSnapshot';

const MECHANISM_LABELS: Record<NonNullable<JobSnapshot['tracking']>['mechanism'], string> = {
  'cgroup-v2': 'cgroup v2',
  'cgroup-v1': 'cgroup v1',
  marker: 'environment marker',
};

/**
 * How the selected job's latest run tracks its processes (wherever they went), and, while it
 * is stopping, which of them are still alive: what a stop or kill is waiting for.
 */
export function RunTrackingInfo({ job }: { job: JobSnapshot }) {
  const tracking = job.tracking;
  const alive = job.state === 'stopping' ? job.stillAlive : undefined;
  if (!tracking && !alive) return null;
  return (
    <section className="run-tracking" aria-label="Process tracking">
      {tracking && (
        <p>
          <strong>Tracked by {MECHANISM_LABELS[tracking.mechanism]}</strong>: {tracking.detail}
        </p>
      )}
      {alive && (
        <div role="status" aria-label="Still alive">
          <p>
            Stopping: {alive.count} process{alive.count === 1 ? '' : 'es'} still alive
            {alive.count > alive.processes.length ? ` (the first ${alive.processes.length} below)` : ''}. Kill ends them at once.
          </p>
          <ul aria-label="Processes still alive">
            {alive.processes.map((p) => (
              <li key={p.pid}>
                <code>{p.pid}</code> {p.command}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
