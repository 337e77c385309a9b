import type { ProcessSortKey } from '../../../../shared/monitoring';
import type { SortableColumn } from '../../components/SortableHeader';

/** Column order here must match the cell order in ProcessRow and the grid template in system.css. */
export const PROCESS_COLUMNS: readonly SortableColumn<ProcessSortKey>[] = [
  { key: 'pid', label: 'PID', sort: 'pid', numeric: true },
  { key: 'user', label: 'User', sort: 'user' },
  { key: 'command', label: 'Command', sort: 'command' },
  { key: 'cpu', label: 'CPU %', sort: 'cpu', numeric: true },
  { key: 'memory', label: 'Memory', sort: 'memory', numeric: true },
  { key: 'state', label: 'State' },
  { key: 'nice', label: 'Nice', numeric: true },
  { key: 'threads', label: 'Threads', numeric: true },
  { key: 'actions', label: 'Actions' },
];

export const PROCESS_ROW_HEIGHT = 28;
export const PROCESS_HEADER_HEIGHT = 28;
/** Indent per tree level in tree mode, in pixels. */
export const TREE_INDENT = 14;

/** Kernel process states (the letter in /proc/PID/stat), for the state cell's tooltip. */
export const STATE_NAMES: Readonly<Record<string, string>> = {
  R: 'running',
  S: 'sleeping',
  D: 'waiting on I/O (uninterruptible)',
  Z: 'zombie',
  T: 'stopped',
  t: 'stopped by a debugger',
  X: 'dead',
  I: 'idle kernel thread',
  P: 'parked',
  W: 'paging',
  K: 'wakekill',
};
