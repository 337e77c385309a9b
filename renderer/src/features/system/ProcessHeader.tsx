import { useProcessListStore } from '../../stores/processListStore';
import { PROCESS_COLUMNS, PROCESS_HEADER_HEIGHT } from './processColumns';

/** Column headers; the sortable ones are buttons, and the sort goes to the host with the query. */
export function ProcessHeader() {
  const sort = useProcessListStore((state) => state.query.sort);
  const descending = useProcessListStore((state) => state.query.descending);
  const sortBy = useProcessListStore((state) => state.sortBy);
  return (
    <div role="rowgroup" className="process-head">
      <div role="row" aria-rowindex={1} className="process-row" style={{ height: PROCESS_HEADER_HEIGHT }}>
        {PROCESS_COLUMNS.map((column) => {
          const sorted = column.sort !== undefined && sort === column.sort;
          return (
            <div
              key={column.key}
              role="columnheader"
              aria-sort={column.sort === undefined ? undefined : sorted ? (descending ? 'descending' : 'ascending') : 'none'}
              className={column.numeric ? 'numeric' : undefined}
            >
              {column.sort === undefined ? (
                column.label
              ) : (
                <button type="button" className="sort-button" onClick={() => sortBy(column.sort!)}>
                  {column.label}
                  <span aria-hidden="true" className="sort-mark">
                    {sorted ? (descending ? '▼' : '▲') : ''}
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
