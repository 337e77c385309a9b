import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import type { SystemProcess } from '../../../../shared/monitoring';
import { SortableHeader } from '../../components/SortableHeader';
import { useProcessListStore } from '../../stores/processListStore';
import { useWatchStore } from '../../stores/watchStore';
import { PROCESS_COLUMNS, PROCESS_HEADER_HEIGHT, PROCESS_ROW_HEIGHT } from './processColumns';
import { ProcessRow } from './ProcessRow';
import { ProcessToolbar } from './ProcessToolbar';
import './processes.css';

const NO_ROWS: readonly SystemProcess[] = [];
const rowKey = (process: Pick<SystemProcess, 'pid' | 'startTime'>) => `${process.pid}:${process.startTime}`;

/** Every process on the machine, like htop: only rows in view are rendered, so 5000 cost what 30 do. */
export function ProcessTable() {
  const list = useProcessListStore((state) => state.list);
  const frozen = useProcessListStore((state) => state.frozen);
  const error = useProcessListStore((state) => state.error);
  const tree = useProcessListStore((state) => state.query.tree);
  const sort = useProcessListStore((state) => state.query.sort);
  const descending = useProcessListStore((state) => state.query.descending);
  const watchedMap = useWatchStore((state) => state.watched);
  const rows = frozen ?? list?.processes ?? NO_ROWS;
  const scrollRef = useRef<HTMLDivElement>(null);

  const watched = useMemo(() => {
    const keys = new Set<string>();
    for (const entry of Object.values(watchedMap)) if (entry.endedAt === undefined) keys.add(rowKey(entry));
    return keys;
  }, [watchedMap]);

  // The rule warns that React Compiler cannot memoise around this hook's mutable instance; the
  // build does not use the compiler, and nothing here caches values derived from it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => PROCESS_ROW_HEIGHT,
    getItemKey: (index) => rowKey(rows[index]!),
    overscan: 10,
    scrollMargin: PROCESS_HEADER_HEIGHT,
    scrollPaddingStart: PROCESS_HEADER_HEIGHT,
  });

  return (
    <section className="process-panel" aria-label="Process list">
      <ProcessToolbar shown={rows.length} total={list?.total} frozen={frozen !== null} />
      <div
        ref={scrollRef}
        role="grid"
        aria-label="Processes"
        aria-rowcount={rows.length + 1}
        aria-colcount={PROCESS_COLUMNS.length}
        aria-busy={list === null}
        tabIndex={0}
        className="process-grid"
      >
        <SortableHeader
          columns={PROCESS_COLUMNS}
          sortedBy={sort}
          direction={descending ? 'descending' : 'ascending'}
          onSort={useProcessListStore.getState().sortBy}
          rowClassName="process-row"
          height={PROCESS_HEADER_HEIGHT}
        />
        <div role="rowgroup" className="process-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const process = rows[item.index]!;
            return (
              <ProcessRow
                key={item.key}
                process={process}
                rowIndex={item.index + 2}
                top={item.start - PROCESS_HEADER_HEIGHT}
                tree={tree}
                watched={watched.has(rowKey(process))}
              />
            );
          })}
        </div>
      </div>
      {rows.length === 0 && (
        <p className="empty-note">
          {error !== null ? `Cannot list processes: ${error}` : list === null ? 'Listing processes…' : 'No process matches the filter.'}
        </p>
      )}
    </section>
  );
}
