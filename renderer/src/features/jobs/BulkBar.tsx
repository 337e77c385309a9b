import { useBulkStore } from '../../stores/bulkStore';
import { useJobsStore } from '../../stores/jobsStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { runJobAction } from './actOnJobs';
import { JOB_ACTIONS } from './rowActions';

interface BulkBarProps {
  offline: boolean;
}

/**
 * Shown while several jobs are selected: the actions that can go to all of them at once, each
 * counting the jobs it applies to, and what the last such action did.
 */
export function BulkBar({ offline }: BulkBarProps) {
  const chosen = useSelectionStore((state) => state.chosen);
  const jobs = useJobsStore((state) => state.jobs);
  const status = useBulkStore((state) => state.status);
  const picked = [...chosen].map((id) => jobs[id]).filter((job) => job !== undefined);
  if (picked.length < 2 && status === null) return null;

  const ids = picked.map((job) => job.id);
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected jobs">
      {picked.length >= 2 && (
        <>
          <span className="bulk-count">{picked.length} selected</span>
          {JOB_ACTIONS.filter((action) => action.bulk).map((action) => {
            const count = picked.filter((job) => action.applies(job)).length;
            return (
              <button
                key={action.id}
                type="button"
                className={action.tone === 'danger' ? 'danger' : undefined}
                aria-label={`${action.label} selected`}
                aria-keyshortcuts={action.keyLabel}
                disabled={offline || count === 0 || status?.running === true}
                title={`${action.label} the ${count} selected job(s) it applies to (key ${action.keyLabel})`}
                onClick={() => runJobAction(action.id, ids)}
              >
                {action.label} ({count})
              </button>
            );
          })}
          <button type="button" className="quiet" onClick={() => useSelectionStore.getState().choose([])}>
            Clear selection
          </button>
        </>
      )}
      {status !== null && (
        <p role="status" className="bulk-status" data-failed={status.failed || undefined} title={status.text}>
          {status.text}
        </p>
      )}
      {picked.length < 2 && status !== null && !status.running && (
        <button type="button" className="quiet" aria-label="Dismiss" onClick={() => useBulkStore.setState({ status: null })}>
          ✕
        </button>
      )}
    </div>
  );
}
