import { FilterInput } from '../../components/FilterInput';
import { useJobsStore } from '../../stores/jobsStore';
import { useLogsStore } from '../../stores/logsStore';
import { useLogViewStore } from '../../stores/logViewStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { LogView } from './LogView';
import { StdinBar } from './StdinBar';
import { useLogLines } from './useLogLines';

export function LogPane() {
  const selectedJobId = useSelectionStore((state) => state.selectedJobId);
  const follow = useLogViewStore((state) => state.follow);
  const search = useLogViewStore((state) => state.search);
  const job = useJobsStore((state) => (selectedJobId === null ? undefined : state.jobs[selectedJobId]));
  const log = useLogsStore((state) => (selectedJobId === null ? undefined : state.logs[selectedJobId]));
  const lines = useLogLines(log, search);

  return (
    <section className="log-pane" aria-label="Log">
      <div className="panel-toolbar">
        <h2 className="log-title" title={job?.name}>
          {job ? job.name : 'Log'}
        </h2>
        <label className="check">
          <input
            type="checkbox"
            checked={follow}
            onChange={(event) => useLogViewStore.getState().setFollow(event.target.checked)}
          />
          Follow
        </label>
        <FilterInput label="Search log" placeholder="Search log" value={search} disabled={!job} onChange={useLogViewStore.getState().setSearch} />
        <span className="muted">
          {log?.status === 'ready' &&
            `${search ? `${lines.length} matching · ` : ''}${log.lines.length} lines`}
        </span>
      </div>
      {!job ? (
        <p className="empty-note">Select a job to see its output.</p>
      ) : log?.status === 'loading' ? (
        <p className="empty-note">Loading output…</p>
      ) : log?.status === 'error' ? (
        <p className="empty-note" role="alert">
          Could not load the output: {log.error}
        </p>
      ) : (
        <>
          {log?.truncated && !search && (
            <p className="log-truncated">Older output is not shown here; the full log is in the job’s log file.</p>
          )}
          <LogView lines={lines} label={`Output of ${job.name}`} />
        </>
      )}
      <StdinBar key={job?.id} job={job} />
    </section>
  );
}
