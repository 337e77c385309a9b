import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { LEVEL_LABELS } from './isolationForm';
import { jobIsolationLevel } from './jobIsolation';

/** A job's isolation level in its row; nothing for jobs without isolation. */
export function IsolationBadge({ job }: { job: JobSnapshot }) {
  const level = jobIsolationLevel(job);
  if (level === undefined || level === 'none') return null;
  const limits = job.isolation?.limits.map((limit) => `${limit.label}: ${limit.value}`).join('\n');
  return (
    <span className="isolation-badge" data-level={level} title={`Isolation ${LEVEL_LABELS[level]}${limits ? `\n${limits}` : ''}`}>
      <span className="visually-hidden">Isolation </span>
      {LEVEL_LABELS[level]}
    </span>
  );
}
