import type { JobSnapshot } from '../../../../shared/jobSnapshot';

/**
 * A declared service's health beside its state: starting, healthy or unhealthy, with the
 * probe's latest reason on hover. Plain text (read in the row's cell), no live region: a table
 * of services must not announce every probe.
 */
export function HealthBadge({ job }: { job: JobSnapshot }) {
  const health = job.health;
  if (!health) return null;
  const reason = health.liveness?.state === 'unhealthy' ? health.liveness.reason : (health.readiness?.reason ?? health.liveness?.reason);
  return (
    <span className="health-badge" data-health={health.state} title={reason}>
      <span className="visually-hidden">health: </span>
      {health.state}
    </span>
  );
}
