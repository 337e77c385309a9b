import { isFinal } from '../../../../shared/jobState';
import { FilterInput } from '../../components/FilterInput';
import { useJobsStore } from '../../stores/jobsStore';
import { useJobTableStore } from '../../stores/jobTableStore';
import { useNavigationStore } from '../../stores/navigationStore';
import { LAUNCH_PANEL_ID } from '../launch/LaunchPanel';
import { BulkBar } from './BulkBar';
import { runBulk } from './bulkCommands';
import { shownJobs, type GridRow } from './gridRows';

export const JOB_FILTER_ID = 'job-filter';

interface JobsToolbarProps {
  rows: readonly GridRow[];
  /** The launch form is folded away behind a "New job" button. */
  launchFolded: boolean;
  offline: boolean;
}

/** The grid's heading, filter, order and clean-up, and (once several jobs are selected) what to do to all of them. */
export function JobsToolbar({ rows, launchFolded, offline }: JobsToolbarProps) {
  const loaded = useJobsStore((state) => state.loaded);
  const totalJobs = useJobsStore((state) => Object.keys(state.jobs).length);
  const filter = useJobTableStore((state) => state.filter);
  const liveFirst = useJobTableStore((state) => state.sort.column === 'live');
  const launchOpen = useNavigationStore((state) => state.launchFormOpen);
  const jobs = shownJobs(rows);
  const shown = jobs.length;
  const finished = jobs.filter((job) => isFinal(job.state));

  return (
    <>
      <div className="panel-toolbar jobs-toolbar">
        <h2>Jobs</h2>
        <FilterInput id={JOB_FILTER_ID} label="Filter jobs" placeholder="Filter jobs  ( / )" value={filter} onChange={useJobTableStore.getState().setFilter} />
        <span className="muted" aria-live="polite">
          {!loaded ? '' : shown === totalJobs ? `${totalJobs} jobs` : `${shown} of ${totalJobs} jobs`}
        </span>
        <span className="spacer" />
        <button
          type="button"
          aria-pressed={liveFirst}
          title="Live jobs on top, then queued, then finished, newest first in each (a column's header sorts by that column)"
          onClick={useJobTableStore.getState().sortLiveFirst}
        >
          Live first
        </button>
        <button
          type="button"
          disabled={offline || finished.length === 0}
          title={finished.length === 0 ? 'No finished job is shown' : `Remove the ${finished.length} finished job(s) shown from the list`}
          onClick={() => void runBulk('remove', finished.map((job) => job.id), 'Clear finished')}
        >
          Clear finished
        </button>
        {launchFolded && (
          <button
            type="button"
            className="primary"
            aria-expanded={launchOpen}
            aria-controls={LAUNCH_PANEL_ID}
            onClick={() => useNavigationStore.getState().setLaunchFormOpen(!launchOpen)}
          >
            New job
          </button>
        )}
      </div>
      <BulkBar offline={offline} />
    </>
  );
}
