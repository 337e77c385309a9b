import { useMemo } from 'react';
import type { JobSample, JobSnapshot } from '../../../../shared/jobSnapshot';
import { describeCommand } from '../../../../shared/jobSpec';
import type { SortDirection } from '../../lib/sorting';
import { useJobsStore } from '../../stores/jobsStore';
import { useJobTableStore, type SortColumn } from '../../stores/jobTableStore';
import { useSamplesStore } from '../../stores/samplesStore';
import { describeState, STATE_ORDER } from './jobState';

type Samples = Record<string, JobSample> | null;
type QueuePositions = Readonly<Record<string, number>>;

function matches(job: JobSnapshot, needle: string, queuePositions: QueuePositions): boolean {
  return (
    job.name.toLowerCase().includes(needle) ||
    describeCommand(job.spec.command).toLowerCase().includes(needle) ||
    describeState(job, queuePositions[job.id]).includes(needle) ||
    (job.pid !== undefined && String(job.pid).includes(needle))
  );
}

function sortKey(job: JobSnapshot, column: SortColumn, samples: Samples): number | string {
  switch (column) {
    case 'name':
      return job.name.toLowerCase();
    case 'state':
      return STATE_ORDER[job.state];
    case 'pid':
      return job.pid ?? -1;
    case 'cpu':
      return samples?.[job.id]?.cpu ?? -1;
    case 'memory':
      return samples?.[job.id]?.rss ?? -1;
    case 'started':
      return job.startedAt ?? job.queuedAt;
  }
}

export function filterAndSort(
  jobs: readonly JobSnapshot[],
  filter: string,
  sort: { column: SortColumn; direction: SortDirection },
  samples: Samples,
  queuePositions: QueuePositions = {},
): JobSnapshot[] {
  const needle = filter.trim().toLowerCase();
  const kept = needle ? jobs.filter((job) => matches(job, needle, queuePositions)) : jobs.slice();
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const keyed = kept.map((job) => ({ job, key: sortKey(job, sort.column, samples) }));
  keyed.sort((a, b) => {
    if (a.key < b.key) return -sign;
    if (a.key > b.key) return sign;
    // Newest first among equals, so the order is stable as samples and states change.
    return b.job.queuedAt - a.job.queuedAt || (a.job.id < b.job.id ? -1 : 1);
  });
  return keyed.map((entry) => entry.job);
}

/** The jobs to show, filtered and sorted; re-sorts on every sample tick only when sorting by CPU or memory. */
export function useVisibleJobs(): JobSnapshot[] {
  const jobs = useJobsStore((state) => state.jobs);
  const filter = useJobTableStore((state) => state.filter);
  const sort = useJobTableStore((state) => state.sort);
  const samples = useSamplesStore((state) =>
    sort.column === 'cpu' || sort.column === 'memory' ? state.current : null,
  );
  // Only a filter reads queue positions ("queued #3"): without one, queue moves cost no re-sort.
  const queuePositions = useJobsStore((state) => (filter.trim() ? state.queuePositions : undefined));
  return useMemo(() => filterAndSort(Object.values(jobs), filter, sort, samples, queuePositions), [jobs, filter, sort, samples, queuePositions]);
}
