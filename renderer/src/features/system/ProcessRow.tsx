import { memo } from 'react';
import { formatBytes, formatPercentNumber } from '../../../../shared/format';
import type { SystemProcess } from '../../../../shared/monitoring';
import { useProcessListStore, type ProcessActionKind } from '../../stores/processListStore';
import { STATE_NAMES, TREE_INDENT } from './processColumns';

interface ProcessRowProps {
  process: SystemProcess;
  /** 1-based row index within the whole grid (the header row is 1). */
  rowIndex: number;
  /** Offset of the row within the grid body, in pixels. */
  top: number;
  /** Indent the command by the process's depth (tree mode). */
  tree: boolean;
  /** A watch of this very process (pid and start time) is already live. */
  watched: boolean;
}

const ACTIONS: readonly { kind: ProcessActionKind; label: string }[] = [
  { kind: 'signal', label: 'Signal' },
  { kind: 'renice', label: 'Renice' },
  { kind: 'affinity', label: 'Set affinity' },
  { kind: 'watch', label: 'Watch' },
];

export const ProcessRow = memo(function ProcessRow({ process, rowIndex, top, tree, watched }: ProcessRowProps) {
  const open = (kind: ProcessActionKind) => useProcessListStore.getState().openAction({ kind, process });
  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      className="process-row"
      data-pid={process.pid}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="gridcell" className="numeric">
        {process.pid}
      </div>
      <div role="gridcell" title={`uid ${process.uid}`}>
        {process.user}
      </div>
      <div role="gridcell" className="process-command" title={process.command}>
        <span style={tree ? { paddingLeft: process.depth * TREE_INDENT } : undefined}>
          {tree && process.depth > 0 && (
            <span aria-hidden="true" className="tree-mark">
              └{' '}
            </span>
          )}
          {process.command}
        </span>
      </div>
      <div role="gridcell" className="numeric">
        {formatPercentNumber(process.cpu)}
      </div>
      <div role="gridcell" className="numeric">
        {formatBytes(process.rss)}
      </div>
      <div role="gridcell" title={STATE_NAMES[process.state]} data-state={process.state}>
        {process.state}
      </div>
      <div role="gridcell" className="numeric">
        {process.nice}
      </div>
      <div role="gridcell" className="numeric">
        {process.threads}
      </div>
      <div role="gridcell" className="process-actions">
        {ACTIONS.map(({ kind, label }) => (
          <button
            key={kind}
            type="button"
            disabled={kind === 'watch' && watched}
            title={kind === 'watch' && watched ? 'Already watched' : `${label} ${process.pid}`}
            onClick={() => open(kind)}
          >
            {label}
          </button>
        ))}
      </div>
    </div>
  );
});
