import { formatBytes, formatDuration, formatPercent } from '../../../../shared/format';
import { describeJobState } from '../../../../shared/jobStateText';
import type { RunRecord } from '../../../../shared/run';
import { showRun } from '../../app/selection';
import { formatClock } from '../../lib/clock';
import { useJobsStore } from '../../stores/jobsStore';
import { useLogsStore } from '../../stores/logsStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { useRunHistory } from './useRunHistory';
import './runs.css';

/** The selected job's runs, newest first; choosing one shows its log in the log pane. */
export function RunsPanel() {
  const selectedJobId = useSelectionStore((state) => state.selectedJobId);
  const job = useJobsStore((state) => (selectedJobId === null ? undefined : state.jobs[selectedJobId]));
  const shownRun = useLogsStore((state) => (selectedJobId === null ? undefined : state.logs[selectedJobId]?.pastRun?.number));
  const history = useRunHistory(job);

  if (!job) {
    return (
      <section className="runs-panel" aria-label="Runs">
        <p className="empty-note">Select a job to see its runs.</p>
      </section>
    );
  }
  const today = new Date().toDateString();
  const runs = history?.runs ?? [];
  return (
    <section className="runs-panel" aria-label="Runs">
      {!history ? (
        <p className="muted">Loading runs…</p>
      ) : history.error ? (
        <p className="field-error" role="alert">
          Could not load the runs: {history.error}
        </p>
      ) : runs.length === 0 ? (
        <p className="muted">{job.name} has not run yet.</p>
      ) : (
        <table className="runs-table" aria-label={`Runs of ${job.name}`}>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">State</th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Peak CPU</th>
              <th scope="col">Peak memory</th>
              <th scope="col">Output</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run, index) => {
              const latest = index === 0;
              const shown = shownRun === undefined ? latest : shownRun === run.number;
              return (
                <tr key={run.runId} aria-current={shown ? 'true' : undefined}>
                  <td>
                    <button
                      type="button"
                      className="run-open"
                      aria-pressed={shown}
                      aria-label={`Show the log of run #${run.number}${latest ? ' (the latest)' : ''}`}
                      title={shown ? 'Its log is shown' : 'Show its log'}
                      onClick={() => void showRun(job.id, latest ? null : { number: run.number, endedAt: run.endedAt, state: describeJobState(run) })}
                    >
                      #{run.number}
                    </button>
                  </td>
                  <td>{describeJobState(run)}</td>
                  <td>{run.startedAt === undefined ? '' : formatClock(run.startedAt, today)}</td>
                  <td className="numeric">{durationOf(run, history.answeredAt)}</td>
                  <td className="numeric">{run.metrics ? formatPercent(run.metrics.peakCpu) : ''}</td>
                  <td className="numeric">{run.metrics ? formatBytes(run.metrics.peakRss) : ''}</td>
                  <td className="numeric">{formatBytes(run.outputBytes)}</td>
                  <td className="run-reason" title={run.reason}>
                    {run.reason ?? ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A live run's, as of when the list was answered. */
const durationOf = (run: RunRecord, now: number): string => (run.startedAt === undefined ? '' : formatDuration((run.endedAt ?? now) - run.startedAt));
