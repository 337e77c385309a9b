import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { ActionMenu } from '../../components/ActionMenu';
import { runJobAction } from './actOnJobs';
import { rowActionsFor } from './rowActions';

interface JobActionsProps {
  job: JobSnapshot;
  /** One Actions menu instead of a row of buttons (a narrow grid). */
  compact: boolean;
  /** The host is out of reach: nothing can be sent. */
  offline: boolean;
  /** Which of the row's controls is the grid's tab stop, if one of these. */
  activeStop: string | null;
}

/**
 * The per-row controls. Accessible names are exact and stable: tests and screen readers rely
 * on them. Signal opens one shared dialog rather than holding a select per row: rows are
 * rebuilt on every sort and scroll, and seventeen options per running row made that slow.
 * Each button acts on its own row's job only; keys and the bulk bar act on every picked job.
 */
export function JobActions({ job, compact, offline, activeStop }: JobActionsProps) {
  const actions = rowActionsFor(job);
  if (compact) {
    return (
      <ActionMenu
        menuLabel={`Actions for ${job.name}`}
        stopId="menu"
        tabIndex={activeStop === 'menu' ? 0 : -1}
        items={actions.map((action) => ({
          id: action.id,
          label: action.label,
          text: action.id === 'remove' ? 'Remove' : action.text,
          shortcut: action.keyLabel,
          danger: action.tone === 'danger',
          disabled: offline || !action.applies(job),
          onSelect: () => runJobAction(action.id, [job.id]),
        }))}
      />
    );
  }
  return (
    <div className="job-actions">
      {actions.map((action) => (
        <button
          key={action.id}
          type="button"
          className={action.tone}
          aria-label={action.label}
          aria-keyshortcuts={action.keyLabel}
          title={action.title}
          disabled={offline || !action.applies(job)}
          data-stop={action.id}
          data-action={action.id}
          tabIndex={activeStop === action.id ? 0 : -1}
          onClick={() => runJobAction(action.id, [job.id])}
        >
          {action.text}
        </button>
      ))}
    </div>
  );
}
