import { useJobsStore } from '../../stores/jobsStore';
import { useLogsStore } from '../../stores/logsStore';
import { useLogViewStore } from '../../stores/logViewStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { visibleLines } from '../../lib/logText';
import { LogToolbar } from './LogToolbar';
import { LogView } from './LogView';
import { describeSearchCoverage } from './searchCoverage';
import { StdinBar } from './StdinBar';
import { useLogLines } from './useLogLines';

export function LogPane() {
  const selectedJobId = useSelectionStore((state) => state.selectedJobId);
  const search = useLogViewStore((state) => state.search);
  const streams = useLogViewStore((state) => state.streams);
  const job = useJobsStore((state) => (selectedJobId === null ? undefined : state.jobs[selectedJobId]));
  const log = useLogsStore((state) => (selectedJobId === null ? undefined : state.logs[selectedJobId]));
  const lines = useLogLines(log, search, streams);
  const narrowed = search !== '' || streams !== 'all';

  return (
    <section className="log-pane" aria-label="Log">
      <div className="panel-toolbar">
        <h2 className="log-title" title={job?.name}>
          {job ? job.name : 'Log'}
        </h2>
        <LogToolbar disabled={!job} />
        <span className="muted">{log?.status === 'ready' && `${narrowed ? `${lines.length} shown · ` : ''}${log.lines.length} lines`}</span>
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
          {log && search ? (
            <p className="log-coverage" role="status">
              {describeSearchCoverage(log, visibleLines(log).length)}
            </p>
          ) : (
            log?.truncated && <p className="log-truncated">Older output is not shown here; the full log is in {log.filePath ?? 'the job’s log file'}.</p>
          )}
          <LogView lines={lines} label={`Output of ${job.name}`} />
        </>
      )}
      <StdinBar key={job?.id} job={job} />
    </section>
  );
}
