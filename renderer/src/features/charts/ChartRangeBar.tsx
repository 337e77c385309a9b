import type { HistoryRange } from '../../../../shared/monitoring';
import { useChartRangeStore } from '../../stores/chartRangeStore';
import { useJobsStore } from '../../stores/jobsStore';
import { LeakBadge } from '../alerts/LeakBadge';
import { csvFileName, exportCsv } from './csvExport';
import '../monitor/monitor.css';

const RANGES: readonly { range: HistoryRange; label: string }[] = [
  { range: '1m', label: '1 min' },
  { range: '15m', label: '15 min' },
  { range: '1h', label: '1 h' },
  { range: 'run', label: 'Whole run' },
];

/** Time range of the selected job's charts, its leak badge when the detector flags it, and CSV export. */
export function ChartRangeBar({ jobId }: { jobId: string }) {
  const range = useChartRangeStore((state) => state.range);
  const job = useJobsStore((state) => state.jobs[jobId]);
  return (
    <div className="chart-range-bar">
      <div role="radiogroup" aria-label="Chart range" className="range-choices">
        {RANGES.map((entry) => (
          <label key={entry.range} className="range-choice">
            <input
              type="radio"
              name="chart-range"
              value={entry.range}
              checked={range === entry.range}
              onChange={() => useChartRangeStore.getState().setRange(entry.range)}
            />
            {entry.label}
          </label>
        ))}
      </div>
      <span className="spacer" />
      <LeakBadge subjectId={jobId} />
      <button
        type="button"
        disabled={job?.startedAt === undefined}
        title="Every sample of the latest run as CSV: time, CPU %, memory, processes"
        onClick={() => void exportCsv(jobId, csvFileName(`${job?.name ?? jobId}-run-${job?.runCount ?? 0}`))}
      >
        Export CSV
      </button>
    </div>
  );
}
