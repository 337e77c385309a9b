import type { IsolationLevel } from '../../../../shared/isolation';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { LEVEL_LABELS } from './isolationForm';
import { jobIsolationLevel } from './jobIsolation';

/** Short enough to leave the job's name readable in a narrow column. */
const SHORT: Record<Exclude<IsolationLevel, 'none'>, string> = { basic: 'Basic', enhanced: 'Enh', maximum: 'Max' };

/** A job's isolation level in its row; nothing for jobs without isolation. */
export function IsolationBadge({ job }: { job: JobSnapshot }) {
  const level = jobIsolationLevel(job);
  if (level === undefined || level === 'none') return null;
  const limits = job.isolation?.limits.map((limit) => `${limit.label}: ${limit.value}`).join('\n');
  return (
    <span className="isolation-badge" data-level={level} title={`Isolation ${LEVEL_LABELS[level]}${limits ? `\n${limits}` : ''}`}>
      <span className="visually-hidden">Isolation {LEVEL_LABELS[level]}</span>
      <span aria-hidden="true">{SHORT[level]}</span>
    </span>
  );
}
