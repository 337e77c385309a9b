import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { isActive } from '../../../../shared/jobState';
import { selectJob } from '../../app/selection';
import { FilterInput } from '../../components/FilterInput';
import { SortableHeader } from '../../components/SortableHeader';
import { useJobsStore } from '../../stores/jobsStore';
import { useJobTableStore } from '../../stores/jobTableStore';
import { useSamplesStore } from '../../stores/samplesStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { HEADER_HEIGHT, JOB_COLUMNS, ROW_HEIGHT } from './jobColumns';
import { JobRow } from './JobRow';
import { useVisibleJobs } from './useVisibleJobs';

export const JOB_FILTER_ID = 'job-filter';

const STEP_KEYS: Record<string, (index: number, count: number) => number> = {
  ArrowDown: (index, count) => Math.min(count - 1, index + 1),
  ArrowUp: (index) => Math.max(0, index - 1),
  PageDown: (index, count) => Math.min(count - 1, index + 10),
  PageUp: (index) => Math.max(0, index - 10),
  Home: () => 0,
  End: (_index, count) => count - 1,
};

/** The job grid: only rows in view are rendered, so 1000 jobs cost what 30 do. */
export function JobsTable() {
  const jobs = useVisibleJobs();
  const loaded = useJobsStore((state) => state.loaded);
  const totalJobs = useJobsStore((state) => Object.keys(state.jobs).length);
  const filter = useJobTableStore((state) => state.filter);
  const sort = useJobTableStore((state) => state.sort);
  const selectedJobId = useSelectionStore((state) => state.selectedJobId);
  const current = useSamplesStore((state) => state.current);
  const queuePositions = useJobsStore((state) => state.queuePositions);
  const trend = useSamplesStore((state) => state.trend);
  const now = useSamplesStore((state) => state.lastTickAt);
  const scrollRef = useRef<HTMLDivElement>(null);
  const today = now > 0 ? new Date(now).toDateString() : '';

  // The rule warns that React Compiler cannot memoise around this hook's mutable instance; the
  // build does not use the compiler, and nothing here caches values derived from it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: jobs.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => jobs[index]!.id,
    overscan: 8,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });

  const selectedIndex = selectedJobId === null ? -1 : jobs.findIndex((job) => job.id === selectedJobId);
  // Bring a newly selected row into view, but only once: when new jobs shift it later, an
  // operator who scrolled elsewhere must not be yanked back.
  const scrolledToJobId = useRef<string | null>(null);
  useEffect(() => {
    if (selectedJobId === scrolledToJobId.current || selectedIndex < 0) return;
    scrolledToJobId.current = selectedJobId;
    virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedJobId, selectedIndex, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = STEP_KEYS[event.key];
    if (!step || jobs.length === 0 || event.target !== event.currentTarget) return;
    event.preventDefault();
    selectJob(jobs[step(Math.max(0, selectedIndex), jobs.length)]!.id);
  };

  return (
    // A plain container: the grid itself carries the name "Jobs", once.
    <div className="jobs-panel">
      <div className="panel-toolbar">
        <h2>Jobs</h2>
        <FilterInput id={JOB_FILTER_ID} label="Filter jobs" placeholder="Filter jobs  ( / )" value={filter} onChange={useJobTableStore.getState().setFilter} />
        <span className="muted" aria-live="polite">
          {!loaded ? '' : jobs.length === totalJobs ? `${totalJobs} jobs` : `${jobs.length} of ${totalJobs} jobs`}
        </span>
      </div>
      <div
        ref={scrollRef}
        role="grid"
        aria-label="Jobs"
        aria-rowcount={jobs.length + 1}
        aria-colcount={JOB_COLUMNS.length}
        tabIndex={0}
        className="jobs-grid"
        onKeyDown={onKeyDown}
      >
        <SortableHeader
          columns={JOB_COLUMNS}
          sortedBy={sort.column}
          direction={sort.direction}
          onSort={useJobTableStore.getState().sortBy}
          rowClassName="jobs-row"
          height={HEADER_HEIGHT}
        />
        <div role="rowgroup" className="jobs-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const job = jobs[item.index]!;
            return (
              <JobRow
                key={job.id}
                job={job}
                sample={current[job.id]}
                queuePosition={queuePositions[job.id]}
                trend={trend[job.id]}
                selected={job.id === selectedJobId}
                rowIndex={item.index + 2}
                now={isActive(job.state) ? now : 0}
                today={today}
                top={item.start - HEADER_HEIGHT}
              />
            );
          })}
        </div>
      </div>
      {jobs.length === 0 && (
        <p className="empty-note">
          {!loaded ? 'Loading jobs…' : totalJobs === 0 ? 'No jobs yet. Start one with the form (press n).' : `No job matches “${filter}”.`}
        </p>
      )}
    </div>
  );
}
