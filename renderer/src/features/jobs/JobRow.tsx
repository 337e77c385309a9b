import { memo } from 'react';
import { formatBytes, formatDuration, formatPercentNumber } from '../../../../shared/format';
import type { JobSample, JobSnapshot, SlurmRunInfo } from '../../../../shared/jobSnapshot';
import { describeCommand } from '../../../../shared/jobSpec';
import { isFinal, type JobState } from '../../../../shared/jobState';
import { describeWait } from '../../../../shared/jobWait';
import { formatClock, formatTimeOfDay } from '../../lib/clock';
import { IsolationBadge } from '../isolation/IsolationBadge';
import { limitEndReason } from '../isolation/jobIsolation';
import { cellStop, GridCell } from './GridCell';
import { JobActions } from './JobActions';
import { HealthBadge } from './HealthBadge';
import { describeJobState } from '../../../../shared/jobStateText';
import { describeRestarts, explainRestarts, stateTone } from './jobState';
import { rowActionsFor } from './rowActions';
import { Sparkline } from './Sparkline';

interface JobRowProps {
  job: JobSnapshot;
  sample: JobSample | undefined;
  /** Place in the pool's queue while queued. */
  queuePosition: number | undefined;
  trend: readonly number[] | undefined;
  /** Picked (aria-selected). */
  selected: boolean;
  /** The job whose log and details are shown. */
  current: boolean;
  /** 1 for an item under its expanded batch. */
  depth: 0 | 1;
  /** The grid's tab stop, when it is in this row: a cell ("c0"…) or a control ("stop", "menu"…). */
  activeStop: string | null;
  compact: boolean;
  /** The host is out of reach: the state may be stale, so it reads "unknown" and nothing can be sent. */
  offline: boolean;
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

/** The row's controls that can hold focus: a stop the row no longer has (a disabled Stop) falls back to its first cell. */
function availableStop(job: JobSnapshot, activeStop: string | null, compact: boolean, offline: boolean): string | null {
  if (activeStop === null || cellStop(activeStop)) return activeStop;
  if (compact) return activeStop === 'menu' ? 'menu' : 'c0';
  const enabled = !offline && rowActionsFor(job).some((action) => action.id === activeStop && action.applies(job));
  return enabled ? activeStop : 'c0';
}

/**
 * One row: the positioned shell and its cells apart, so a row that only moves (a new job
 * above it, a scroll) updates one style attribute instead of re-rendering its cells. Clicks
 * and keys are handled by the grid, which knows the other rows.
 */
export const JobRow = memo(function JobRow({ selected, current, rowIndex, top, depth, ...cells }: JobRowProps) {
  const { job } = cells;
  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      aria-selected={selected}
      className="jobs-row"
      data-row-key={job.id}
      data-job-id={job.id}
      data-state={job.state}
      data-current={current || undefined}
      data-depth={depth}
      style={{ transform: `translateY(${top}px)` }}
    >
      <JobCells {...cells} activeStop={availableStop(job, cells.activeStop, cells.compact, cells.offline)} />
    </div>
  );
});

type JobCellsProps = Omit<JobRowProps, 'selected' | 'current' | 'rowIndex' | 'top' | 'depth'>;

