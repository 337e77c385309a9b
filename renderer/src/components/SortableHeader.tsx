import './sortableHeader.css';
import type { SortDirection } from '../lib/sorting';

export interface SortableColumn<K extends string> {
  key: string;
  label: string;
  /** The sort this column's header asks for; a column without one is not sortable. */
  sort?: K;
  numeric?: boolean;
}

/** The header row's key among a roving grid's rows. */
export const HEADER_ROW_KEY = 'header';

interface SortableHeaderProps<K extends string> {
  columns: readonly SortableColumn<K>[];
  /** The column sorted by; none (every column unsorted) when the rows are in another order. */
  sortedBy: K | null;
  direction: SortDirection;
  onSort(sort: K): void;
  /** The class of the header's row: it shares the body rows' grid template. */
  rowClassName: string;
  height: number;
  /**
   * In a roving-focus grid: the header's stop that is in the tab order ("h-<column key>"), or
   * null when the grid's stop is elsewhere. Absent: every sort button is in the tab order.
   */
  rovingStop?: string | null;
}

/** The focus stop of a column's sort button in a roving-focus grid. */
export const headerStop = (columnKey: string) => `h-${columnKey}`;

/**
 * The header row of a virtualised ARIA grid: sortable columns are buttons, and aria-sort says
 * which column sorts the rows and which way. The grid's first row (aria-rowindex 1).
 */
export function SortableHeader<K extends string>({ columns, sortedBy, direction, onSort, rowClassName, height, rovingStop }: SortableHeaderProps<K>) {
  const roving = rovingStop !== undefined;
  return (
    <div role="rowgroup" className="sortable-head">
      <div role="row" aria-rowindex={1} className={rowClassName} style={{ height }} data-row-key={roving ? HEADER_ROW_KEY : undefined}>
        {columns.map((column) => {
          const sorted = column.sort !== undefined && column.sort === sortedBy;
          const stop = headerStop(column.key);
          return (
            <div
              key={column.key}
              role="columnheader"
              aria-sort={column.sort === undefined ? undefined : sorted ? direction : 'none'}
              className={column.numeric ? 'numeric' : undefined}
            >
              {column.sort === undefined ? (
                column.label
              ) : (
                <button
                  type="button"
                  className="sort-button"
                  data-stop={roving ? stop : undefined}
                  tabIndex={roving ? (rovingStop === stop ? 0 : -1) : undefined}
                  onClick={() => onSort(column.sort!)}
                >
                  {column.label}
                  <span aria-hidden="true" className="sort-mark">
                    {sorted ? (direction === 'ascending' ? '▲' : '▼') : ''}
                  </span>
                </button>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
