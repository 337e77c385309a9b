import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { isActive } from '../../../../shared/jobState';
import { HEADER_ROW_KEY, headerStop, SortableHeader } from '../../components/SortableHeader';
import { useConnected } from '../../stores/hostStore';
import { useJobsStore } from '../../stores/jobsStore';
import { useJobTableStore } from '../../stores/jobTableStore';
import { useSamplesStore } from '../../stores/samplesStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { BatchRow } from './BatchRow';
import { HEADER_HEIGHT, JOB_COLUMNS, ROW_HEIGHT } from './jobColumns';
import { JobRow } from './JobRow';
import { JobsToolbar } from './JobsToolbar';
import { shownJobs, type GridRow } from './gridRows';
import { registerGridFocus } from './gridFocus';
import { useGridKeys, type ActiveStop } from './useGridKeys';
import { useGridRows } from './useGridRows';

export { JOB_FILTER_ID } from './JobsToolbar';

const FIRST_HEADER_STOP = headerStop(JOB_COLUMNS[0]!.key);

/** Where the grid's focus would go: the active row's index, or -1 for the header. */
function resolveActive(rows: readonly GridRow[], active: ActiveStop, currentJobId: string | null): number {
  if (rows.length === 0 || active.key === HEADER_ROW_KEY) return -1;
  if (active.key !== null) {
    const index = rows.findIndex((row) => row.key === active.key);
    if (index >= 0) return index;
  }
  if (active.key === null && currentJobId !== null) {
    const index = rows.findIndex((row) => row.key === currentJobId);
    if (index >= 0) return index;
  }
  // The active row went away (removed, filtered out): its neighbour takes its place.
  return Math.min(Math.max(0, active.index), rows.length - 1);
}

/**
 * The job grid (compact: each row's actions in one menu, for a narrow panel): only rows in view are rendered, so 1000 jobs cost what 30 do. One tab stop
 * (a roving tabindex): arrow keys move between rows and cells, and the stop's row is always
 * rendered so Tab finds it wherever the grid is scrolled.
 */
