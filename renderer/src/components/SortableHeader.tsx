import './sortableHeader.css';
import type { SortDirection } from '../lib/sorting';

export interface SortableColumn<K extends string> {
  key: string;
  label: string;
  /** The sort this column's header asks for; a column without one is not sortable. */
  sort?: K;
  numeric?: boolean;
}

interface SortableHeaderProps<K extends string> {
  columns: readonly SortableColumn<K>[];
  sortedBy: K;
  direction: SortDirection;
  onSort(sort: K): void;
  /** The class of the header's row: it shares the body rows' grid template. */
  rowClassName: string;
  height: number;
}

/**
 * The header row of a virtualised ARIA grid: sortable columns are buttons, and aria-sort says
 * which column sorts the rows and which way. The grid's first row (aria-rowindex 1).
 */
export function SortableHeader<K extends string>({ columns, sortedBy, direction, onSort, rowClassName, height }: SortableHeaderProps<K>) {
  return (
    <div role="rowgroup" className="sortable-head">
      <div role="row" aria-rowindex={1} className={rowClassName} style={{ height }}>
        {columns.map((column) => {
          const sorted = column.sort !== undefined && column.sort === sortedBy;
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
                <button type="button" className="sort-button" onClick={() => onSort(column.sort!)}>
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
