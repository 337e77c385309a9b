import { showRun } from '../../app/selection';
import { formatClock } from '../../lib/clock';
import type { PastRun } from '../../stores/logsStore';

/** Says which past run the pane shows (its live output is not the latest run's), with the way back. */
export function PastRunBar({ jobId, run }: { jobId: string; run: PastRun }) {
  const ended = run.endedAt === undefined ? 'over' : `ended ${formatClock(run.endedAt, new Date().toDateString())}`;
  return (
    <div className="log-run">
      <span role="status">
        Showing run #{run.number}, {ended} ({run.state}): not the latest run.
      </span>
      <button type="button" onClick={() => void showRun(jobId, null)}>
        Back to the latest run
      </button>
    </div>
  );
}