const JobCells = memo(function JobCells({ job, sample, queuePosition, trend, now, today, activeStop, compact, offline }: JobCellsProps) {
  const command = describeCommand(job.spec.command);
  const state = offline ? 'unknown' : describeJobState(job, queuePosition);
  const live = sample && !isFinal(job.state) && !offline;
  const startedAt = job.startedAt ?? job.queuedAt;
  const tone = offline ? 'idle' : stateTone(job);
  // A limit that ended the run is named in the row, not only in the tooltip.
  const limitReason = limitEndReason(job);
  const reasonShown = job.reason !== undefined && (REASON_SHOWN.has(job.state) || limitReason !== undefined);
  // A run that failed says why in its row: its last stderr line, without opening its log.
  const stderrShown = !reasonShown && tone === 'bad' && job.state !== 'killed' && job.lastStderrLine !== undefined;
  const restarts = describeRestarts(job);
  // Why a job that waits to start has not: said in its row, from the scheduler's own state.
  const wait = !offline && job.wait ? describeWait(job.wait, formatTimeOfDay) : undefined;
  // A scheduled job says when its schedule starts it next, unless its row has to say why it failed.
  const nextRun = !offline && job.nextRunAt !== undefined ? `next run ${formatClock(job.nextRunAt, today)}` : undefined;
  const nextRunShown = nextRun !== undefined && wait === undefined && !(reasonShown && job.state !== 'skipped');
  const stateTitle = offline
    ? `Not connected to the host: the last state it reported was ${describeJobState(job, queuePosition)}`
    : [wait && `Waiting: ${wait}`, nextRun && `Its schedule starts it next at ${new Date(job.nextRunAt!).toLocaleString()}`, job.reason !== wait && job.reason, explainRestarts(job)]
        .filter(Boolean)
        .join('\n') || undefined;
  const cell = (index: number) => ({ stop: `c${index}`, activeStop });
  return (
    <>
      <GridCell {...cell(0)} className="cell-job" title={stderrShown ? `${command}\nlast line on stderr: ${job.lastStderrLine}` : command}>
        <span className="job-name">
          <IsolationBadge job={job} />
          {job.name}
        </span>
        {/* The widest cell says why a failed run failed; the command is in the tooltip meanwhile. */}
        {stderrShown ? (
          <span className="job-command stderr-line">{job.lastStderrLine}</span>
        ) : (
          job.name !== command && <span className="job-command">{command}</span>
        )}
      </GridCell>
      <GridCell {...cell(1)} className="cell-state" data-tone={tone} title={stateTitle}>
        <span className="state-label">{state}</span>
        <HealthBadge job={job} />
        {wait !== undefined || nextRunShown ? (
          // One line under the state: why it waits or when it runs next, then its restarts (a pending restart has both).
          <span className={`state-reason ${wait !== undefined ? 'state-wait' : 'state-next-run'}`}>
            {wait ?? nextRun}
            {restarts && <span className="restart-badge"> · {restarts}</span>}
          </span>
        ) : reasonShown ? (
          <span className="state-reason" data-limit={limitReason !== undefined}>
            {job.reason}
          </span>
        ) : (
          restarts && <span className="restart-badge">{restarts}</span>
        )}
      </GridCell>
      <GridCell {...cell(2)} className="numeric">
        {job.pid ?? (job.slurm && <span title={slurmPlacement(job.slurm)}>{job.slurm.nodes ?? `#${job.slurm.jobId}`}</span>)}
      </GridCell>
      <GridCell {...cell(3)} className="numeric">
        {live ? formatPercentNumber(sample.cpu) : ''}
      </GridCell>
      <GridCell {...cell(4)} className="numeric">
        {live ? formatBytes(sample.rss) : ''}
      </GridCell>
      <GridCell {...cell(5)} className="cell-started" title={new Date(startedAt).toLocaleString()}>
        <span>{formatClock(startedAt, today)}</span>
        <span className="duration">{durationOf(job, now)}</span>
      </GridCell>
      <GridCell {...cell(6)}>
        <Sparkline values={offline ? undefined : trend} />
      </GridCell>
      <div role="gridcell" className="cell-actions">
        <JobActions job={job} compact={compact} offline={offline} activeStop={activeStop} />
      </div>
    </>
  );
});

/** A cluster job has no local pid: the cell shows the node Slurm put it on, or its Slurm id while it waits. */
const slurmPlacement = (slurm: SlurmRunInfo) => `Slurm job ${slurm.jobId}${slurm.nodes ? ` on ${slurm.nodes}` : ', not on a node yet'}`;
