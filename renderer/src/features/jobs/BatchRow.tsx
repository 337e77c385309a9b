import { memo } from 'react';
import { formatBytes, formatDuration, formatPercentNumber } from '../../../../shared/format';
import type { JobSample, JobSnapshot } from '../../../../shared/jobSnapshot';
import { isActive, isFinal } from '../../../../shared/jobState';
import { ActionMenu } from '../../components/ActionMenu';
import { formatClock } from '../../lib/clock';
import { useJobTableStore } from '../../stores/jobTableStore';
import { useSchedulingStore } from '../../stores/schedulingStore';
import { retryFailed, stopBatch } from '../batches/batchCommands';
import { runBulk } from './bulkCommands';
import { cellStop, GridCell } from './GridCell';

interface BatchRowProps {
  batchId: string;
  name: string;
  /** The batch's jobs the grid shows (all of them, or those the filter matches). */
  items: readonly JobSnapshot[];
  expanded: boolean;
  /** Samples of the items that are live, for the batch's totals. */
  samples: Readonly<Record<string, JobSample>>;
  /** Every item is picked. */
  selected: boolean;
  activeStop: string | null;
  compact: boolean;
  offline: boolean;
  rowIndex: number;
  now: number;
  today: string;
  top: number;
}

interface Counts {
  running: number;
  queued: number;
  done: number;
  failed: number;
}

function countItems(items: readonly JobSnapshot[]): Counts {
  const counts: Counts = { running: 0, queued: 0, done: 0, failed: 0 };
  for (const job of items) {
    if (isActive(job.state)) counts.running++;
    else if (job.state === 'queued') counts.queued++;
    else if (job.state === 'exited' && job.exitCode === 0) counts.done++;
    else counts.failed++;
  }
  return counts;
}

interface BatchAction {
  id: string;
  label: string;
  text: string;
  applies: boolean;
  run(): void;
}

function batchActions(batchId: string, name: string, items: readonly JobSnapshot[], counts: Counts): BatchAction[] {
  // The engine's batch commands want the batch's record; a row shown before the batch list arrived still has its id and name.
  const progress = () => useSchedulingStore.getState().batches[batchId] ?? { id: batchId, name };
  return [
    {
      id: 'stop-batch',
      label: 'Stop batch',
      text: 'Stop batch',
      applies: counts.running + counts.queued > 0,
      run: () => void stopBatch(progress()),
    },
    { id: 'retry', label: 'Retry failed', text: 'Retry failed', applies: counts.failed > 0, run: () => void retryFailed(progress()) },
    {
      id: 'remove-batch',
      label: 'Remove batch',
      text: '✕',
      applies: items.every((job) => isFinal(job.state)),
      run: () => void runBulk('remove', items.map((job) => job.id), `Remove batch ${name}`),
    },
  ];
}

/** A batch folded into one row: its progress, its totals, and what can be done to all of it; its items open under it. */
export const BatchRow = memo(function BatchRow(props: BatchRowProps) {
  const { batchId, name, items, expanded, samples, selected, compact, offline, rowIndex, now, today, top } = props;
  const counts = countItems(items);
  const actions = batchActions(batchId, name, items, counts);
  const activeStop =
    props.activeStop === null || cellStop(props.activeStop)
      ? props.activeStop
      : (compact ? props.activeStop === 'menu' : actions.some((action) => action.id === props.activeStop && action.applies && !offline))
        ? props.activeStop
        : 'c0';
  const live = items.filter((job) => !isFinal(job.state) && samples[job.id] !== undefined && !offline);
  const cpu = live.reduce((sum, job) => sum + samples[job.id]!.cpu, 0);
  const rss = live.reduce((sum, job) => sum + samples[job.id]!.rss, 0);
  const started = Math.min(...items.map((job) => job.startedAt ?? job.queuedAt));
  const ends = items.map((job) => job.endedAt);
  const allEnded = ends.every((end) => end !== undefined);
  const end = allEnded ? Math.max(...(ends as number[])) : now > 0 ? now : undefined;
  const tone = offline ? 'idle' : counts.running > 0 ? 'live' : counts.failed > 0 ? 'bad' : counts.queued > 0 ? 'idle' : 'ok';
  const summary = [
    counts.running > 0 && `${counts.running} running`,
    counts.queued > 0 && `${counts.queued} queued`,
    `${counts.done} done`,
    counts.failed > 0 && `${counts.failed} failed`,
  ]
    .filter(Boolean)
    .join(' · ');
  const finished = counts.done + counts.failed;

  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      aria-selected={selected}
      className="jobs-row batch-row"
      data-row-key={`batch:${batchId}`}
      data-batch-id={batchId}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="gridcell" className="cell-job">
        <button
          type="button"
          className="batch-toggle"
          aria-expanded={expanded}
          data-stop="c0"
          tabIndex={activeStop === 'c0' ? 0 : -1}
          title={expanded ? 'Fold the items into this row' : 'Show the items under this row'}
          onClick={() => useJobTableStore.getState().setBatchExpanded(batchId, !expanded)}
        >
          <span aria-hidden="true" className="disclosure-mark">
            {expanded ? '▾' : '▸'}
          </span>
          <span className="job-name">{name}</span>
        </button>
        <span className="job-command">
          batch · {items.length} item{items.length === 1 ? '' : 's'}
        </span>
      </div>
      <GridCell stop="c1" activeStop={activeStop} className="cell-state" data-tone={tone} title={offline ? 'Not connected to the host' : summary}>
        <span className="state-label">{offline ? 'unknown' : counts.running + counts.queued > 0 ? 'running' : 'finished'}</span>
        <span className="state-reason">{summary}</span>
      </GridCell>
      <GridCell stop="c2" activeStop={activeStop} className="numeric" />
      <GridCell stop="c3" activeStop={activeStop} className="numeric">
        {live.length > 0 ? formatPercentNumber(cpu) : ''}
      </GridCell>
      <GridCell stop="c4" activeStop={activeStop} className="numeric">
        {live.length > 0 ? formatBytes(rss) : ''}
      </GridCell>
      <GridCell stop="c5" activeStop={activeStop} className="cell-started" title={new Date(started).toLocaleString()}>
        <span>{formatClock(started, today)}</span>
        <span className="duration">{end === undefined ? '' : formatDuration(end - started)}</span>
      </GridCell>
      <GridCell stop="c6" activeStop={activeStop} className="cell-progress" title={`${finished} of ${items.length} finished`}>
        <progress max={items.length} value={finished} aria-label={`${finished} of ${items.length} finished`} />
      </GridCell>
      <div role="gridcell" className="cell-actions">
        {compact ? (
          <ActionMenu
            menuLabel={`Actions for batch ${name}`}
            stopId="menu"
            tabIndex={activeStop === 'menu' ? 0 : -1}
            items={actions.map((action) => ({
              id: action.id,
              label: action.label,
              text: action.id === 'remove-batch' ? 'Remove batch' : action.text,
              disabled: offline || !action.applies,
              onSelect: action.run,
            }))}
          />
        ) : (
          <div className="job-actions">
            {actions.map((action) => (
              <button
                key={action.id}
                type="button"
                className={action.id === 'remove-batch' ? 'quiet' : undefined}
                aria-label={action.label}
                title={action.id === 'remove-batch' ? 'Remove every item of the batch from the list' : undefined}
                disabled={offline || !action.applies}
                data-stop={action.id}
                data-action={action.id}
                tabIndex={activeStop === action.id ? 0 : -1}
                onClick={action.run}
              >
                {action.text}
              </button>
            ))}
          </div>
        )}
      </div>
    </div>
  );
});
