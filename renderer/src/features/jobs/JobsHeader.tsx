import { useJobTableStore } from '../../stores/jobTableStore';
import { HEADER_HEIGHT, JOB_COLUMNS } from './jobColumns';

export function JobsHeader() {
  const sort = useJobTableStore((state) => state.sort);
  const sortBy = useJobTableStore((state) => state.sortBy);
  return (
    <div role="rowgroup" className="jobs-head">
      <div role="row" aria-rowindex={1} className="jobs-row" style={{ height: HEADER_HEIGHT }}>
        {JOB_COLUMNS.map((column) => {
          const sorted = column.sort !== undefined && sort.column === column.sort;
          return (
            <div
              key={column.key}
              role="columnheader"
              aria-sort={column.sort === undefined ? undefined : sorted ? sort.direction : 'none'}
              className={column.numeric ? 'numeric' : undefined}
            >
              {column.sort === undefined ? (
                column.label
              ) : (
                <button type="button" className="sort-button" onClick={() => sortBy(column.sort!)}>
                  {column.label}
                  <span aria-hidden="true" className="sort-mark">
                    {sorted ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
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
