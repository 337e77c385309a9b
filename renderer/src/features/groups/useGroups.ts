import { useMemo } from 'react';
import { isActive } from '../../../../shared/jobState';
import { useJobsStore } from '../../stores/jobsStore';
import { useSchedulingStore } from '../../stores/schedulingStore';

export interface GroupRowData {
  name: string;
  limit?: number;
  paused: boolean;
  running: number;
  queued: number;
  /** The batch whose items form this group, if any. */
  batchName?: string;
}

/**
 * Groups as the engine reports them (limit, paused), with running and queued counts taken
 * from the jobs themselves: those move with every job event, group events only on changes.
 */
export function useGroups(): GroupRowData[] {
  const groups = useSchedulingStore((state) => state.groups);
  const batches = useSchedulingStore((state) => state.batches);
  const jobs = useJobsStore((state) => state.jobs);
  return useMemo(() => {
    const rows = new Map<string, GroupRowData>();
    const row = (name: string) => {
      let found = rows.get(name);
      if (!found) {
        const info = groups[name];
        found = { name, paused: info?.paused ?? false, running: 0, queued: 0, ...(info?.limit !== undefined && { limit: info.limit }) };
        rows.set(name, found);
      }
      return found;
    };
    row('default');
    for (const name of Object.keys(groups)) row(name);
    for (const job of Object.values(jobs)) {
      if (job.state === 'queued') row(job.spec.group).queued++;
      else if (isActive(job.state)) row(job.spec.group).running++;
    }
    for (const batch of Object.values(batches)) {
      const found = rows.get(batch.group);
      if (found) found.batchName = batch.name;
    }
    // Busy groups first, then by name.
    return [...rows.values()].sort(
      (a, b) => Number(b.running + b.queued > 0) - Number(a.running + a.queued > 0) || a.name.localeCompare(b.name),
    );
  }, [groups, batches, jobs]);
}
