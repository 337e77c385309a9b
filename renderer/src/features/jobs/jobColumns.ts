import type { SortableColumn } from '../../components/SortableHeader';
import type { SortColumn } from '../../stores/jobTableStore';

/** Column order here must match the cell order in JobRow and the grid template in jobs.css. */
export const JOB_COLUMNS: readonly SortableColumn<SortColumn>[] = [
  { key: 'job', label: 'Job', sort: 'name' },
  { key: 'state', label: 'State', sort: 'state' },
  { key: 'pid', label: 'PID / node', sort: 'pid', numeric: true },
  { key: 'cpu', label: 'CPU %', sort: 'cpu', numeric: true },
  { key: 'memory', label: 'Memory', sort: 'memory', numeric: true },
  { key: 'started', label: 'Started / duration', sort: 'started' },
  { key: 'trend', label: 'CPU trend' },
  { key: 'actions', label: 'Actions' },
];

export const ROW_HEIGHT = 34;
export const HEADER_HEIGHT = 30;
