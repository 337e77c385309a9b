import { useMemo } from 'react';
import { isActive } from '../../../../shared/jobState';
import { useJobsStore } from '../../stores/jobsStore';

export interface PinnedJob {
  id: string;
  name: string;
}

/**
 * Live jobs restricted to fewer than all cores, per core, from the affinity read back from
 * /proc: what is actually in force, whatever the spec asked for.
 */
export function usePinnedJobs(coreCount: number): PinnedJob[][] {
  const jobs = useJobsStore((state) => state.jobs);
  return useMemo(() => {
    const perCore: PinnedJob[][] = Array.from({ length: coreCount }, () => []);
    for (const job of Object.values(jobs)) {
      if (!isActive(job.state) || !job.cores || job.cores.length >= coreCount) continue;
      for (const core of job.cores) perCore[core]?.push({ id: job.id, name: job.name });
    }
    for (const list of perCore) list.sort((a, b) => a.name.localeCompare(b.name));
    return perCore;
  }, [jobs, coreCount]);
}
