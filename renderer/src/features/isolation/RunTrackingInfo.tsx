import type { JobSnapshot } from '../../../../shared/jobSnapshot';

type Tracking = NonNullable<JobSnapshot['tracking']>;

const MECHANISM_LABELS: Record<Tracking['mechanism'], string> = {
  'cgroup-v2': 'cgroup v2',
  'cgroup-v1': 'cgroup v1',
  marker: 'environment marker',
};

const KILL_LABELS: Record<Tracking['kill'], string> = {
  'cgroup.kill': 'all at once, through cgroup.kill',
  freeze: 'frozen first, so none can start another meanwhile',
  loop: 'one by one, listed again until none is left',
};

/** What the mechanism guarantees, in one sentence. */
function explain(tracking: Tracking): string {
  if (tracking.mechanism === 'marker') {
    return `No per-run cgroup here (${tracking.problem ?? 'unavailable'}): the job's processes are found by the ${tracking.where} they inherit, by scanning /proc. One that clears its environment and leaves the job's process group is no longer found.`;
  }
  return `Every process the job starts stays in ${tracking.where}, whatever session or process group it makes; Stop, Kill and the end of the run reach all of them (killed ${KILL_LABELS[tracking.kill]}).`;
}

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
          <strong>Tracked by {MECHANISM_LABELS[tracking.mechanism]}</strong>: {explain(tracking)}
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
