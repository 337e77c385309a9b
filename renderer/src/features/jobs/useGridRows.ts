import { useMemo } from 'react';
import { useJobsStore } from '../../stores/jobsStore';
import { useJobTableStore } from '../../stores/jobTableStore';
import { useSamplesStore } from '../../stores/samplesStore';
import { useSchedulingStore } from '../../stores/schedulingStore';
import { buildGridRows, type GridRow } from './gridRows';

/** The grid's rows, filtered, sorted and folded; re-sorts on every sample tick only when sorting by CPU or memory. */
export function useGridRows(): GridRow[] {
  const jobs = useJobsStore((state) => state.jobs);
  const filter = useJobTableStore((state) => state.filter);
  const sort = useJobTableStore((state) => state.sort);
  const expandedBatches = useJobTableStore((state) => state.expandedBatches);
  const batches = useSchedulingStore((state) => state.batches);
  const samples = useSamplesStore((state) => (sort.column === 'cpu' || sort.column === 'memory' ? state.current : null));
  // Only a filter reads queue positions ("queued #3"): without one, queue moves cost no re-sort.
  const queuePositions = useJobsStore((state) => (filter.trim() ? state.queuePositions : undefined));
  return useMemo(
    () => buildGridRows({ jobs: Object.values(jobs), filter, sort, samples, queuePositions, batches, expandedBatches }),
    [jobs, filter, sort, samples, queuePositions, batches, expandedBatches],
  );
}
