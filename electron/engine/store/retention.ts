import type { Job } from '../jobs/job';

/**
 * The oldest finished jobs beyond `keep`, in the jobs map's order (the order they were
 * submitted in). Running, queued and waiting jobs are never among them, nor a finished job
 * that one of those depends on (dropping it would make its dependant fail).
 */
export function oldestFinishedBeyond(jobs: ReadonlyMap<string, Job>, keep: number): string[] {
  if (jobs.size <= keep) return [];
  let finished = 0;
  const needed = new Set<string>();
  for (const job of jobs.values()) {
    if (job.isUnfinished()) for (const dep of job.spec.dependsOn) needed.add(dep);
    else finished++;
  }
  let excess = finished - keep;
  const drop: string[] = [];
  for (const [id, job] of jobs) {
    if (excess <= 0) break;
    if (job.isUnfinished() || needed.has(id)) continue;
    drop.push(id);
    excess--;
  }
  return drop;
}
