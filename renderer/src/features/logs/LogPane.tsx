import { useMemo } from 'react';
import { isActive } from '../../../../shared/jobState';
import type { CommandResponse } from '../../../../shared/contract';
import { useJobsStore } from '../../stores/jobsStore';
import { useLogsStore } from '../../stores/logsStore';
import { useLogViewStore, type StreamFilter } from '../../stores/logViewStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { visibleLines, type LogLine } from '../../lib/logText';
import { LogToolbar } from './LogToolbar';
import { LogView } from './LogView';
import { PastRunBar } from './PastRunBar';
import { describeSearchCoverage } from './searchCoverage';
import { StdinBar } from './StdinBar';
import { useLogLines } from './useLogLines';
import { useWholeLogSearch } from './useWholeLogSearch';

export function LogPane() {
  const selectedJobId = useSelectionStore((state) => state.selectedJobId);
  const query = useLogViewStore((state) => state.applied);
  const problem = useLogViewStore((state) => state.searchProblem);
  const streams = useLogViewStore((state) => state.streams);
  const job = useJobsStore((state) => (selectedJobId === null ? undefined : state.jobs[selectedJobId]));
  const log = useLogsStore((state) => (selectedJobId === null ? undefined : state.logs[selectedJobId]));
  const { search: whole, again: searchAgain } = useWholeLogSearch(job?.id, log, query);
  const held = useLogLines(log, query, streams);
  const found = useMemo(() => (whole?.status === 'done' ? matchLines(whole.result.matches, streams) : undefined), [whole, streams]);
  const lines = found ?? held;
  const narrowed = query.text !== '' || streams !== 'all';

  return (
    <section className="log-pane" aria-label="Log">
      <div className="panel-toolbar">
        <h2 className="log-title" title={job?.name}>
          {job ? job.name : 'Log'}
        </h2>
        <LogToolbar disabled={!job} />
        <span className="muted">{log?.status === 'ready' && `${narrowed ? `${lines.length} shown · ` : ''}${log.lines.length} lines${found ? ' held' : ''}`}</span>
      </div>
      {job && problem && (
        <p className="log-search-problem" role="alert">
          Not searched: {problem}. {query.text === '' ? 'Nothing is filtered out.' : 'The results of the previous search stay.'}
        </p>
      )}
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
          {log?.pastRun && <PastRunBar jobId={job.id} run={log.pastRun} />}
          {log && query.text ? (
            <div className="log-coverage">
              <span role="status">{describeSearchCoverage(log, visibleLines(log).length, whole)}</span>
              {whole?.status === 'done' && !log.pastRun && isActive(job.state) && (
                <button type="button" onClick={searchAgain} title="The job is still writing: output since this search is not in it">
                  Search again
                </button>
              )}
            </div>
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

/** A whole-log search's matches as lines of the view, numbered as in the file; ids grow with the numbers. */
function matchLines(matches: CommandResponse<'logs.search'>['matches'], streams: StreamFilter): LogLine[] {
  const shown = streams === 'all' ? matches : matches.filter((match) => match.stream === streams);
  return shown.map((match) => ({ id: match.line, stream: match.stream, text: match.clipped ? `${match.text}…` : match.text, lineNumber: match.line }));
}