export function JobsTable({ compact, launchFolded }: { compact: boolean; launchFolded: boolean }) {
  const rows = useGridRows();
  const loaded = useJobsStore((state) => state.loaded);
  const totalJobs = useJobsStore((state) => Object.keys(state.jobs).length);
  const filter = useJobTableStore((state) => state.filter);
  const sort = useJobTableStore((state) => state.sort);
  const selectedJobId = useSelectionStore((state) => state.selectedJobId);
  const chosen = useSelectionStore((state) => state.chosen);
  const current = useSamplesStore((state) => state.current);
  const queuePositions = useJobsStore((state) => state.queuePositions);
  const trend = useSamplesStore((state) => state.trend);
  const now = useSamplesStore((state) => state.lastTickAt);
  const offline = !useConnected();
  const scrollRef = useRef<HTMLDivElement>(null);
  const today = now > 0 ? new Date(now).toDateString() : '';

  const [active, setActive] = useState<ActiveStop>({ key: null, stop: 'c0', index: 0 });
  const activeIndex = resolveActive(rows, active, selectedJobId);
  const activeKey = activeIndex < 0 ? HEADER_ROW_KEY : rows[activeIndex]!.key;
  const activeStop = activeKey === HEADER_ROW_KEY && !active.stop.startsWith('h-') ? FIRST_HEADER_STOP : active.stop;

  // The current job changed elsewhere (a launch, a reload): the grid's stop goes with it.
  useEffect(() => {
    if (selectedJobId === null) return;
    setActive((previous) =>
      previous.key === selectedJobId ? previous : { key: selectedJobId, stop: previous.stop.startsWith('h-') ? 'c0' : previous.stop, index: previous.index },
    );
  }, [selectedJobId]);

  // The stop's row is always rendered: Tab must find it, and focus must not fall out of the grid on scroll.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (activeIndex >= 0 && !indexes.includes(activeIndex)) return [...indexes, activeIndex].sort((a, b) => a - b);
      return indexes;
    },
    [activeIndex],
  );

  // The rule warns that React Compiler cannot memoise around this hook's mutable instance; the
  // build does not use the compiler, and nothing here caches values derived from it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]!.key,
    overscan: 8,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    rangeExtractor,
  });

  // Bring a newly current row into view, but only once: when new jobs shift it later, an
  // operator who scrolled elsewhere must not be yanked back.
  const scrolledToJobId = useRef<string | null>(null);
  const currentIndex = selectedJobId === null ? -1 : rows.findIndex((row) => row.key === selectedJobId);
  useEffect(() => {
    if (selectedJobId === scrolledToJobId.current || currentIndex < 0) return;
    scrolledToJobId.current = selectedJobId;
    virtualizer.scrollToIndex(currentIndex, { align: 'auto' });
  }, [selectedJobId, currentIndex, virtualizer]);

  // Picked jobs the grid no longer shows (a new filter) are no longer picked: keys and bulk
  // actions must only ever reach rows the operator can see.
  useEffect(() => {
    if (chosen.size === 0) return;
    const shown = new Set(shownJobs(rows).map((job) => job.id));
    if ([...chosen].some((id) => !shown.has(id))) useSelectionStore.getState().choose([...chosen].filter((id) => shown.has(id)));
  }, [rows, chosen]);

  const keys = useGridKeys({ rows, scrollRef, virtualizer, active: { key: activeKey, stop: activeStop }, setActive, activeIndex });
  const { focusGrid, afterRender } = keys;
  useEffect(() => registerGridFocus(focusGrid), [focusGrid]);
  useLayoutEffect(() => afterRender());

  const empty = rows.length === 0;
  return (
    // A plain container: the grid itself carries the name "Jobs", once.
    <div className="jobs-panel">
      <JobsToolbar rows={rows} launchFolded={launchFolded} offline={offline} />
      <div
        ref={scrollRef}
        role="grid"
        aria-label="Jobs"
        aria-multiselectable="true"
        aria-rowcount={rows.length + 1}
        aria-colcount={JOB_COLUMNS.length}
        className="jobs-grid"
        data-compact={compact || undefined}
        onKeyDown={keys.onKeyDown}
        onPointerDown={keys.onPointerDown}
        onClick={keys.onClick}
      >
        <SortableHeader
          columns={JOB_COLUMNS}
          sortedBy={sort.column === 'live' ? null : sort.column}
          direction={sort.column === 'live' ? 'ascending' : sort.direction}
          onSort={useJobTableStore.getState().sortBy}
          rowClassName="jobs-row"
          height={HEADER_HEIGHT}
          rovingStop={activeKey === HEADER_ROW_KEY ? activeStop : null}
        />
        <div role="rowgroup" className="jobs-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const rowStop = row.key === activeKey ? activeStop : null;
            const top = item.start - HEADER_HEIGHT;
            if (row.kind === 'batch') {
              return (
                <BatchRow
                  key={row.key}
                  batchId={row.batchId}
                  name={row.name}
                  items={row.items}
                  expanded={row.expanded}
                  samples={current}
                  selected={row.items.length > 0 && row.items.every((job) => chosen.has(job.id))}
                  activeStop={rowStop}
                  compact={compact}
                  offline={offline}
                  rowIndex={item.index + 2}
                  now={row.items.some((job) => isActive(job.state)) ? now : 0}
                  today={today}
                  top={top}
                />
              );
            }
            const job = row.job;
            return (
              <JobRow
                key={row.key}
                job={job}
                sample={current[job.id]}
                queuePosition={queuePositions[job.id]}
                trend={trend[job.id]}
                selected={chosen.has(job.id)}
                current={job.id === selectedJobId}
                depth={row.depth}
                activeStop={rowStop}
                compact={compact}
                offline={offline}
                rowIndex={item.index + 2}
                now={isActive(job.state) ? now : 0}
                today={today}
                top={top}
              />
            );
          })}
        </div>
      </div>
      {empty && (
        <p className="empty-note">
          {!loaded ? 'Loading jobs…' : totalJobs === 0 ? 'No jobs yet. Start one with the form (press n).' : `No job matches “${filter}”.`}
        </p>
      )}
    </div>
  );
}
