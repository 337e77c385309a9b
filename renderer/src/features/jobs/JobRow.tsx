import { memo } from 'react';
import { formatBytes, formatDuration, formatPercentNumber } from '../../../../shared/format';
import type { JobSample, JobSnapshot } from '../../../../shared/jobSnapshot';
import { describeCommand } from '../../../../shared/jobSpec';
import { isFinal, type JobState } from '../../../../shared/jobState';
import { selectJob } from '../../app/selection';
import { formatClock } from '../../lib/clock';
import { useConnected } from '../../stores/hostStore';
import { IsolationBadge } from '../isolation/IsolationBadge';
import { limitEndReason } from '../isolation/jobIsolation';
import { JobActions } from './JobActions';
import { describeRestarts, describeState, explainRestarts, stateTone } from './jobState';
import { Sparkline } from './Sparkline';

interface JobRowProps {
  job: JobSnapshot;
  sample: JobSample | undefined;
  /** Place in the pool's queue while queued. */
  queuePosition: number | undefined;
  trend: readonly number[] | undefined;
  selected: boolean;
  /** 1-based row index within the whole grid (the header row is 1). */
  rowIndex: number;
  /** Host clock of the latest sample tick for live jobs (0 otherwise, so ended rows stay memoised). */
  now: number;
  /** The host's current day (Date.toDateString), to show a date only for older starts. */
  today: string;
  /** Offset of the row within the grid body, in pixels. */
  top: number;
}

/** States the label alone does not explain; for the others the reason is in the tooltip. */
const REASON_SHOWN: ReadonlySet<JobState> = new Set(['failed-to-start', 'skipped', 'crash-looping']);

function durationOf(job: JobSnapshot, now: number): string {
  if (job.startedAt === undefined) return '';
  const end = job.endedAt ?? (now > 0 ? now : undefined);
  return end === undefined ? '' : formatDuration(end - job.startedAt);
}

/**
 * One row: the positioned shell and its cells apart, so a row that only moves (a new job
 * above it, a scroll) updates one style attribute instead of re-rendering its cells.
 */
export const JobRow = memo(function JobRow({ selected, rowIndex, top, ...cells }: JobRowProps) {
  const { job } = cells;
  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      aria-selected={selected}
      className="jobs-row"
      data-job-id={job.id}
      data-state={job.state}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => selectJob(job.id)}
    >
      <JobCells {...cells} />
    </div>
  );
});

type JobCellsProps = Omit<JobRowProps, 'selected' | 'rowIndex' | 'top'>;

const JobCells = memo(function JobCells({ job, sample, queuePosition, trend, now, today }: JobCellsProps) {
  const command = describeCommand(job.spec.command);
  // Disconnected, any job may have changed since (ended, been stopped or restarted from the CLI).
  const unknown = !useConnected();
  const lastSeen = describeState(job, queuePosition);
  const state = unknown ? 'unknown' : lastSeen;
  const live = sample && !isFinal(job.state) && !unknown;
  const startedAt = job.startedAt ?? job.queuedAt;
  // A limit that ended the run is named in the row, not only in the tooltip.
  const limitReason = limitEndReason(job);
  const reasonShown = job.reason !== undefined && (REASON_SHOWN.has(job.state) || limitReason !== undefined);
  const restarts = describeRestarts(job);
  const stateTitle = unknown
    ? `Not connected to the host: the last state it reported was ${lastSeen}`
    : [job.reason, explainRestarts(job)].filter(Boolean).join('\n') || undefined;
  return (
    <>
      <div role="gridcell" className="cell-job" title={command}>
        <span className="job-name">
          <IsolationBadge job={job} />
          {job.name}
        </span>
        {job.name !== command && <span className="job-command">{command}</span>}
      </div>
      <div role="gridcell" className="cell-state" data-tone={unknown ? 'idle' : stateTone(job)} title={stateTitle}>
        <span className="state-label">{state}</span>
        {unknown ? null : reasonShown ? (
          <span className="state-reason" data-limit={limitReason !== undefined}>
            {job.reason}
          </span>
        ) : (
          restarts && <span className="restart-badge">{restarts}</span>
        )}
      </div>
      <div role="gridcell" className="numeric">
        {job.pid ?? ''}
      </div>
      <div role="gridcell" className="numeric">
        {live ? formatPercentNumber(sample.cpu) : ''}
      </div>
      <div role="gridcell" className="numeric">
        {live ? formatBytes(sample.rss) : ''}
      </div>
      <div role="gridcell" className="cell-started" title={new Date(startedAt).toLocaleString()}>
        <span>{formatClock(startedAt, today)}</span>
        <span className="duration">{durationOf(job, now)}</span>
      </div>
      <div role="gridcell">
        <Sparkline values={trend} />
      </div>
      <div role="gridcell">
        <JobActions job={job} />
      </div>
    </>
  );
});
